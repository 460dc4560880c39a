package oidc

import (
	"context"
	"errors"
	"testing"

	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/storage/memory"
)

// decodeAndToken is what POST /token does with a body, minus HTTP.
func decodeAndToken(h *Handler, body []byte) error {
	var req createTokenRequest
	if err := wire.UnmarshalJSON(body, wire.OIDC, &req); err != nil {
		return err
	}
	_, err := h.token(context.Background(), req)
	return err
}

// FuzzCreateToken feeds arbitrary bodies to CreateToken against a store
// holding one real client: every failure must be a protocol error the
// client can read, never a panic or an internal error.
func FuzzCreateToken(f *testing.F) {
	store := memory.New()
	if err := store.CreateClient(context.Background(), storage.Client{ID: "cid", Secret: "secret", Scopes: []string{"s"}, ExpiresAt: farFuture}); err != nil {
		f.Fatal(err)
	}
	h := &Handler{Store: store}
	f.Add([]byte(`{"clientId":"cid","clientSecret":"secret","grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"x"}`))
	f.Add([]byte(`{"clientId":"cid","clientSecret":"secret","grantType":"refresh_token","refreshToken":"aor"}`))
	f.Add([]byte(`{"clientId":"cid","clientSecret":"secret","grantType":"authorization_code","code":"c","redirectUri":"u","codeVerifier":"v"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		err := decodeAndToken(h, body)
		var we *wire.Error
		if err == nil || !errors.As(err, &we) || we.Status >= 500 {
			t.Fatalf("CreateToken(%q) = %v, want a 4xx protocol error", body, err)
		}
	})
}

// FuzzRegisterClient checks that validation accepts only what the handler
// can store and refuses the rest with a 4xx protocol error.
func FuzzRegisterClient(f *testing.F) {
	f.Add([]byte(`{"clientName":"n","clientType":"public"}`))
	f.Add([]byte(`{"clientName":"n","clientType":"public","grantTypes":["authorization_code"],"redirectUris":["http://127.0.0.1/cb"],"scopes":["sso:account:access"]}`))
	f.Add([]byte(`{"clientName":"n","clientType":"public","redirectUris":["http://[::1]:80/%zz"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var req registerClientRequest
		err := wire.UnmarshalJSON(body, wire.OIDC, &req)
		if err == nil {
			err = req.validate()
			if err == nil {
				for _, u := range req.RedirectURIs {
					if checkRedirectURI(u) != nil {
						t.Fatalf("validate accepted redirect URI %q", u)
					}
				}
				return
			}
		}
		var we *wire.Error
		if !errors.As(err, &we) || we.Status != 400 {
			t.Fatalf("RegisterClient(%q) = %v, want a 400", body, err)
		}
	})
}

// FuzzRedirectURIAllowed: a URI that matches must share scheme, host and
// path with a registered one.
func FuzzRedirectURIAllowed(f *testing.F) {
	f.Add("http://127.0.0.1/oauth/callback", "http://127.0.0.1:5000/oauth/callback")
	f.Add("http://127.0.0.1/oauth/callback", "http://127.0.0.1.evil.com:5000/oauth/callback")
	f.Add("https://example.com/cb", "https://example.com/cb")
	f.Fuzz(func(t *testing.T, registered, uri string) {
		if RedirectURIAllowed([]string{registered}, uri) && registered != uri && !loopbackMatch(registered, uri) {
			t.Fatalf("%q matched registered %q", uri, registered)
		}
	})
}
