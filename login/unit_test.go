package login

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/tokencache"
)

// refreshOnly is an OIDC client that only answers refresh_token grants with
// a canned response, recording what it was sent. It is the seam for unit
// tests of the refresh rules; the flows themselves run against the emulator.
type refreshOnly struct {
	resp  *ssooidc.CreateTokenOutput
	err   error
	calls []ssooidc.CreateTokenInput
}

func (c *refreshOnly) RegisterClient(context.Context, *ssooidc.RegisterClientInput, ...func(*ssooidc.Options)) (*ssooidc.RegisterClientOutput, error) {
	return nil, errors.New("unexpected RegisterClient")
}

func (c *refreshOnly) StartDeviceAuthorization(context.Context, *ssooidc.StartDeviceAuthorizationInput, ...func(*ssooidc.Options)) (*ssooidc.StartDeviceAuthorizationOutput, error) {
	return nil, errors.New("unexpected StartDeviceAuthorization")
}

func (c *refreshOnly) CreateToken(_ context.Context, in *ssooidc.CreateTokenInput, _ ...func(*ssooidc.Options)) (*ssooidc.CreateTokenOutput, error) {
	c.calls = append(c.calls, *in)
	if aws.ToString(in.GrantType) != "refresh_token" {
		return nil, errors.New("unexpected grant " + aws.ToString(in.GrantType))
	}
	if c.err != nil {
		return nil, c.err
	}
	if c.resp == nil {
		return nil, errors.New("no refresh response configured")
	}
	return c.resp, nil
}

type botocoreRefreshCase struct {
	Documentation          string
	CurrentTime            time.Time
	CachedToken            map[string]any
	RefreshResponse        map[string]any
	ExpectedTokenWriteback map[string]any
	ExpectedToken          *struct {
		Token      string
		Expiration time.Time
	}
	ExpectedException string
}

func readBotocoreRefreshCases(t *testing.T) []botocoreRefreshCase {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "conformance", "peers", "botocore", "extracted", "sso-token-provider-cases.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("peer fixtures not found at %s", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []botocoreRefreshCase `json:"sso_provider_refresh_cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no refresh cases in " + path)
	}
	return doc.Cases
}

// The botocore SSOTokenProvider cases, run through Token. Two deliberate
// differences, both from spec §4.5: a corrupt file (missing accessToken or
// expiresAt) is treated as absent, so the caller is told to sign in; and a
// refresh that returns no refresh token keeps the old one.
func TestTokenFollowsBotocoreRefreshCases(t *testing.T) {
	sess := config.SSO{Profile: "test", SessionName: "admin", StartURL: "https://d-123.awsapps.com/start", Region: "us-west-2"}
	for _, tc := range readBotocoreRefreshCases(t) {
		t.Run(tc.Documentation, func(t *testing.T) {
			dir := tempdir.New(t)
			cache := tokencache.New(dir)
			raw, err := json.Marshal(tc.CachedToken)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cache.TokenPath("admin"), raw, 0o600); err != nil {
				t.Fatal(err)
			}
			client := &refreshOnly{}
			if tc.RefreshResponse != nil {
				client.resp = &ssooidc.CreateTokenOutput{
					AccessToken: aws.String(tc.RefreshResponse["accessToken"].(string)),
					ExpiresIn:   int32(tc.RefreshResponse["expiresIn"].(float64)),
					TokenType:   aws.String(tc.RefreshResponse["tokenType"].(string)),
				}
				if rt, ok := tc.RefreshResponse["refreshToken"].(string); ok {
					client.resp.RefreshToken = aws.String(rt)
				}
			}
			var warnings strings.Builder
			tok, err := NewSession(sess, func(o *Options) {
				o.Cache = cache
				o.OIDCClient = client
				o.Now = func() time.Time { return tc.CurrentTime }
				o.Messages = &warnings
			}).Token(context.Background())

			if tc.ExpectedException != "" {
				var signIn *SignInRequiredError
				if !errors.As(err, &signIn) {
					t.Fatalf("Token() error = %v, want *SignInRequiredError (botocore: %s)", err, tc.ExpectedException)
				}
				if signIn.Profile != "test" {
					t.Errorf("SignInRequiredError.Profile = %q, want the profile, test", signIn.Profile)
				}
				return
			}
			if err != nil {
				t.Fatalf("Token() error = %v", err)
			}
			if diff := cmp.Diff(tc.ExpectedToken.Token, tok.AccessToken); diff != "" {
				t.Errorf("access token (-want +got):\n%s", diff)
			}
			if !tok.ExpiresAt.Equal(tc.ExpectedToken.Expiration) {
				t.Errorf("ExpiresAt = %v, want %v", tok.ExpiresAt, tc.ExpectedToken.Expiration)
			}
			if tc.RefreshResponse == nil {
				if len(client.calls) != 0 {
					t.Errorf("CreateToken called %d times for a token that needs no refresh", len(client.calls))
				}
				return
			}
			if len(client.calls) != 1 {
				t.Fatalf("CreateToken called %d times, want 1", len(client.calls))
			}
			call := client.calls[0]
			if diff := cmp.Diff(
				[]string{tc.CachedToken["clientId"].(string), tc.CachedToken["clientSecret"].(string), tc.CachedToken["refreshToken"].(string)},
				[]string{aws.ToString(call.ClientId), aws.ToString(call.ClientSecret), aws.ToString(call.RefreshToken)},
			); diff != "" {
				t.Errorf("refresh request (-want +got):\n%s", diff)
			}
			want := tc.ExpectedTokenWriteback
			if _, ok := want["refreshToken"]; !ok {
				want["refreshToken"] = tc.CachedToken["refreshToken"]
			}
			data, err := os.ReadFile(cache.TokenPath("admin"))
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("written token (-want +got):\n%s", diff)
			}
		})
	}
}

func writeToken(t *testing.T, c *tokencache.Cache, key string, tok *tokencache.Token) {
	t.Helper()
	if err := c.SaveToken(key, tok); err != nil {
		t.Fatal(err)
	}
}

func TestTokenDecidesWhenToRefresh(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	session := config.SSO{Profile: "dev", SessionName: "my-sso", StartURL: "https://d-0123456789.awsapps.com/start", Region: "eu-west-1"}
	legacy := config.SSO{Profile: "old", StartURL: "https://d-0123456789.awsapps.com/start", Region: "eu-west-1"}
	refreshable := func(left time.Duration) *tokencache.Token {
		return &tokencache.Token{
			StartURL: session.StartURL, Region: session.Region, AccessToken: "old-access",
			ExpiresAt: now.Add(left), ClientID: "cid", ClientSecret: "csecret",
			RegistrationExpiresAt: now.Add(90 * 24 * time.Hour), RefreshToken: "old-refresh",
		}
	}
	newAccess := &ssooidc.CreateTokenOutput{AccessToken: aws.String("new-access"), ExpiresIn: 8 * 3600, RefreshToken: aws.String("new-refresh")}
	tests := []struct {
		name       string
		sso        config.SSO
		cached     *tokencache.Token
		refreshErr error
		wantAccess string
		wantCalls  int
		wantErr    string // substring of a *SignInRequiredError's text
		wantWarn   string
	}{
		{name: "a token with hours left is used as is", sso: session, cached: refreshable(3 * time.Hour), wantAccess: "old-access"},
		{name: "a token with 14 minutes left is refreshed", sso: session, cached: refreshable(14 * time.Minute), wantAccess: "new-access", wantCalls: 1},
		{name: "an expired refreshable token is refreshed", sso: session, cached: refreshable(-time.Hour), wantAccess: "new-access", wantCalls: 1},
		{name: "a legacy token near expiry is used to the end, never refreshed", sso: legacy, cached: refreshable(5 * time.Minute), wantAccess: "old-access"},
		{name: "an expired legacy token needs a sign-in", sso: legacy, cached: refreshable(-time.Minute), wantErr: "the SSO sign-in for https://d-0123456789.awsapps.com/start expired at 2026-11-26 11:59 UTC"},
		{name: "a failed refresh of a still-valid token returns it with a warning", sso: session, cached: refreshable(10 * time.Minute), refreshErr: errors.New("invalid_grant"), wantAccess: "old-access", wantCalls: 1, wantWarn: "could not refresh"},
		{name: "a failed refresh of an expired token asks for a sign-in naming the cause", sso: session, cached: refreshable(-time.Minute), refreshErr: errors.New("invalid_grant"), wantCalls: 1, wantErr: `the SSO session "my-sso" expired at 2026-11-26 11:59 UTC and could not be refreshed: refresh the SSO token at https://oidc.eu-west-1.amazonaws.com: invalid_grant`},
		{name: "the service's own reason for refusing a refresh is shown", sso: session, cached: refreshable(-time.Minute), refreshErr: &types.InvalidGrantException{Error_description: aws.String("the refresh token has expired")}, wantCalls: 1, wantErr: `the SSO session "my-sso" expired at 2026-11-26 11:59 UTC and could not be refreshed: refresh the SSO token at https://oidc.eu-west-1.amazonaws.com: InvalidGrantException: the refresh token has expired`},
		{name: "no token at all asks for a sign-in", sso: session, wantErr: `no SSO token for session "my-sso"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cache := tokencache.New(tempdir.New(t))
			if tc.cached != nil {
				writeToken(t, cache, tc.sso.CacheKey(), tc.cached)
			}
			client := &refreshOnly{resp: newAccess, err: tc.refreshErr}
			var msgs strings.Builder
			tok, err := NewSession(tc.sso, func(o *Options) {
				o.Cache = cache
				o.OIDCClient = client
				o.Now = func() time.Time { return now }
				o.Messages = &msgs
			}).Token(context.Background())
			if len(client.calls) != tc.wantCalls {
				t.Errorf("CreateToken calls = %d, want %d", len(client.calls), tc.wantCalls)
			}
			if !strings.Contains(msgs.String(), tc.wantWarn) || (tc.wantWarn == "" && msgs.Len() > 0) {
				t.Errorf("messages = %q, want them to contain %q", msgs.String(), tc.wantWarn)
			}
			if tc.wantErr != "" {
				var signIn *SignInRequiredError
				if !errors.As(err, &signIn) {
					t.Fatalf("Token() error = %v, want *SignInRequiredError", err)
				}
				if diff := cmp.Diff(tc.wantErr, err.Error()); diff != "" {
					t.Errorf("error text (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Token() error = %v", err)
			}
			if tok.AccessToken != tc.wantAccess {
				t.Errorf("AccessToken = %q, want %q", tok.AccessToken, tc.wantAccess)
			}
			saved, err := cache.LoadToken(tc.sso.CacheKey())
			if err != nil {
				t.Fatal(err)
			}
			if saved.AccessToken != tc.wantAccess {
				t.Errorf("cached AccessToken = %q, want %q", saved.AccessToken, tc.wantAccess)
			}
		})
	}
}

func TestChallengeMatchesRFC7636(t *testing.T) {
	if got, want := challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("challenge() = %q, want %q", got, want)
	}
}

func TestVerifierIsSixtyFourUnreservedCharacters(t *testing.T) {
	seen := map[rune]bool{}
	for range 200 {
		v, err := newVerifier()
		if err != nil {
			t.Fatal(err)
		}
		if len(v) != 64 {
			t.Fatalf("len(verifier) = %d, want 64", len(v))
		}
		for _, r := range v {
			if !strings.ContainsRune(verifierChars, r) {
				t.Fatalf("verifier %q has %q, outside the unreserved set", v, r)
			}
			seen[r] = true
		}
	}
	// 12,800 draws leave no character of 66 unseen unless the draw is biased.
	if len(seen) != len(verifierChars) {
		t.Errorf("only %d of %d characters ever drawn", len(seen), len(verifierChars))
	}
}

func TestAuthorizeURLIsBuiltAsTheCLIDoes(t *testing.T) {
	got := authorizeURL("https://oidc.us-east-1.amazonaws.com", "cl-4f1c2a", "http://127.0.0.1:50123/oauth/callback",
		"6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44", []string{"sso:account:access"}, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
	want := "https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=cl-4f1c2a" +
		"&redirect_uri=http%3A%2F%2F127.0.0.1%3A50123%2Foauth%2Fcallback" +
		"&state=6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44&code_challenge_method=S256" +
		"&scopes=sso%3Aaccount%3Aaccess&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("authorizeURL (-want +got):\n%s", diff)
	}

	got = authorizeURL("http://127.0.0.1:8080/some/prefix", "c", "r", "s", []string{"sso:foo", "sso:bar~x"}, "ch")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "127.0.0.1:8080" || u.Path != "/authorize" {
		t.Errorf("authorize URL %q: want the endpoint's host and no path prefix", got)
	}
	if !strings.Contains(got, "&scopes=sso%3Afoo%20sso%3Abar~x&") {
		t.Errorf("authorize URL %q: want space-joined scopes, %%20 for the space, '~' kept", got)
	}
}

func TestCallbackListener(t *testing.T) {
	const state = "6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44"
	tests := []struct {
		name       string
		requests   []string // paths and queries, in order; the last one ends the wait
		wantStatus []int
		wantCode   string
		wantErr    string
		wantPage   string
	}{
		{
			name:       "the favicon and a bare callback are answered and ignored",
			requests:   []string{"/favicon.ico", "/oauth/callback", "/oauth/callback?code=ac-1&state=" + state},
			wantStatus: []int{404, 400, 200},
			wantCode:   "ac-1",
			wantPage:   "Signed in to AWS",
		},
		{
			name:       "a denial",
			requests:   []string{"/oauth/callback?error=access_denied&error_description=denied&state=" + state},
			wantStatus: []int{200},
			wantErr:    ErrDenied.Error(),
			wantPage:   "The sign-in was denied in the browser. You can close this window.",
		},
		{
			name:       "another error names itself",
			requests:   []string{"/oauth/callback?error=invalid_scope&error_description=scope+x+is+unknown&state=" + state},
			wantStatus: []int{200},
			wantErr:    "the sign-in failed in the browser: invalid_scope: scope x is unknown; run the command again",
			wantPage:   "Sign-in failed",
		},
		{
			name: "answers for another sign-in are refused with a page, and the wait goes on",
			requests: []string{
				"/oauth/callback?code=ac-1&state=someone-else",
				"/oauth/callback?code=ac-1",
				"/oauth/callback?error=access_denied&state=someone-else",
				"/oauth/callback?code=ac-2&state=" + state,
			},
			wantStatus: []int{400, 400, 400, 200},
			wantCode:   "ac-2",
			wantPage:   "Signed in to AWS",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			cb := serveCallback(ln, state)
			defer cb.close()
			base := "http://" + ln.Addr().String()
			var lastPage string
			for i, req := range tc.requests {
				resp, err := http.Get(base + req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.wantStatus[i] {
					t.Errorf("GET %s: status %d, want %d", req, resp.StatusCode, tc.wantStatus[i])
				}
				lastPage = string(body)
			}
			if !strings.Contains(lastPage, tc.wantPage) {
				t.Errorf("last page lacks %q:\n%s", tc.wantPage, lastPage)
			}
			code, err := cb.wait(context.Background(), time.Second)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("wait() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || code != tc.wantCode {
				t.Fatalf("wait() = %q, %v; want %q", code, err, tc.wantCode)
			}
			cb.close()
			if _, err := http.Get(base + "/oauth/callback"); err == nil {
				t.Error("the listener still answers after close")
			}
		})
	}
}

// deviceScript is an OIDC client that registers, starts a device
// authorization with the given interval, and answers the token polls from
// a script.
type deviceScript struct {
	interval int32
	answers  []error // nil means success
	polls    int
}

func (c *deviceScript) RegisterClient(context.Context, *ssooidc.RegisterClientInput, ...func(*ssooidc.Options)) (*ssooidc.RegisterClientOutput, error) {
	return &ssooidc.RegisterClientOutput{ClientId: aws.String("cid"), ClientSecret: aws.String("cs"), ClientSecretExpiresAt: time.Now().Add(time.Hour).Unix()}, nil
}

func (c *deviceScript) StartDeviceAuthorization(context.Context, *ssooidc.StartDeviceAuthorizationInput, ...func(*ssooidc.Options)) (*ssooidc.StartDeviceAuthorizationOutput, error) {
	return &ssooidc.StartDeviceAuthorizationOutput{
		DeviceCode: aws.String("dc"), UserCode: aws.String("ABCD-EFGH"), ExpiresIn: 600, Interval: c.interval,
		VerificationUri:         aws.String("https://device.example/"),
		VerificationUriComplete: aws.String("https://device.example/?user_code=ABCD-EFGH"),
	}, nil
}

func (c *deviceScript) CreateToken(_ context.Context, in *ssooidc.CreateTokenInput, _ ...func(*ssooidc.Options)) (*ssooidc.CreateTokenOutput, error) {
	if aws.ToString(in.GrantType) != grantDeviceCode || aws.ToString(in.DeviceCode) != "dc" {
		return nil, errors.New("unexpected CreateToken input")
	}
	if c.polls >= len(c.answers) {
		return nil, errors.New("polled after the script ended")
	}
	err := c.answers[c.polls]
	c.polls++
	if err != nil {
		return nil, err
	}
	return &ssooidc.CreateTokenOutput{AccessToken: aws.String("at"), ExpiresIn: 3600}, nil
}

func TestDevicePollingFollowsTheService(t *testing.T) {
	pending := &types.AuthorizationPendingException{}
	slow := &types.SlowDownException{}
	tests := []struct {
		name      string
		interval  int32
		answers   []error
		wantWaits []time.Duration
		wantErr   error
		wantMsg   string
	}{
		{name: "approved before the first wait: nobody is bothered", interval: 1, answers: []error{nil}, wantWaits: nil},
		{name: "pending polls wait the interval", interval: 2, answers: []error{pending, pending, nil}, wantWaits: []time.Duration{2 * time.Second, 2 * time.Second}},
		{name: "slow_down adds five seconds for good", interval: 1, answers: []error{pending, slow, pending, nil}, wantWaits: []time.Duration{time.Second, 6 * time.Second, 6 * time.Second}},
		{name: "no interval means five seconds", interval: 0, answers: []error{pending, nil}, wantWaits: []time.Duration{5 * time.Second}},
		{name: "an expired code stops the polling", interval: 1, answers: []error{pending, &types.ExpiredTokenException{}}, wantWaits: []time.Duration{time.Second}, wantErr: ErrAuthorizationExpired},
		{name: "a denial stops the polling", interval: 1, answers: []error{pending, &types.AccessDeniedException{}}, wantWaits: []time.Duration{time.Second}, wantErr: ErrDenied},
		{name: "server errors and throttling do not stop the polling", interval: 1, answers: []error{httpError(500, &types.InternalServerException{}), pending, httpError(503, errors.New("unavailable")), httpError(429, errors.New("throttled")), nil},
			wantWaits: []time.Duration{time.Second, time.Second, time.Second, time.Second}},
		{name: "an expiry after failures says what failed", interval: 1, answers: []error{pending, httpError(503, errors.New("unavailable")), &types.ExpiredTokenException{}},
			wantWaits: []time.Duration{time.Second, time.Second}, wantErr: ErrAuthorizationExpired, wantMsg: "the last poll failed: poll for the sign-in at "},
		{name: "a client error stops the polling", interval: 1, answers: []error{pending, httpError(400, &types.InvalidClientException{})}, wantWaits: []time.Duration{time.Second}, wantMsg: "InvalidClientException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client := &deviceScript{interval: tc.interval, answers: tc.answers}
			var waits []time.Duration
			var msgs strings.Builder
			sso := config.SSO{SessionName: "s", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-1"}
			tok, err := NewSession(sso, func(o *Options) {
				o.Cache = tokencache.New(tempdir.New(t))
				o.OIDCClient = client
				o.UseDeviceCode, o.NoBrowser = true, true
				o.Messages = &msgs
				o.after = func(d time.Duration) <-chan time.Time {
					waits = append(waits, d)
					c := make(chan time.Time, 1)
					c <- time.Time{}
					return c
				}
			}).Login(context.Background())
			if diff := cmp.Diff(tc.wantWaits, waits); diff != "" {
				t.Errorf("waits between polls (-want +got):\n%s", diff)
			}
			if client.polls != len(tc.answers) {
				t.Errorf("polled %d times, want %d", client.polls, len(tc.answers))
			}
			if tc.wantErr != nil || tc.wantMsg != "" {
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) || err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("Login error = %v, want %v saying %q", err, tc.wantErr, tc.wantMsg)
				}
				return
			}
			if err != nil || tok.AccessToken != "at" {
				t.Fatalf("Login = %+v, %v", tok, err)
			}
			prompted := strings.Contains(msgs.String(), "confirm the code ABCD-EFGH") && strings.Contains(msgs.String(), "https://device.example/?user_code=ABCD-EFGH")
			if prompted != (len(tc.answers) > 1) {
				t.Errorf("prompted = %v, want %v; messages:\n%s", prompted, len(tc.answers) > 1, msgs.String())
			}
		})
	}
}

// httpError is err as the SDK returns it for an HTTP answer with status.
func httpError(status int, err error) error {
	return &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err}
}

func TestHTTPClientKeepsAConnectionPerWorker(t *testing.T) {
	base := &http.Client{Timeout: 7 * time.Second}
	got, err := buildHTTPClient(base, "")
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := got.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost <= 8 || got.Timeout != base.Timeout || tr.Proxy == nil {
		t.Errorf("buildHTTPClient(default transport) = %+v; want a pool per worker, the timeout and the proxy from the environment", got)
	}
	if base.Transport != nil {
		t.Errorf("buildHTTPClient changed the given client")
	}
	custom := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })}
	if got, err := buildHTTPClient(custom, ""); err != nil || got.Transport == nil {
		t.Errorf("a client with its own round tripper: %v, %v", got, err)
	}
	if _, err := buildHTTPClient(custom, "/ca.pem"); err == nil || !strings.Contains(err.Error(), "/ca.pem") {
		t.Errorf("a CA bundle with a round tripper that takes none: err = %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The CA bundle replaces the system's roots, as in the SDKs; a missing or
// empty file is an error that names it, returned by the first call.
func TestHTTPClientCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	dir := tempdir.New(t)
	good := filepath.Join(dir, "ca.pem")
	os.WriteFile(good, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, []byte("not a certificate\n"), 0o600)

	c, err := buildHTTPClient(nil, good)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("with the server's CA in the bundle: %v", err)
	}
	resp.Body.Close()

	plain, _ := buildHTTPClient(nil, "")
	if _, err := plain.Get(srv.URL); err == nil {
		t.Error("without the bundle the test server's certificate was trusted")
	}
	for _, path := range []string{empty, filepath.Join(dir, "missing.pem")} {
		if _, err := buildHTTPClient(nil, path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("bundle %s: err = %v, want one naming the file", path, err)
		}
	}
	// Building a session reads nothing; its first call reports the file.
	sess := NewSession(config.SSO{SessionName: "s", StartURL: "https://d-1.awsapps.com/start", Region: "us-east-1",
		CABundle: filepath.Join(dir, "missing.pem"), Endpoints: config.Endpoints{Portal: srv.URL}}, func(o *Options) { o.Home = dir })
	err = sess.Revoke(context.Background(), &tokencache.Token{AccessToken: "at"})
	if err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("a call with a missing bundle: err = %v, want one naming the file", err)
	}
}

// The browser's /authorize URL goes to the host the SDK's OIDC client
// calls, in every partition and with FIPS and dual-stack: each case of the
// sso-oidc model's endpoint tests (shipped with the SDKs) without a custom
// endpoint, plus the European Sovereign Cloud, which is newer than them.
func TestAuthorizeURLHostInEveryPartition(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "spec", "aws-models", "sso-oidc", "2019-06-10", "endpoint-tests-1.json"))
	if err != nil {
		t.Fatalf("the sso-oidc endpoint tests: %v", err)
	}
	var suite struct {
		TestCases []struct {
			Documentation string
			Params        struct {
				Region                *string
				UseFIPS, UseDualStack bool
				Endpoint              *string
			}
			Expect struct {
				Endpoint *struct{ URL string }
			}
		}
	}
	if err := json.Unmarshal(data, &suite); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		name, region string
		fips, dual   bool
		want         string
	}
	cases := []tc{{"European Sovereign Cloud", "eusc-de-east-1", false, false, "https://oidc.eusc-de-east-1.amazonaws.eu"}}
	for _, c := range suite.TestCases {
		if c.Params.Region == nil || c.Params.Endpoint != nil || c.Expect.Endpoint == nil {
			continue
		}
		cases = append(cases, tc{c.Documentation, *c.Params.Region, c.Params.UseFIPS, c.Params.UseDualStack, c.Expect.Endpoint.URL})
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := config.Endpoints{UseFIPS: c.fips, UseDualStack: c.dual}.ForSSORegion(c.region)
			sess := NewSession(config.SSO{SessionName: "s", StartURL: "https://d-1.awsapps.com/start", Region: c.region, Endpoints: e})
			u, err := url.Parse(authorizeURL(sess.OIDCEndpoint(), "client", "http://127.0.0.1:1/oauth/callback", "state", nil, "challenge"))
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Scheme + "://" + u.Host; got != c.want {
				t.Errorf("authorize URL goes to %s, want %s", got, c.want)
			}
			if u.Path != "/authorize" {
				t.Errorf("path %q", u.Path)
			}
		})
	}
}
