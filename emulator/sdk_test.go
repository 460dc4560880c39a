package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// clients are the real SDK clients pointed at one emulator, with retries
// off so each call is one request and errors surface as they are.
type clients struct {
	oidc *ssooidc.Client
	sso  *sso.Client
	srv  *emulatortest.Server
}

func newClients(t testing.TB, srv *emulatortest.Server) clients {
	t.Helper()
	return clients{
		oidc: ssooidc.New(ssooidc.Options{
			Region: srv.Region, BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
			Credentials: aws.AnonymousCredentials{},
		}),
		sso: sso.New(sso.Options{
			Region: srv.Region, BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
			Credentials: aws.AnonymousCredentials{},
		}),
		srv: srv,
	}
}

func stsClient(srv *emulatortest.Server, akid, secret, token string) *sts.Client {
	return sts.New(sts.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, token),
	})
}

func (c clients) register(t testing.TB, in *ssooidc.RegisterClientInput) *ssooidc.RegisterClientOutput {
	t.Helper()
	if in.ClientType == nil {
		in.ClientType = aws.String("public")
	}
	if in.ClientName == nil {
		in.ClientName = aws.String("botocore-client-test")
	}
	out, err := c.oidc.RegisterClient(context.Background(), in)
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	return out
}

func (c clients) startDevice(t testing.TB, reg *ssooidc.RegisterClientOutput) *ssooidc.StartDeviceAuthorizationOutput {
	t.Helper()
	out, err := c.oidc.StartDeviceAuthorization(context.Background(), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(c.srv.StartURL),
	})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	return out
}

func (c clients) deviceToken(reg *ssooidc.RegisterClientOutput, dev *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
	return c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: dev.DeviceCode,
	})
}

// wantErrAs fails unless err is (wraps) a *T.
func wantErrAs[T error](t *testing.T, what string, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("%s: err = %v (%T), want %T", what, err, err, target)
	}
	return target
}

func TestDeviceFlow(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Now = clk.Now })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})
	dev := c.startDevice(t, reg)

	if got := aws.ToString(dev.VerificationUri); got != srv.URL+"/device" {
		t.Errorf("verificationUri = %q, want %q", got, srv.URL+"/device")
	}
	if !regexp.MustCompile(`^[A-Z]{4}-[A-Z]{4}$`).MatchString(aws.ToString(dev.UserCode)) {
		t.Errorf("userCode = %q, want XXXX-XXXX", aws.ToString(dev.UserCode))
	}
	if want := srv.URL + "/device?user_code=" + aws.ToString(dev.UserCode); aws.ToString(dev.VerificationUriComplete) != want {
		t.Errorf("verificationUriComplete = %q, want %q", aws.ToString(dev.VerificationUriComplete), want)
	}
	if dev.ExpiresIn != 600 || dev.Interval != 1 {
		t.Errorf("expiresIn, interval = %d, %d; want 600, 1", dev.ExpiresIn, dev.Interval)
	}

	_, err := c.deviceToken(reg, dev)
	wantErrAs[*types.AuthorizationPendingException](t, "first poll", err)
	_, err = c.deviceToken(reg, dev)
	wantErrAs[*types.SlowDownException](t, "immediate second poll", err)
	clk.Advance(10 * time.Second) // the interval grew by 5 s after slow_down
	_, err = c.deviceToken(reg, dev)
	wantErrAs[*types.AuthorizationPendingException](t, "poll after waiting", err)

	if err := srv.Browser(t, "demo", srv.Password(t, "demo")).Follow(aws.ToString(dev.VerificationUriComplete)); err != nil {
		t.Fatalf("approve in the browser: %v", err)
	}
	// No waiting: once approved, the token comes whatever the polling pace.
	tok, err := c.deviceToken(reg, dev)
	if err != nil {
		t.Fatalf("CreateToken after approval: %v", err)
	}
	if aws.ToString(tok.TokenType) != "Bearer" || tok.ExpiresIn != 8*3600 || aws.ToString(tok.AccessToken) == "" {
		t.Errorf("token = %+v, want a Bearer token lasting the 8h session (no refresh token without scopes)", tok)
	}
	if tok.RefreshToken != nil {
		t.Errorf("a client registered without scopes got refresh token %q", aws.ToString(tok.RefreshToken))
	}
	_, err = c.deviceToken(reg, dev)
	wantErrAs[*types.InvalidGrantException](t, "reusing the device code", err)

	accounts, err := c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatalf("ListAccounts with the device token: %v", err)
	}
	if len(accounts.AccountList) == 0 || aws.ToString(accounts.AccountList[0].AccountId) != "111122223333" {
		t.Errorf("ListAccounts = %+v", accounts.AccountList)
	}
	if got := srv.Count("CreateToken"); got != 5 {
		t.Errorf("Count(CreateToken) = %d, want 5", got)
	}
}

func TestDeviceFlowDeniedAndExpired(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Now = clk.Now })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})

	denied := c.startDevice(t, reg)
	if err := srv.Browser(t, "demo", srv.Password(t, "demo")).Deny(aws.ToString(denied.VerificationUriComplete)); err != nil {
		t.Fatalf("deny in the browser: %v", err)
	}
	_, err := c.deviceToken(reg, denied)
	wantErrAs[*types.AccessDeniedException](t, "poll after denial", err)

	expired := c.startDevice(t, reg)
	clk.Advance(10*time.Minute + time.Second)
	_, err = c.deviceToken(reg, expired)
	e := wantErrAs[*types.ExpiredTokenException](t, "poll after expiry", err)
	if aws.ToString(e.Error_) != "expired_token" {
		t.Errorf("error member = %q, want expired_token", aws.ToString(e.Error_))
	}
}

// Real clients register for the device flow in different ways, and the
// real service lets each of them sign in.
func TestDeviceFlowForEveryRegistrationRealClientsMake(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	scopes := []string{"sso:account:access"}
	tests := []struct {
		name        string
		in          ssooidc.RegisterClientInput
		wantRefresh bool
	}{
		{"no grantTypes, as the AWS CLI registers", ssooidc.RegisterClientInput{Scopes: scopes}, true},
		{"no grantTypes and no scopes, a legacy registration", ssooidc.RegisterClientInput{}, false},
		{"refresh_token alone, as aws-sso-cli registers", ssooidc.RegisterClientInput{GrantTypes: []string{"refresh_token"}, Scopes: scopes}, true},
		{"the device code grant alone", ssooidc.RegisterClientInput{GrantTypes: []string{"urn:ietf:params:oauth:grant-type:device_code"}, Scopes: scopes}, false},
		{"the device code and refresh grants", ssooidc.RegisterClientInput{GrantTypes: []string{"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"}, Scopes: scopes}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := c.register(t, &tt.in)
			tok, err := c.deviceToken(reg, c.startDevice(t, reg))
			if err != nil {
				t.Fatalf("device sign-in: %v", err)
			}
			if got := tok.RefreshToken != nil; got != tt.wantRefresh {
				t.Fatalf("refresh token issued = %v, want %v", got, tt.wantRefresh)
			}
			if !tt.wantRefresh {
				return
			}
			if _, err := c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken,
			}); err != nil {
				t.Errorf("refresh: %v", err)
			}
		})
	}
	t.Run("a client registered for authorization_code cannot start a device sign-in", func(t *testing.T) {
		reg := pkceClient(t, c)
		_, err := c.oidc.StartDeviceAuthorization(context.Background(), &ssooidc.StartDeviceAuthorizationInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
		})
		wantErrAs[*types.UnauthorizedClientException](t, "", err)
	})
}

func TestAutoApproveDevice(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "bob" })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatalf("first poll with auto-approve: %v", err)
	}
	accounts, err := c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range accounts.AccountList {
		ids = append(ids, aws.ToString(a.AccountId))
	}
	if diff := cmp.Diff([]string{"777788889999"}, ids); diff != "" {
		t.Errorf("bob's accounts (-want +got):\n%s", diff)
	}
}

// pkce runs /authorize with a plain HTTP client that follows redirects to a
// loopback listener, as a browser would with auto-approve on, and returns
// the query the listener received.
func pkce(t *testing.T, srv *emulatortest.Server, reg *ssooidc.RegisterClientOutput, verifier, scopes string) (url.Values, string) {
	t.Helper()
	got := make(chan url.Values, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.URL.Query():
		default:
		}
		_, _ = w.Write([]byte("You may close this window."))
	}))
	t.Cleanup(cb.Close)
	redirect := cb.URL + "/oauth/callback"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {aws.ToString(reg.ClientId)},
		"redirect_uri":          {redirect},
		"state":                 {"6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44"},
		"code_challenge_method": {"S256"},
		"scopes":                {scopes},
	}
	u := srv.URL + "/authorize?" + q.Encode() + "&code_challenge=" + base64.RawURLEncoding.EncodeToString(sum[:])
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET /authorize: %v", err)
	}
	resp.Body.Close()
	select {
	case v := <-got:
		return v, redirect
	default:
		t.Fatalf("GET /authorize ended at %s with %s, not at the loopback listener", resp.Request.URL, resp.Status)
		return nil, ""
	}
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-chars"

func pkceClient(t *testing.T, c clients) *ssooidc.RegisterClientOutput {
	return c.register(t, &ssooidc.RegisterClientInput{
		GrantTypes:   []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl:    aws.String(c.srv.StartURL),
		Scopes:       []string{"sso:account:access"},
	})
}

func TestPKCEFlow(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := pkceClient(t, c)
	if got := aws.ToString(reg.AuthorizationEndpoint); got != srv.URL+"/authorize" {
		t.Errorf("authorizationEndpoint = %q", got)
	}
	q, redirect := pkce(t, srv, reg, verifier, "sso:account:access")
	if q.Get("state") != "6f1f3a7e-3c1e-4b8e-9f5a-2b7d9c0e1a44" || q.Get("code") == "" || q.Has("error") {
		t.Fatalf("callback query = %v, want code and the same state", q)
	}
	exchange := func(code, redirectURI, verifier string) (*ssooidc.CreateTokenOutput, error) {
		return c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"),
			Code: aws.String(code), RedirectUri: aws.String(redirectURI), CodeVerifier: aws.String(verifier),
		})
	}
	t.Run("a wrong verifier is refused and spends the code", func(t *testing.T) {
		q, redirect := pkce(t, srv, reg, verifier, "sso:account:access")
		_, err := exchange(q.Get("code"), redirect, verifier+"x")
		wantErrAs[*types.InvalidGrantException](t, "wrong verifier", err)
		_, err = exchange(q.Get("code"), redirect, verifier)
		wantErrAs[*types.InvalidGrantException](t, "right verifier after a wrong one", err)
	})
	t.Run("the redirect URI must be the one authorized", func(t *testing.T) {
		q, _ := pkce(t, srv, reg, verifier, "sso:account:access")
		_, err := exchange(q.Get("code"), "http://127.0.0.1:1/oauth/callback", verifier)
		wantErrAs[*types.InvalidGrantException](t, "other redirect URI", err)
	})
	tok, err := exchange(q.Get("code"), redirect, verifier)
	if err != nil {
		t.Fatalf("CreateToken(authorization_code): %v", err)
	}
	if tok.RefreshToken == nil {
		t.Error("a client registered with scopes got no refresh token")
	}
	_, err = exchange(q.Get("code"), redirect, verifier)
	wantErrAs[*types.InvalidGrantException](t, "reusing the code", err)
	if got := srv.Count("Authorize"); got != 3 {
		t.Errorf("Count(Authorize) = %d, want 3", got)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := pkceClient(t, c)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := url.Values{
		"response_type": {"code"}, "client_id": {aws.ToString(reg.ClientId)},
		"redirect_uri": {"http://127.0.0.1:9/oauth/callback"}, "state": {"st"},
		"code_challenge_method": {"S256"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
	}
	tests := []struct {
		name       string
		change     url.Values
		wantStatus int
		wantError  string // in the redirect, or the X-Amzn-ErrorType of a direct answer
	}{
		{"a loopback redirect on another port is accepted", nil, http.StatusFound, ""},
		{"localhost does not match a registered 127.0.0.1", url.Values{"redirect_uri": {"http://localhost:9/oauth/callback"}}, http.StatusBadRequest, "InvalidRequestException"},
		{"another path is refused without a redirect", url.Values{"redirect_uri": {"http://127.0.0.1:9/evil"}}, http.StatusBadRequest, "InvalidRequestException"},
		{"an unknown client is refused without a redirect", url.Values{"client_id": {"nope"}}, http.StatusUnauthorized, "InvalidClientException"},
		{"plain challenges are refused", url.Values{"code_challenge_method": {"plain"}}, http.StatusFound, "invalid_request"},
		{"a short challenge is refused", url.Values{"code_challenge": {"abc"}}, http.StatusFound, "invalid_request"},
		{"a missing state is refused", url.Values{"state": {""}}, http.StatusFound, "invalid_request"},
		{"response_type token is refused", url.Values{"response_type": {"token"}}, http.StatusFound, "unsupported_response_type"},
		{"an unregistered scope is refused", url.Values{"scopes": {"sso:account:access,codewhisperer:completions"}}, http.StatusFound, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			for k, v := range tt.change {
				q[k] = v
			}
			resp, err := noRedirect.Get(srv.URL + "/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusFound {
				if got := resp.Header.Get("X-Amzn-Errortype"); got != tt.wantError {
					t.Errorf("X-Amzn-ErrorType = %q, want %q", got, tt.wantError)
				}
				return
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if !strings.HasPrefix(loc.String(), "http://127.0.0.1:9/oauth/callback?") {
				t.Fatalf("Location = %s, want the client's redirect URI", loc)
			}
			if got := loc.Query().Get("error"); got != tt.wantError {
				t.Errorf("error = %q, want %q (Location %s)", got, tt.wantError, loc)
			}
			if tt.wantError != "" && loc.Query().Get("state") != q.Get("state") {
				t.Errorf("error redirect lost the state: %s", loc)
			}
		})
	}
}

func TestRefreshRotationAndLogout(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	first, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	refresh := func(rt *string) (*ssooidc.CreateTokenOutput, error) {
		return c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: rt,
		})
	}
	second, err := refresh(first.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if aws.ToString(second.RefreshToken) == "" || aws.ToString(second.RefreshToken) == aws.ToString(first.RefreshToken) {
		t.Errorf("refresh returned refresh token %q, want a new one", aws.ToString(second.RefreshToken))
	}
	_, err = refresh(first.RefreshToken)
	wantErrAs[*types.InvalidGrantException](t, "reusing a rotated refresh token", err)

	other := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	_, err = c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
		ClientId: other.ClientId, ClientSecret: other.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: second.RefreshToken,
	})
	wantErrAs[*types.InvalidGrantException](t, "another client's refresh token", err)

	if _, err := c.sso.Logout(context.Background(), &sso.LogoutInput{AccessToken: second.AccessToken}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = refresh(second.RefreshToken)
	wantErrAs[*types.InvalidGrantException](t, "refresh after logout", err)
	_, err = c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: second.AccessToken})
	wantErrAs[*ssotypes.UnauthorizedException](t, "ListAccounts after logout", err)
	_, err = c.sso.Logout(context.Background(), &sso.LogoutInput{AccessToken: second.AccessToken})
	wantErrAs[*ssotypes.UnauthorizedException](t, "Logout twice", err)
}

func TestRegisterClientErrors(t *testing.T) {
	srv := emulatortest.NewServer(t)
	c := newClients(t, srv)
	tests := []struct {
		name  string
		in    ssooidc.RegisterClientInput
		check func(t *testing.T, err error)
	}{
		{"a confidential client", ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("confidential")},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidClientMetadataException](t, "", err) }},
		{"an http redirect to a remote host", ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public"),
			GrantTypes: []string{"authorization_code"}, RedirectUris: []string{"http://example.com/cb"}},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidRedirectUriException](t, "", err) }},
		{"a scope with a space", ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public"), Scopes: []string{"a b"}},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidScopeException](t, "", err) }},
		{"an unknown grant type", ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public"), GrantTypes: []string{"password"}},
			func(t *testing.T, err error) { wantErrAs[*types.UnsupportedGrantTypeException](t, "", err) }},
		{"authorization_code mixed with the device code", ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public"),
			GrantTypes:   []string{"authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"},
			RedirectUris: []string{"http://127.0.0.1/oauth/callback"}},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidScopeException](t, "", err) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.oidc.RegisterClient(context.Background(), &tt.in)
			tt.check(t, err)
		})
	}
}

func TestIssuerURLMustBeTheStartURL(t *testing.T) {
	srv := emulatortest.NewServer(t)
	c := newClients(t, srv)
	register := func(issuer string) error {
		_, err := c.oidc.RegisterClient(context.Background(), &ssooidc.RegisterClientInput{
			ClientName: aws.String("botocore-client-test"), ClientType: aws.String("public"),
			GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
			Scopes: []string{"sso:account:access"}, IssuerUrl: aws.String(issuer),
		})
		return err
	}
	for _, ok := range []string{srv.StartURL, srv.StartURL + "/", strings.ToUpper(srv.StartURL)} {
		if err := register(ok); err != nil {
			t.Errorf("issuerUrl %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"https://d-9999999999.awsapps.com/start", "https://example.com/start", "http://d-0123456789.awsapps.com/start"} {
		e := wantErrAs[*types.InvalidRequestException](t, "issuerUrl "+bad, register(bad))
		if !strings.Contains(aws.ToString(e.Error_description), srv.StartURL) {
			t.Errorf("description %q does not name the right start URL", aws.ToString(e.Error_description))
		}
	}
}

func TestCreateTokenErrors(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Now = clk.Now })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})
	dev := c.startDevice(t, reg)
	pk := pkceClient(t, c)
	other := c.register(t, &ssooidc.RegisterClientInput{})
	call := func(in ssooidc.CreateTokenInput) error {
		_, err := c.oidc.CreateToken(context.Background(), &in)
		return err
	}
	const deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"
	tests := []struct {
		name  string
		in    ssooidc.CreateTokenInput
		check func(t *testing.T, err error)
	}{
		{"a wrong client secret", ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: aws.String("wrong"), GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidClientException](t, "", err) }},
		{"an unknown client", ssooidc.CreateTokenInput{ClientId: aws.String("nope"), ClientSecret: aws.String("x"), GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidClientException](t, "", err) }},
		{"an unknown device code", ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String(deviceGrant), DeviceCode: aws.String("made-up")},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidGrantException](t, "", err) }},
		{"a device code without deviceCode", ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String(deviceGrant)},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidRequestException](t, "", err) }},
		{"an unknown grant type", ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("password")},
			func(t *testing.T, err error) { wantErrAs[*types.UnsupportedGrantTypeException](t, "", err) }},
		{"the device grant for a PKCE-only client", ssooidc.CreateTokenInput{ClientId: pk.ClientId, ClientSecret: pk.ClientSecret, GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode},
			func(t *testing.T, err error) { wantErrAs[*types.UnauthorizedClientException](t, "", err) }},
		{"another client's device code", ssooidc.CreateTokenInput{ClientId: other.ClientId, ClientSecret: other.ClientSecret, GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode},
			func(t *testing.T, err error) { wantErrAs[*types.InvalidGrantException](t, "", err) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, call(tt.in)) })
	}
	t.Run("an expired registration", func(t *testing.T) {
		clk.Advance(91 * 24 * time.Hour)
		err := call(ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String(deviceGrant), DeviceCode: dev.DeviceCode})
		wantErrAs[*types.InvalidClientException](t, "", err)
	})
}

func TestStartDeviceAuthorizationErrors(t *testing.T) {
	srv := emulatortest.NewServer(t)
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})
	_, err := c.oidc.StartDeviceAuthorization(context.Background(), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String("https://d-9999999999.awsapps.com/start"),
	})
	e := wantErrAs[*types.InvalidRequestException](t, "another instance's start URL", err)
	if !strings.Contains(aws.ToString(e.Error_description), srv.StartURL) {
		t.Errorf("description %q does not name the right start URL", aws.ToString(e.Error_description))
	}
	_, err = c.oidc.StartDeviceAuthorization(context.Background(), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: aws.String("wrong"), StartUrl: aws.String(srv.StartURL),
	})
	wantErrAs[*types.InvalidClientException](t, "a wrong secret", err)
}

// signIn returns an access token for user through auto-approved device flow.
func signIn(t testing.TB, c clients) string {
	t.Helper()
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	return aws.ToString(tok.AccessToken)
}

func TestPagination(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.Directory = directory.Generate(45, 7)
		o.AutoApprove = "demo"
	})
	c := newClients(t, srv)
	token := aws.String(signIn(t, c))

	var accounts []string
	pages := 0
	p := sso.NewListAccountsPaginator(c.sso, &sso.ListAccountsInput{AccessToken: token, MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListAccounts page %d: %v", pages+1, err)
		}
		pages++
		for _, a := range out.AccountList {
			accounts = append(accounts, aws.ToString(a.AccountId))
		}
	}
	if pages != 5 || len(accounts) != 45 || accounts[0] != "100000000000" || accounts[44] != "100000000044" {
		t.Errorf("ListAccounts: %d pages, %d accounts (%v ... %v); want 5 pages of 45", pages, len(accounts), accounts[0], accounts[len(accounts)-1])
	}

	var roles []string
	rp := sso.NewListAccountRolesPaginator(c.sso, &sso.ListAccountRolesInput{AccessToken: token, AccountId: aws.String("100000000044"), MaxResults: aws.Int32(3)})
	for rp.HasMorePages() {
		out, err := rp.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListAccountRoles: %v", err)
		}
		for _, r := range out.RoleList {
			if aws.ToString(r.AccountId) != "100000000044" {
				t.Errorf("role %s has account %s", aws.ToString(r.RoleName), aws.ToString(r.AccountId))
			}
			roles = append(roles, aws.ToString(r.RoleName))
		}
	}
	want := []string{"role-01", "role-02", "role-03", "role-04", "role-05", "role-06", "role-07"}
	if diff := cmp.Diff(want, roles); diff != "" {
		t.Errorf("ListAccountRoles (-want +got):\n%s", diff)
	}
	if got := srv.Count("ListAccountRoles"); got != 3 {
		t.Errorf("Count(ListAccountRoles) = %d, want 3 pages", got)
	}

	const sizeMessage = "ResultSize parameter must be within the valid limits of: 1-100"
	for _, tc := range []struct {
		name        string
		call        func() error
		wantMessage string
	}{
		{"ListAccounts with maxResults above 100", func() error {
			_, err := c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: token, MaxResults: aws.Int32(101)})
			return err
		}, sizeMessage},
		{"ListAccountRoles with maxResults above 100", func() error {
			_, err := c.sso.ListAccountRoles(context.Background(), &sso.ListAccountRolesInput{AccessToken: token, AccountId: aws.String("100000000044"), MaxResults: aws.Int32(1000)})
			return err
		}, sizeMessage},
		{"ListAccounts with maxResults 0", func() error {
			_, err := c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: token, MaxResults: aws.Int32(0)})
			return err
		}, sizeMessage},
		{"a made-up next token", func() error {
			_, err := c.sso.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: token, NextToken: aws.String("bogus")})
			return err
		}, ""},
	} {
		e := wantErrAs[*ssotypes.InvalidRequestException](t, tc.name, tc.call())
		if tc.wantMessage != "" && aws.ToString(e.Message) != tc.wantMessage {
			t.Errorf("%s: message = %q, want %q", tc.name, aws.ToString(e.Message), tc.wantMessage)
		}
	}
}

func TestGetRoleCredentialsAndCallerIdentity(t *testing.T) {
	clk := newClock()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.Now = clk.Now
		o.AutoApprove = "demo"
	})
	c := newClients(t, srv)
	token := aws.String(signIn(t, c))
	ctx := context.Background()

	out, err := c.sso.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: token, AccountId: aws.String("111122223333"), RoleName: aws.String("PowerUserAccess"),
	})
	if err != nil {
		t.Fatalf("GetRoleCredentials: %v", err)
	}
	rc := out.RoleCredentials
	if want := clk.Now().Add(4 * time.Hour).UnixMilli(); rc.Expiration != want {
		t.Errorf("expiration = %d, want the 4h session of PowerUserAccess (%d)", rc.Expiration, want)
	}
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(aws.ToString(rc.AccessKeyId)) {
		t.Errorf("access key id %q is not ASIA + 16", aws.ToString(rc.AccessKeyId))
	}

	id, err := stsClient(srv, aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken)).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	arn := regexp.MustCompile(`^arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PowerUserAccess_[0-9a-f]{16}/demo$`)
	if !arn.MatchString(aws.ToString(id.Arn)) || aws.ToString(id.Account) != "111122223333" {
		t.Errorf("GetCallerIdentity = %s, %s", aws.ToString(id.Arn), aws.ToString(id.Account))
	}
	if !strings.HasPrefix(aws.ToString(id.UserId), "AROA") || !strings.HasSuffix(aws.ToString(id.UserId), ":demo") {
		t.Errorf("UserId = %q", aws.ToString(id.UserId))
	}

	stsErr := func(t *testing.T, client *sts.Client, wantCode string) {
		t.Helper()
		_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != wantCode {
			t.Fatalf("GetCallerIdentity err = %v, want code %s", err, wantCode)
		}
	}
	akid, secret, session := aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken)
	t.Run("a tampered secret key", func(t *testing.T) {
		stsErr(t, stsClient(srv, akid, tamper(secret), session), "SignatureDoesNotMatch")
	})
	t.Run("a tampered session token", func(t *testing.T) {
		stsErr(t, stsClient(srv, akid, secret, session+"x"), "InvalidClientTokenId")
	})
	t.Run("an unknown access key", func(t *testing.T) {
		stsErr(t, stsClient(srv, "ASIAAAAAAAAAAAAAAAAA", secret, session), "InvalidClientTokenId")
	})
	t.Run("credentials that expired", func(t *testing.T) {
		clk.Advance(4*time.Hour + time.Second)
		defer clk.Advance(-(4*time.Hour + time.Second))
		stsErr(t, stsClient(srv, akid, secret, session), "ExpiredToken")
	})
	t.Run("an unassigned role is forbidden", func(t *testing.T) {
		_, err := c.sso.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
			AccessToken: token, AccountId: aws.String("777788889999"), RoleName: aws.String("SecurityAudit"),
		})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ForbiddenException" {
			t.Fatalf("err = %v, want ForbiddenException", err)
		}
	})
	t.Run("an expired access token is unauthorized", func(t *testing.T) {
		clk.Advance(time.Hour) // a refreshable token lives an hour
		defer clk.Advance(-time.Hour)
		_, err := c.sso.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
			AccessToken: token, AccountId: aws.String("111122223333"), RoleName: aws.String("PowerUserAccess"),
		})
		wantErrAs[*ssotypes.UnauthorizedException](t, "", err)
	})
	if got := srv.Count("GetRoleCredentials"); got != 3 {
		t.Errorf("Count(GetRoleCredentials) = %d, want 3", got)
	}
}

// Throttling takes each API's modeled shape: the portal's 429
// TooManyRequestsException, and for every OIDC operation SlowDownException.
func TestRateLimitTakesEachAPIsShape(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		// The sign-in's three calls fit in the burst; then the bucket is
		// empty for the rest of the test.
		o.Faults.RateLimit = 0.001
		o.Faults.RateBurst = 3
	})
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	dev := c.startDevice(t, reg)
	tok, err := c.deviceToken(reg, dev)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	oidcCalls := map[string]func() error{
		"RegisterClient": func() error {
			_, err := c.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public")})
			return err
		},
		"StartDeviceAuthorization": func() error {
			_, err := c.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
			})
			return err
		},
		"CreateToken": func() error {
			_, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken,
			})
			return err
		},
	}
	for op, call := range oidcCalls {
		err := call()
		e := wantErrAs[*types.SlowDownException](t, op+" over the limit", err)
		if aws.ToString(e.Error_) != "slow_down" {
			t.Errorf("%s: error member = %q, want slow_down", op, aws.ToString(e.Error_))
		}
		if re := wantErrAs[*awshttp.ResponseError](t, op, err); re.HTTPStatusCode() != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", op, re.HTTPStatusCode())
		}
	}
	_, err = c.sso.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken})
	wantErrAs[*ssotypes.TooManyRequestsException](t, "ListAccounts over the limit", err)
	if got := srv.Count("ListAccounts"); got != 1 {
		t.Errorf("Count(ListAccounts) = %d, want 1 (throttled requests count)", got)
	}
}
