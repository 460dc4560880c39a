package login_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
)

// vanityHost is an organisation's own https host: every request is
// answered by answer, and the CA file that trusts it is returned.
func vanityHost(t *testing.T, answer http.HandlerFunc) (url, caFile string, methods *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method)
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(tempdir.New(t), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/start", caFile, &seen
}

// A start URL on the organisation's own domain redirects to the portal:
// the portal's URL is what the service receives, the region comes from
// its host, and the cache keeps the configured URL, as the AWS CLI does.
func TestCustomDomainStartURL(t *testing.T) {
	const portal = "https://d-0123456789.portal.eu-west-1.app.aws/start"
	s := newSetup(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		o.StartURL = portal
		o.Region = "eu-west-1"
	})
	vanity, ca, methods := vanityHost(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed) // some servers refuse HEAD: GET then
			return
		}
		http.Redirect(w, r, portal, http.StatusFound)
	})
	sso := config.SSO{Profile: "old", StartURL: vanity, Region: "us-east-1", CABundle: ca, Endpoints: s.endpoints()}
	sess := login.NewSession(sso, s.opts, func(o *login.Options) { o.UseDeviceCode = true })
	tok, err := sess.Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
	}
	if got := strings.Join(*methods, ","); got != "HEAD,GET" {
		t.Errorf("requests to the organisation's URL: %s, want HEAD, then GET", got)
	}
	if tok.StartURL != vanity || tok.Region != "eu-west-1" {
		t.Errorf("token start URL %q region %q; want the configured URL and the portal's region", tok.StartURL, tok.Region)
	}
	if _, err := s.cache.LoadToken(vanity); err != nil {
		t.Errorf("the token is not cached under the configured start URL: %v", err)
	}
	if got := sess.SSO().Region; got != "eu-west-1" {
		t.Errorf("session region %q, want the portal's eu-west-1", got)
	}
	start, err := sess.ResolveStartURL(context.Background())
	if err != nil || start.Resolved != portal || start.Region != "eu-west-1" || start.Configured != vanity {
		t.Errorf("ResolveStartURL = %+v, %v", start, err)
	}
}

func TestStartURLsThatCannotSignIn(t *testing.T) {
	s := newSetup(t, autoApprove)
	notRedirecting, ca1, _ := vanityHost(t, func(w http.ResponseWriter, r *http.Request) {})
	toElsewhere, ca2, _ := vanityHost(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://login.example.com/start", http.StatusFound)
	})
	toHTTP, ca3, _ := vanityHost(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://d-0123456789.awsapps.com/start", http.StatusFound)
	})
	tests := []struct {
		name, url, ca, want string
	}{
		{"plain http", "http://sso.example.com/start", "", "must use https"},
		{"no redirect", notRedirecting, ca1, "instead of redirecting to an AWS access portal"},
		{"a redirect off AWS", toElsewhere, ca2, "which is not an AWS access portal"},
		{"a redirect to http", toHTTP, ca3, "which is not an AWS access portal over https"},
		{"an untrusted certificate", toElsewhere, "", "could not reach it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sso := config.SSO{Profile: "old", StartURL: tt.url, Region: "us-east-1", CABundle: tt.ca, Endpoints: s.endpoints()}
			_, err := login.NewSession(sso, s.opts, func(o *login.Options) { o.UseDeviceCode = true }).Login(context.Background())
			var se *login.StartURLError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.url) {
				t.Errorf("err = %v; want a *StartURLError naming the URL and saying %q", err, tt.want)
			}
		})
	}
	if n := s.srv.Count("RegisterClient"); n != 0 {
		t.Errorf("RegisterClient called %d times for start URLs that cannot sign in", n)
	}
}

func TestPortalRegion(t *testing.T) {
	for host, want := range map[string]string{
		"d-0123456789.portal.eu-west-1.app.aws":           "eu-west-1",
		"d-0123456789.us-gov-west-1.portal.amazonaws.com": "us-gov-west-1",
		"d-0123456789.cn-north-1.portal.amazonaws.com.cn": "cn-north-1",
		"d-0123456789.awsapps.com":                        "",
		"d-0123456789.portal.moon.app.aws":                "",
	} {
		if got := login.PortalRegion(host); got != want {
			t.Errorf("PortalRegion(%q) = %q, want %q", host, got, want)
		}
	}
	for host, want := range map[string]bool{"d-1.awsapps.com": true, "x.app.aws": true, "identitycenter.amazonaws.eu": true, "sso.example.com": false, "awsapps.com.evil.example": false} {
		if got := login.IsAWSPortalHost(host); got != want {
			t.Errorf("IsAWSPortalHost(%q) = %v, want %v", host, got, want)
		}
	}
}
