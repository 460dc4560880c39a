package emulator_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// Like the real service: an access token that comes with a refresh token
// lives an hour; refreshing keeps the sign-in going until the session
// (8 hours by default) ends, and then refresh fails with invalid_grant.
func TestRefreshableTokensLiveAnHourWithinTheSession(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Now, o.AutoApprove = clk.Now, "demo" })
	c := newClients(t, srv)
	ctx := context.Background()
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 3600 || tok.RefreshToken == nil {
		t.Fatalf("expiresIn = %d, refresh token %v; want 3600 and a refresh token", tok.ExpiresIn, tok.RefreshToken != nil)
	}
	listAccounts := func(token *string) error {
		_, err := c.sso.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: token})
		return err
	}
	refresh := func(rt *string) (*ssooidc.CreateTokenOutput, error) {
		return c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: rt,
		})
	}

	clk.Advance(time.Hour)
	wantErrAs[*ssotypes.UnauthorizedException](t, "the access token after an hour", listAccounts(tok.AccessToken))
	// Refreshing every hour keeps the sign-in alive, one hour at a time,
	// until the last token is cut short at the session's end.
	for hour := 1; hour < 8; hour++ {
		next, err := refresh(tok.RefreshToken)
		if err != nil {
			t.Fatalf("refresh after %dh: %v", hour, err)
		}
		if next.ExpiresIn != 3600 {
			t.Errorf("refresh after %dh: expiresIn = %d, want 3600", hour, next.ExpiresIn)
		}
		if err := listAccounts(next.AccessToken); err != nil {
			t.Fatalf("ListAccounts with the token refreshed after %dh: %v", hour, err)
		}
		tok = next
		clk.Advance(time.Hour)
	}
	clk.Advance(-30 * time.Minute) // 7h30 into the 8h session
	last, err := refresh(tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh 7h30 into the session: %v", err)
	}
	if last.ExpiresIn != 1800 {
		t.Errorf("refresh 7h30 into the session: expiresIn = %d, want 1800 (the session's end)", last.ExpiresIn)
	}
	clk.Advance(30 * time.Minute)
	wantErrAs[*ssotypes.UnauthorizedException](t, "the access token at the session's end", listAccounts(last.AccessToken))
	_, err = refresh(last.RefreshToken)
	e := wantErrAs[*types.InvalidGrantException](t, "refresh at the session's end", err)
	if aws.ToString(e.Error_) != "invalid_grant" || aws.ToString(e.Error_description) == "" {
		t.Errorf("error = %q, %q; want invalid_grant with a description", aws.ToString(e.Error_), aws.ToString(e.Error_description))
	}
}

func TestSessionDurationIsAnOption(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.Now, o.AutoApprove, o.SessionDuration = clk.Now, "demo", 24*time.Hour
	})
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	refresh := func(rt *string) (*ssooidc.CreateTokenOutput, error) {
		return c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: rt,
		})
	}
	clk.Advance(24*time.Hour - 2*time.Second)
	last, err := refresh(tok.RefreshToken)
	if err != nil {
		t.Fatalf("refresh 2s before a 24h session ends: %v", err)
	}
	if last.ExpiresIn != 2 {
		t.Errorf("expiresIn = %d, want 2 (the session's end)", last.ExpiresIn)
	}
	clk.Advance(2 * time.Second)
	_, err = refresh(last.RefreshToken)
	wantErrAs[*types.InvalidGrantException](t, "refresh when a 24h session ends", err)
}

// A token issued without a refresh token (a legacy registration without
// scopes) is not cut to an hour: it lasts the session, as today.
func TestLegacyTokensLastTheSession(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 8*3600 || tok.RefreshToken != nil {
		t.Errorf("expiresIn = %d, refresh token %v; want 28800 and none", tok.ExpiresIn, tok.RefreshToken != nil)
	}
}

func TestPKCETokensLiveAnHour(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := pkceClient(t, c)
	q, redirect := pkce(t, srv, reg, verifier, "sso:account:access")
	tok, err := c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"),
		Code: aws.String(q.Get("code")), RedirectUri: aws.String(redirect), CodeVerifier: aws.String(verifier),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 3600 || tok.RefreshToken == nil {
		t.Errorf("expiresIn = %d, refresh token %v; want 3600 and a refresh token", tok.ExpiresIn, tok.RefreshToken != nil)
	}
}
