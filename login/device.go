package login

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/ssokit/ssokit/tokencache"
)

const (
	defaultPollInterval = 5 * time.Second
	slowDownStep        = 5 * time.Second
)

// deviceCode runs the device authorization flow: the person approves a
// short code on any device while this process polls CreateToken.
func (s *Session) deviceCode(ctx context.Context, noBrowser bool) (*tokencache.Token, error) {
	endpoint := s.OIDCEndpoint()
	reg, cached, err := s.registration(ctx, false, false)
	if err != nil {
		return nil, err
	}
	start := func() (*ssooidc.StartDeviceAuthorizationOutput, error) {
		return s.client().StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
			ClientId:     aws.String(reg.ClientID),
			ClientSecret: aws.String(reg.ClientSecret),
			StartUrl:     aws.String(s.resolvedStartURL()),
		}, signInCall)
	}
	auth, err := start()
	var unknownClient *types.InvalidClientException
	if cached && errors.As(err, &unknownClient) {
		// The service no longer knows the cached client (revoked, or a
		// different service behind the same endpoint): register anew.
		if reg, _, err = s.registration(ctx, false, true); err != nil {
			return nil, err
		}
		auth, err = start()
	}
	if err != nil {
		return nil, apiError("start the sign-in", "SSO OIDC", endpoint, err)
	}
	interval := time.Duration(auth.Interval) * time.Second
	if interval <= 0 {
		interval = defaultPollInterval
	}
	lifetime := time.Duration(auth.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = defaultAuthTimeout
	}
	// A real-time deadline, not s.o.Now: the person is on the wall clock.
	expired := time.NewTimer(lifetime)
	defer expired.Stop()

	// lastFailure is the latest poll that failed in a way the next one may
	// not: the person may have approved already, so polling goes on until
	// the code expires, and then says what kept failing.
	var lastFailure error
	poll := func() (*ssooidc.CreateTokenOutput, bool, error) {
		out, err := s.client().CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId:     aws.String(reg.ClientID),
			ClientSecret: aws.String(reg.ClientSecret),
			GrantType:    aws.String(grantDeviceCode),
			DeviceCode:   auth.DeviceCode,
		}, signInCall, slowDownToTheLoop)
		var pending *types.AuthorizationPendingException
		var slow *types.SlowDownException
		var expiredErr *types.ExpiredTokenException
		var denied *types.AccessDeniedException
		switch {
		case err == nil:
			return out, true, nil
		case errors.As(err, &pending):
			return nil, false, nil
		case errors.As(err, &slow):
			interval += slowDownStep
			return nil, false, nil
		case errors.As(err, &expiredErr):
			return nil, false, expiredError(lastFailure)
		case errors.As(err, &denied):
			return nil, false, ErrDenied
		case transient(err):
			lastFailure = apiError("poll for the sign-in", "SSO OIDC", endpoint, err)
			return nil, false, nil
		default:
			return nil, false, apiError("sign in", "SSO OIDC", endpoint, err)
		}
	}

	// One attempt before bothering the person: a pre-approved client needs
	// no prompt at all.
	out, done, err := poll()
	if err != nil {
		return nil, err
	}
	if !done {
		verifyURL := aws.ToString(auth.VerificationUriComplete)
		if verifyURL == "" {
			verifyURL = aws.ToString(auth.VerificationUri)
		}
		fmt.Fprintf(s.o.Messages, "To sign in, open this URL in a browser on any device and confirm the code %s:\n\n  %s\n\n", aws.ToString(auth.UserCode), verifyURL)
		if base := aws.ToString(auth.VerificationUri); base != "" && base != verifyURL {
			fmt.Fprintf(s.o.Messages, "(or open %s and enter the code)\n\n", base)
		}
		if !noBrowser && s.o.Browser != nil {
			if err := s.o.Browser.Open(verifyURL); err != nil {
				fmt.Fprintf(s.o.Messages, "Could not open a browser (%v); open the URL above yourself.\n\n", err)
			}
		}
		s.o.startSpinner(fmt.Sprintf("Waiting for you to approve code %s in the browser (Ctrl-C to cancel)", aws.ToString(auth.UserCode)))
		defer s.o.stopSpinner()
	}
	for !done {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-expired.C:
			return nil, expiredError(lastFailure)
		case <-s.o.after(interval):
		}
		if out, done, err = poll(); err != nil {
			return nil, err
		}
	}
	s.o.stopSpinner()
	return s.finish(reg, out)
}

// expiredError is ErrAuthorizationExpired, with what kept failing while
// waiting when something did.
func expiredError(lastFailure error) error {
	if lastFailure == nil {
		return ErrAuthorizationExpired
	}
	return fmt.Errorf("%w (while waiting, the last poll failed: %v)", ErrAuthorizationExpired, lastFailure)
}
