package login

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/tokencache"
)

// defaultScopes are registered for sso-session profiles that configure
// none: without them the service hands out no refresh token.
var defaultScopes = []string{"sso:account:access"}

// signIn runs the flow that fits and saves the token. The caller holds the
// lock.
func (s *Session) signIn(ctx context.Context) (*tokencache.Token, error) {
	// A token that cannot be saved would be lost with the person's work.
	if err := s.o.Cache.CheckWritable(s.key); err != nil {
		return nil, fmt.Errorf("save the SSO token for %s: %w", s.describe(), err)
	}
	if _, err := s.ResolveStartURL(ctx); err != nil {
		return nil, err
	}
	if s.sso.SessionName == "" || s.o.UseDeviceCode || s.sso.UseDeviceCode {
		return s.deviceCode(ctx, s.o.NoBrowser)
	}
	return s.pkce(ctx)
}

// scopes to register: the configured ones, the default for sso-session
// profiles, none for legacy ones (as the AWS CLI does).
func (s *Session) scopes() []string {
	if len(s.sso.Scopes) > 0 {
		return s.sso.Scopes
	}
	if s.sso.SessionName != "" {
		return defaultScopes
	}
	return nil
}

func (s *Session) clientName() string {
	if s.o.ClientName != "" {
		return s.o.ClientName
	}
	if s.sso.SessionName != "" {
		return "ssokit-" + s.sso.SessionName
	}
	return "ssokit-" + strconv.FormatInt(s.o.Now().Unix(), 10)
}

// registration returns a client registration for the flow, from the cache
// when one of the right kind has more than 15 minutes left (cached reports
// that), else a new one. The cache key is the AWS CLI's, so both tools
// reuse each other's registrations.
func (s *Session) registration(ctx context.Context, pkce, renew bool) (reg *tokencache.Registration, cached bool, err error) {
	key := s.registrationKey()
	if !renew {
		reg, err := s.loadRegistration(key)
		switch {
		case err == nil:
			if reg.IsPKCE() == pkce && s.o.Now().Before(reg.ExpiresAt.Add(-registrationMargin)) && reg.ClientID != "" {
				return reg, true, nil
			}
		case s.keyring && !isNotFound(err):
			return nil, false, err
		case !isNotFound(err):
			s.o.warnf("read the cached client registration: %v; registering again", err)
		}
	}

	in := &ssooidc.RegisterClientInput{
		ClientName: aws.String(s.clientName()),
		ClientType: aws.String("public"),
		Scopes:     s.scopes(),
	}
	if pkce {
		in.GrantTypes = []string{grantAuthCode, grantRefreshToken}
		in.RedirectUris = []string{"http://127.0.0.1/oauth/callback"}
		in.IssuerUrl = aws.String(s.resolvedStartURL())
	}
	out, err := s.client().RegisterClient(ctx, in, signInCall)
	if err != nil {
		return nil, false, apiError("register the client", "SSO OIDC", s.OIDCEndpoint(), err)
	}
	reg = &tokencache.Registration{
		ClientID:     aws.ToString(out.ClientId),
		ClientSecret: aws.ToString(out.ClientSecret),
		ExpiresAt:    time.Unix(out.ClientSecretExpiresAt, 0).UTC(),
		Scopes:       in.Scopes,
		GrantTypes:   in.GrantTypes,
	}
	if reg.ClientID == "" || reg.ClientSecret == "" {
		return nil, false, fmt.Errorf("register the client at %s: the response has no client id or secret", s.OIDCEndpoint())
	}
	if s.keyring {
		if err := s.o.Cache.SaveKeyringRegistration(s.key, key, reg); err != nil {
			return nil, false, err
		}
		// A registration file of file storage would keep a client secret.
		if err := s.o.Cache.DeleteRegistration(key); err != nil {
			return nil, false, err
		}
	} else if err := s.o.Cache.SaveRegistration(key, reg); err != nil {
		return nil, false, fmt.Errorf("save the client registration in %s: %w", s.o.Cache.Dir(), err)
	}
	return reg, false, nil
}

// loadRegistration reads the registration for key from where the session
// keeps it.
func (s *Session) loadRegistration(key tokencache.RegistrationKey) (*tokencache.Registration, error) {
	if !s.keyring {
		return s.o.Cache.LoadRegistration(key)
	}
	sec, err := s.o.Cache.LoadSecrets(s.key)
	if err != nil {
		return nil, err
	}
	if sec.Registration == nil || sec.RegistrationFile != key.FileName() {
		return nil, tokencache.ErrNotFound
	}
	return sec.Registration, nil
}

// finish turns a CreateToken answer into the cached token and saves it.
// Fields other tools added to an existing file are kept.
func (s *Session) finish(reg *tokencache.Registration, out *ssooidc.CreateTokenOutput) (*tokencache.Token, error) {
	if out.AccessToken == nil || *out.AccessToken == "" {
		return nil, fmt.Errorf("sign in at %s: the response has no access token", s.OIDCEndpoint())
	}
	tok := &tokencache.Token{}
	if old, _ := s.load(); old != nil {
		tok = old
	}
	tok.StartURL = s.sso.StartURL
	tok.Region = s.SSO().Region
	tok.AccessToken = *out.AccessToken
	tok.ExpiresAt = s.o.Now().Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second)
	tok.ClientID = reg.ClientID
	tok.ClientSecret = reg.ClientSecret
	tok.RegistrationExpiresAt = reg.ExpiresAt
	tok.RefreshToken = aws.ToString(out.RefreshToken)
	if err := s.save(tok, ""); err != nil {
		return nil, err
	}
	return tok, nil
}
