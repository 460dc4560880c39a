package login_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/login"
)

// Stray requests to the loopback listener while a PKCE sign-in waits (an
// answer for another sign-in, a request by another name than the
// loopback's) get a page and do not end the sign-in: the right answer,
// coming after them, does.
func TestStrayCallbacksDoNotEndTheSignIn(t *testing.T) {
	s := newSetup(t, autoApprove)
	var strays []int
	browser := openerFunc(func(authURL string) error {
		callback := redirectURI(t, authURL)
		for _, stray := range []func() (*http.Response, error){
			func() (*http.Response, error) { return http.Get(callback + "?code=stolen&state=another-sign-in") },
			func() (*http.Response, error) {
				return http.Get(callback + "?error=access_denied&state=another-sign-in")
			},
			func() (*http.Response, error) {
				req, _ := http.NewRequest("GET", callback+"?code=x&state=y", nil)
				req.Host = "rebind.example"
				return http.DefaultClient.Do(req)
			},
		} {
			resp, err := stray()
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			strays = append(strays, resp.StatusCode)
		}
		return redirectFollower{&http.Client{}}.Open(authURL)
	})
	tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) { o.Browser = browser }).Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
	}
	if tok.AccessToken == "" || strings.Contains(s.msgs.String(), "signing in with a code instead") {
		t.Errorf("the sign-in did not complete through the browser; messages:\n%s", s.msgs)
	}
	if len(strays) != 3 || strays[0] != 400 || strays[1] != 400 || strays[2] != http.StatusMisdirectedRequest {
		t.Errorf("stray requests were answered %v, want [400 400 421]", strays)
	}
}
