package export

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

var tempCreds = aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "SECRETKEY", SessionToken: "SESSIONTOKEN"}

// federation answers getSigninToken like the sign-in service: it checks the
// Session document and returns a token derived from it.
func federation(t *testing.T, seen *url.Values) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		*seen = q
		if r.URL.Path != "/federation" || q.Get("Action") != "getSigninToken" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var s struct{ SessionID, SessionKey, SessionToken string }
		if err := json.Unmarshal([]byte(q.Get("Session")), &s); err != nil || s.SessionKey != tempCreds.SecretAccessKey {
			http.Error(w, "invalid session", http.StatusBadRequest)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"SigninToken": "tok-" + s.SessionID})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestConsoleURL(t *testing.T) {
	var seen url.Values
	srv := federation(t, &seen)
	tests := []struct {
		name      string
		opts      func(*ConsoleOptions)
		wantQuery url.Values
		wantToken url.Values
	}{
		{
			name: "defaults land on the console home",
			opts: func(o *ConsoleOptions) { o.FederationEndpoint = srv.URL + "/federation" },
			wantQuery: url.Values{"Action": {"login"}, "Destination": {"https://console.aws.amazon.com/"},
				"SigninToken": {"tok-ASIAEXAMPLE"}},
		},
		{
			name: "China credentials land on the China console",
			opts: func(o *ConsoleOptions) { o.FederationEndpoint = srv.URL + "/federation"; o.Region = "cn-north-1" },
			wantQuery: url.Values{"Action": {"login"}, "Destination": {"https://console.amazonaws.cn/console/home?region=cn-north-1"},
				"SigninToken": {"tok-ASIAEXAMPLE"}},
		},
		{
			name: "destination, issuer and duration are passed on",
			opts: func(o *ConsoleOptions) {
				o.FederationEndpoint = srv.URL + "/federation"
				o.Destination = "https://console.aws.amazon.com/s3/home?region=eu-west-1"
				o.Issuer = "https://example.com/ssokit"
				o.SessionDuration = 2 * time.Hour
			},
			wantQuery: url.Values{"Action": {"login"}, "Destination": {"https://console.aws.amazon.com/s3/home?region=eu-west-1"},
				"Issuer": {"https://example.com/ssokit"}, "SigninToken": {"tok-ASIAEXAMPLE"}},
			wantToken: url.Values{"SessionDuration": {"7200"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ConsoleURL(context.Background(), srv.Client(), tempCreds, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if base := u.Scheme + "://" + u.Host + u.Path; base != srv.URL+"/federation" {
				t.Errorf("login URL base = %s", base)
			}
			if diff := cmp.Diff(tt.wantQuery, u.Query()); diff != "" {
				t.Errorf("login query (-want +got):\n%s", diff)
			}
			if strings.Contains(got, tempCreds.SecretAccessKey) || strings.Contains(got, tempCreds.SessionToken) {
				t.Errorf("login URL carries the credentials: %s", got)
			}
			for k, v := range tt.wantToken {
				if diff := cmp.Diff(v, seen[k]); diff != "" {
					t.Errorf("getSigninToken %s (-want +got):\n%s", k, diff)
				}
			}
		})
	}
}

func TestConsoleURLErrorsNeverCarrySecrets(t *testing.T) {
	var seen url.Values
	srv := federation(t, &seen)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()

	tests := []struct {
		name     string
		creds    aws.Credentials
		endpoint string
		wantText string
	}{
		{name: "the service refusing the session", creds: aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "WRONGSECRET", SessionToken: "SESSIONTOKEN"},
			endpoint: srv.URL + "/federation", wantText: "HTTP 400"},
		{name: "an endpoint that is down", creds: tempCreds, endpoint: downURL + "/federation", wantText: "connect"},
		{name: "a wrong path", creds: tempCreds, endpoint: srv.URL + "/nope", wantText: "HTTP 400"},
		{name: "static keys without a token", creds: aws.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "SECRETKEY"},
			endpoint: srv.URL + "/federation", wantText: "session token"},
		{name: "an endpoint that is not a URL", creds: tempCreds, endpoint: "signin", wantText: "not an absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ConsoleURL(context.Background(), srv.Client(), tt.creds, func(o *ConsoleOptions) { o.FederationEndpoint = tt.endpoint })
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
			for _, secret := range []string{"SECRETKEY", "WRONGSECRET", "SESSIONTOKEN"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error carries a secret: %v", err)
				}
			}
			var ce *ConsoleError
			if strings.HasPrefix(tt.wantText, "HTTP") && (!errors.As(err, &ce) || ce.StatusCode != 400) {
				t.Errorf("error = %#v, want *ConsoleError with status 400", err)
			}
		})
	}
}
