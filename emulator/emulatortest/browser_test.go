package emulatortest_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
)

const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"

func oidcClient(srv *emulatortest.Server) *ssooidc.Client {
	return ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)})
}

// startDevice registers a client and starts a device authorization, as the
// AWS CLI does.
func startDevice(t *testing.T, srv *emulatortest.Server) (*ssooidc.RegisterClientOutput, *ssooidc.StartDeviceAuthorizationOutput) {
	t.Helper()
	ctx := context.Background()
	c := oidcClient(srv)
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("browser-test"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg, dev
}

func deviceToken(srv *emulatortest.Server, reg *ssooidc.RegisterClientOutput, dev *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
	return oidcClient(srv).CreateToken(context.Background(), &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode,
	})
}

// accountIDs lists the accounts the token reaches, which names the user
// who approved.
func accountIDs(t *testing.T, srv *emulatortest.Server, token *string) []string {
	t.Helper()
	out, err := sso.New(sso.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)}).
		ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range out.AccountList {
		ids = append(ids, aws.ToString(a.AccountId))
	}
	return ids
}

func wantAccounts(srv *emulatortest.Server, user string) []string {
	var ids []string
	for _, a := range srv.Directory.Assignments(user) {
		ids = append(ids, a.AccountID)
	}
	return ids
}

func TestFollowApprovesADeviceCode(t *testing.T) {
	tests := []struct {
		name string
		user string
	}{
		{"a user with a password only", directory.DemoUser},
		{"a user with a TOTP second factor", directory.DemoTOTPUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := emulatortest.NewServer(t)
			reg, dev := startDevice(t, srv)
			if _, err := deviceToken(srv, reg, dev); !isPending(err) {
				t.Fatalf("CreateToken before approval: %v, want AuthorizationPendingException", err)
			}
			b := srv.Browser(t, tt.user, srv.Password(t, tt.user))
			stub := &browserstub.Stub{Follow: b.Follow}
			if err := stub.Open(aws.ToString(dev.VerificationUriComplete)); err != nil {
				t.Fatal(err)
			}
			tok, err := deviceToken(srv, reg, dev)
			if err != nil {
				t.Fatalf("CreateToken after approval: %v", err)
			}
			if diff := cmp.Diff(wantAccounts(srv, tt.user), accountIDs(t, srv, tok.AccessToken)); diff != "" {
				t.Errorf("the token is not %s's (-want +got accounts):\n%s", tt.user, diff)
			}
		})
	}
}

func isPending(err error) bool {
	var e *types.AuthorizationPendingException
	return errors.As(err, &e)
}

func TestDenyRefusesADeviceCode(t *testing.T) {
	srv := emulatortest.NewServer(t)
	reg, dev := startDevice(t, srv)
	b := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser))
	if err := b.Deny(aws.ToString(dev.VerificationUriComplete)); err != nil {
		t.Fatal(err)
	}
	var denied *types.AccessDeniedException
	if _, err := deviceToken(srv, reg, dev); !errors.As(err, &denied) {
		t.Errorf("CreateToken after Deny: %v, want AccessDeniedException", err)
	}
}

func TestOneBrowserSignsInOnce(t *testing.T) {
	srv := emulatortest.NewServer(t)
	b := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser))
	for i := range 2 {
		reg, dev := startDevice(t, srv)
		if err := b.Follow(aws.ToString(dev.VerificationUriComplete)); err != nil {
			t.Fatalf("approval %d: %v", i+1, err)
		}
		if _, err := deviceToken(srv, reg, dev); err != nil {
			t.Fatalf("CreateToken %d: %v", i+1, err)
		}
	}
}

// loopback is a client's redirect listener, like the AWS CLI's.
type loopback struct {
	*httptest.Server
	mu    sync.Mutex
	query url.Values
}

func newLoopback(t *testing.T) *loopback {
	l := &loopback{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.query = r.URL.Query()
		l.mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<p>You can close this window.</p>"))
	}))
	t.Cleanup(l.Close)
	return l
}

func (l *loopback) got() url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.query
}

type pkce struct {
	reg         *ssooidc.RegisterClientOutput
	authorize   string
	redirectURI string
	verifier    string
	state       string
}

// startPKCE registers an authorization-code client and builds the
// /authorize URL the way the AWS CLI does.
func startPKCE(t *testing.T, srv *emulatortest.Server, l *loopback) pkce {
	t.Helper()
	reg, err := oidcClient(srv).RegisterClient(context.Background(), &ssooidc.RegisterClientInput{
		ClientName: aws.String("pkce-test"), ClientType: aws.String("public"),
		GrantTypes:   []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl:    aws.String(srv.StartURL),
		Scopes:       []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatal(err)
	}
	verifier := strings.Repeat("v3rifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	p := pkce{reg: reg, redirectURI: l.URL + "/oauth/callback", verifier: verifier, state: "6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44"}
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {aws.ToString(reg.ClientId)},
		"redirect_uri":          {p.redirectURI},
		"state":                 {p.state},
		"code_challenge_method": {"S256"},
		"scopes":                {"sso:account:access"},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
	}
	p.authorize = srv.URL + "/authorize?" + q.Encode()
	return p
}

func TestFollowCompletesPKCEAtTheClientsListener(t *testing.T) {
	srv := emulatortest.NewServer(t)
	l := newLoopback(t)
	p := startPKCE(t, srv, l)
	b := srv.Browser(t, directory.DemoTOTPUser, srv.Password(t, directory.DemoTOTPUser))
	if err := b.Follow(p.authorize); err != nil {
		t.Fatal(err)
	}
	q := l.got()
	if q.Get("state") != p.state || q.Get("code") == "" {
		t.Fatalf("listener got %v, want a code and state %s", q, p.state)
	}
	tok, err := oidcClient(srv).CreateToken(context.Background(), &ssooidc.CreateTokenInput{
		ClientId: p.reg.ClientId, ClientSecret: p.reg.ClientSecret, GrantType: aws.String("authorization_code"),
		Code: aws.String(q.Get("code")), CodeVerifier: aws.String(p.verifier), RedirectUri: aws.String(p.redirectURI),
	})
	if err != nil {
		t.Fatalf("CreateToken with the code: %v", err)
	}
	if diff := cmp.Diff(wantAccounts(srv, directory.DemoTOTPUser), accountIDs(t, srv, tok.AccessToken)); diff != "" {
		t.Errorf("the token is not alice's (-want +got accounts):\n%s", diff)
	}
}

func TestDenySendsTheListenerAnError(t *testing.T) {
	srv := emulatortest.NewServer(t)
	l := newLoopback(t)
	p := startPKCE(t, srv, l)
	b := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser))
	if err := b.Deny(p.authorize); err != nil {
		t.Fatal(err)
	}
	q := l.got()
	if q.Get("error") != "access_denied" || q.Get("state") != p.state || q.Has("code") {
		t.Errorf("listener got %v, want error=access_denied with the state and no code", q)
	}
}

func TestFollowReportsWhatThePageSays(t *testing.T) {
	srv := emulatortest.NewServer(t)
	_, dev := startDevice(t, srv)
	tests := []struct {
		name       string
		password   string
		url        string
		wantStatus int
		wantText   string
	}{
		{"a wrong password", "wrong", aws.ToString(dev.VerificationUriComplete), http.StatusUnauthorized, "username or password is not right"},
		{"an unknown user code", "", srv.URL + "/device?user_code=ZZZZ-ZZZZ", http.StatusNotFound, "That code was not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pw := tt.password
			if pw == "" {
				pw = srv.Password(t, directory.DemoUser)
			}
			err := srv.Browser(t, directory.DemoUser, pw).Follow(tt.url)
			var pe *emulatortest.PageError
			if !errors.As(err, &pe) {
				t.Fatalf("Follow: %v, want a *PageError", err)
			}
			if pe.Status != tt.wantStatus || !strings.Contains(pe.Text, tt.wantText) {
				t.Errorf("page error %d %q, want %d containing %q", pe.Status, pe.Text, tt.wantStatus, tt.wantText)
			}
		})
	}
}

func TestFollowWithoutTheCodeSaysWhichURLToOpen(t *testing.T) {
	srv := emulatortest.NewServer(t)
	_, dev := startDevice(t, srv)
	err := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser)).Follow(aws.ToString(dev.VerificationUri))
	if err == nil || !strings.Contains(err.Error(), "verificationUriComplete") {
		t.Errorf("Follow(verificationUri) = %v, want an error naming verificationUriComplete", err)
	}
}

func TestABrowserSharedByConcurrentLogins(t *testing.T) {
	srv := emulatortest.NewServer(t)
	b := srv.Browser(t, directory.DemoTOTPUser, srv.Password(t, directory.DemoTOTPUser))
	stub := &browserstub.Stub{Follow: b.Follow}
	const n = 4
	type flow struct {
		reg *ssooidc.RegisterClientOutput
		dev *ssooidc.StartDeviceAuthorizationOutput
	}
	flows := make([]flow, n)
	for i := range flows {
		flows[i].reg, flows[i].dev = startDevice(t, srv)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, f := range flows {
		wg.Go(func() { errs[i] = stub.Open(aws.ToString(f.dev.VerificationUriComplete)) })
	}
	wg.Wait()
	for i, f := range flows {
		if errs[i] != nil {
			t.Errorf("login %d: %v", i, errs[i])
			continue
		}
		if _, err := deviceToken(srv, f.reg, f.dev); err != nil {
			t.Errorf("CreateToken %d: %v", i, err)
		}
	}
	if got := len(stub.URLs()); got != n {
		t.Errorf("stub saw %d URLs, want %d", got, n)
	}
}
