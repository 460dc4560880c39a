package login

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/tokencache"
)

// Login always signs in anew: PKCE for sso-session profiles, the device
// code flow for legacy profiles, with UseDeviceCode, or when no browser can
// be opened. It holds the cache lock while it works, so processes that need
// a token meanwhile wait for this sign-in instead of starting their own.
func Login(ctx context.Context, s config.SSO, optFns ...func(*Options)) (*tokencache.Token, error) {
	f, err := newFlow(s, optFns)
	if err != nil {
		return nil, err
	}
	unlock, err := f.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return f.signIn(ctx)
}

// Token returns a valid access token for s: the cached one, refreshed
// silently when less than RefreshWindow remains (sso-session profiles), else
// a new sign-in if Options.SignIn, else *SignInRequiredError. Callers in
// other processes share one refresh or sign-in.
func Token(ctx context.Context, s config.SSO, optFns ...func(*Options)) (*tokencache.Token, error) {
	f, err := newFlow(s, optFns)
	if err != nil {
		return nil, err
	}
	cached, ok := f.usable(f.load())
	if ok {
		return cached, nil
	}

	unlock, err := f.lock(ctx)
	if err != nil {
		// A read-only cache (say, ~/.aws mounted into a container) cannot
		// be refreshed, but a token with time left still works.
		if cached != nil && cached.Remaining(f.o.Now()) > 0 && !errors.Is(err, context.Canceled) {
			f.o.warnf("%v; using the cached token while it lasts (until %s)", err, cached.ExpiresAt.Local().Format("15:04"))
			return cached, nil
		}
		return nil, err
	}
	defer unlock()
	// Read again: whoever held the lock may have just saved a new token.
	tok := f.load()
	if tok, ok := f.usable(tok); ok {
		return tok, nil
	}
	now := f.o.Now()
	var refreshErr error
	if tok != nil && f.refreshable(tok, now) {
		fresh, err := f.refresh(ctx, tok)
		if err == nil {
			return fresh, nil
		}
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if tok.Remaining(now) > 0 {
			f.o.warnf("could not refresh the SSO token for %s (it is still valid until %s): %v",
				f.describe(), tok.ExpiresAt.Local().Format("15:04"), err)
			return tok, nil
		}
		refreshErr = err
	}
	if tok != nil && tok.Remaining(now) > 0 {
		// Not refreshable but still valid: use it to the end, as the SDKs do.
		return tok, nil
	}
	if f.o.SignIn {
		if refreshErr != nil {
			f.o.warnf("could not refresh the SSO token for %s: %v; signing in again", f.describe(), refreshErr)
		}
		return f.signIn(ctx)
	}
	e := &SignInRequiredError{Session: f.key, Legacy: f.sso.SessionName == "", Profile: f.sso.Profile, Err: refreshErr}
	if tok != nil {
		e.ExpiredAt = tok.ExpiresAt
	}
	return nil, e
}

// Logout revokes the cached token at the portal (a failure there is only
// reported on Messages: the token is deleted either way) and deletes it.
// Client registrations are kept, as the AWS CLI does.
func Logout(ctx context.Context, s config.SSO, optFns ...func(*Options)) error {
	f, err := newFlow(s, optFns)
	if err != nil {
		return err
	}
	unlock, err := f.lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	// An expired token is not sent: the portal would only refuse it.
	if tok := f.load(); tok != nil && tok.Remaining(f.o.Now()) > 0 {
		t := *tok
		if t.Region == "" {
			t.Region = s.Region
		}
		if err := revoke(ctx, f.o, &t); err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			f.o.warnf("%v; deleting the cached token anyway", err)
		}
	}
	if err := f.o.Cache.DeleteToken(f.key); err != nil {
		return fmt.Errorf("delete the SSO token for %s: %w", f.describe(), err)
	}
	return nil
}

// RevokeToken calls the portal's Logout for tok, in tok.Region. It is for
// tokens found in the cache without a profile (e.g. written by the AWS CLI);
// the caller deletes the file.
func RevokeToken(ctx context.Context, tok *tokencache.Token, optFns ...func(*Options)) error {
	o, err := resolveOptions(optFns)
	if err != nil {
		return err
	}
	return revoke(ctx, o, tok)
}

func revoke(ctx context.Context, o *Options, tok *tokencache.Token) error {
	if tok.Region == "" && o.PortalEndpoint == "" {
		return fmt.Errorf("sign out of %s at the portal: the cached token names no region", tok.StartURL)
	}
	_, err := o.portalClient(tok.Region).Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)})
	var gone *ssotypes.UnauthorizedException
	if errors.As(err, &gone) {
		// The portal no longer knows the token: it is signed out already.
		return nil
	}
	if err != nil {
		return apiError("sign out", "SSO portal", o.portalEndpoint(tok.Region), err)
	}
	return nil
}

// flow is one call's worth of state: the session, the options and, once
// needed, the OIDC client.
type flow struct {
	sso  config.SSO
	o    *Options
	key  string
	oidc OIDCClient
}

func newFlow(s config.SSO, optFns []func(*Options)) (*flow, error) {
	if s.StartURL == "" || s.Region == "" {
		return nil, fmt.Errorf("SSO %s has no sso_start_url or sso_region; run `ssokit configure` to set them", describeSSO(s))
	}
	o, err := resolveOptions(optFns)
	if err != nil {
		return nil, err
	}
	return &flow{sso: s, o: o, key: s.CacheKey()}, nil
}

// client builds the OIDC client on first use: a valid cached token, the
// common case, needs none.
func (f *flow) client() OIDCClient {
	if f.oidc == nil {
		f.oidc = f.o.oidcClient(f.sso.Region)
	}
	return f.oidc
}

func describeSSO(s config.SSO) string {
	switch {
	case s.SessionName != "":
		return fmt.Sprintf("session %q", s.SessionName)
	case s.Profile != "":
		return fmt.Sprintf("profile %q", s.Profile)
	default:
		return s.StartURL
	}
}

func (f *flow) describe() string { return describeSSO(f.sso) }

// lock takes the cache lock for the session. When another process holds
// it for more than a moment, it is signing in, so the person is told why
// nothing happens while this one waits for it.
func (f *flow) lock(ctx context.Context) (func(), error) {
	quick, cancel := context.WithTimeout(ctx, lockPatience)
	unlock, err := f.o.Cache.Lock(quick, f.key)
	cancel()
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(f.o.Messages, "Another ssokit process is signing in to %s; waiting for it to finish.\n", f.describe())
		f.o.startSpinner("Waiting for the other sign-in (Ctrl-C to cancel)")
		unlock, err = f.o.Cache.Lock(ctx, f.key)
		f.o.stopSpinner()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("lock the SSO token cache for %s: %w", f.describe(), err)
	}
	return unlock, nil
}

// load returns the cached token or nil. The cache itself warns about a
// corrupt file and treats it as absent.
func (f *flow) load() *tokencache.Token {
	tok, err := f.o.Cache.LoadToken(f.key)
	if err != nil {
		if !isNotFound(err) {
			f.o.warnf("read the SSO token for %s: %v", f.describe(), err)
		}
		return nil
	}
	return tok
}

// usable says whether tok can be returned without taking the lock: it has
// more than the refresh window left, or it has time left and nothing could
// make it better without a person.
func (f *flow) usable(tok *tokencache.Token) (*tokencache.Token, bool) {
	if tok == nil {
		return nil, false
	}
	now := f.o.Now()
	left := tok.Remaining(now)
	if left > f.o.RefreshWindow {
		return tok, true
	}
	return tok, left > 0 && !f.refreshable(tok, now)
}

func (f *flow) refreshable(tok *tokencache.Token, now time.Time) bool {
	return f.sso.SessionName != "" && tok.CanRefresh(now)
}

// refresh trades the refresh token for a new access token and saves it.
// Unknown fields of the file are kept; so is the old refresh token when the
// service does not send a new one (it stays valid, and other tools may
// still want to use it).
func (f *flow) refresh(ctx context.Context, old *tokencache.Token) (*tokencache.Token, error) {
	out, err := f.client().CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(old.ClientID),
		ClientSecret: aws.String(old.ClientSecret),
		GrantType:    aws.String(grantRefreshToken),
		RefreshToken: aws.String(old.RefreshToken),
	})
	if err != nil {
		return nil, apiError("refresh the SSO token", "SSO OIDC", f.o.oidcEndpoint(f.sso.Region), err)
	}
	if out.AccessToken == nil || *out.AccessToken == "" {
		return nil, fmt.Errorf("refresh the SSO token at %s: the response has no access token", f.o.oidcEndpoint(f.sso.Region))
	}
	tok := *old
	tok.StartURL, tok.Region = f.sso.StartURL, f.sso.Region
	tok.AccessToken = *out.AccessToken
	tok.ExpiresAt = f.o.Now().Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second)
	if out.RefreshToken != nil && *out.RefreshToken != "" {
		tok.RefreshToken = *out.RefreshToken
	}
	if err := f.save(&tok); err != nil {
		return nil, err
	}
	return &tok, nil
}

func (f *flow) save(tok *tokencache.Token) error {
	if err := f.o.Cache.SaveToken(f.key, tok); err != nil {
		return fmt.Errorf("save the SSO token for %s: %w", f.describe(), err)
	}
	return nil
}

// lockPatience is how long a lock may be held (a refresh takes less)
// before the person is told that another process is signing in.
const lockPatience = 500 * time.Millisecond

const (
	grantRefreshToken = "refresh_token"
	grantAuthCode     = "authorization_code"
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
)
