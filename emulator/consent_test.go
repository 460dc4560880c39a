package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// authorizeURL builds the /authorize URL the AWS CLI would open, with a
// loopback listener that records what the browser brings back.
func authorizeURL(t *testing.T, srv *emulatortest.Server, reg *ssooidc.RegisterClientOutput) (authURL, redirect string, got <-chan url.Values) {
	t.Helper()
	ch := make(chan url.Values, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case ch <- r.URL.Query():
		default:
		}
	}))
	t.Cleanup(cb.Close)
	redirect = cb.URL + "/oauth/callback"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {aws.ToString(reg.ClientId)}, "redirect_uri": {redirect},
		"state": {"st-1"}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
	}
	return srv.URL + "/authorize?" + q.Encode(), redirect, ch
}

func TestPKCEConsentOnThePages(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Now = clk.Now })
	c := newClients(t, srv)
	reg := pkceClient(t, c)
	exchange := func(code, redirect string) error {
		_, err := c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"),
			Code: aws.String(code), RedirectUri: aws.String(redirect), CodeVerifier: aws.String(verifier),
		})
		return err
	}

	t.Run("allow sends a code that works", func(t *testing.T) {
		u, redirect, got := authorizeURL(t, srv, reg)
		if err := srv.Browser(t, "alice", srv.Password(t, "alice")).Follow(u); err != nil {
			t.Fatalf("Follow: %v", err)
		}
		q := recv(t, got)
		if q.Get("state") != "st-1" || q.Get("code") == "" {
			t.Fatalf("callback = %v", q)
		}
		if err := exchange(q.Get("code"), redirect); err != nil {
			t.Fatalf("CreateToken with the consented code: %v", err)
		}
	})
	t.Run("deny sends error=access_denied with the state", func(t *testing.T) {
		u, _, got := authorizeURL(t, srv, reg)
		_ = srv.Browser(t, "demo", srv.Password(t, "demo")).Deny(u) // the redirect carries an error, which Deny may report
		q := recv(t, got)
		if q.Get("error") != "access_denied" || q.Get("state") != "st-1" || q.Has("code") {
			t.Errorf("callback after Deny = %v", q)
		}
	})
	t.Run("a code used after five minutes has expired", func(t *testing.T) {
		u, redirect, got := authorizeURL(t, srv, reg)
		if err := srv.Browser(t, "demo", srv.Password(t, "demo")).Follow(u); err != nil {
			t.Fatalf("Follow: %v", err)
		}
		q := recv(t, got)
		clk.Advance(5*time.Minute + time.Second)
		wantErrAs[*types.ExpiredTokenException](t, "late exchange", exchange(q.Get("code"), redirect))
	})
}

func recv(t *testing.T, ch <-chan url.Values) url.Values {
	t.Helper()
	select {
	case q := <-ch:
		return q
	case <-time.After(10 * time.Second):
		t.Fatal("the browser never reached the loopback listener")
		return nil
	}
}
