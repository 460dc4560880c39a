package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/htmlform"
)

const bobSecret = "JBSWY3DPEHPK3PXP"

type fakeUser struct {
	password, secret string
	accounts         []directory.AccountRoles
}

type fakeUsers map[string]fakeUser

func (f fakeUsers) CheckPassword(username, password string) (string, bool) {
	u, ok := f[username]
	if !ok || u.password != password {
		return "", false
	}
	return u.secret, true
}

func (f fakeUsers) Assignments(username string) []directory.AccountRoles { return f[username].accounts }

// fakeAuthz keeps pending requests in maps and records the answers.
type fakeAuthz struct {
	mu       sync.Mutex
	devices  map[string]DeviceRequest
	consents map[string]ConsentRequest
	answers  []string // "approve CODE by USER", "deny CODE", ...
}

func normCode(c string) string { return strings.ToUpper(strings.ReplaceAll(c, "-", "")) }

func (f *fakeAuthz) LookupDevice(_ context.Context, code string) (DeviceRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.devices[normCode(code)]
	if !ok {
		return DeviceRequest{}, ErrNotFound
	}
	return d, nil
}

func (f *fakeAuthz) ApproveDevice(_ context.Context, code, user string) error {
	return f.answer(code, "approve device "+normCode(code)+" by "+user)
}

func (f *fakeAuthz) DenyDevice(_ context.Context, code string) error {
	return f.answer(code, "deny device "+normCode(code))
}

func (f *fakeAuthz) answer(code, what string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.devices[normCode(code)]; !ok {
		return ErrNotFound
	}
	delete(f.devices, normCode(code))
	f.answers = append(f.answers, what)
	return nil
}

func (f *fakeAuthz) LookupConsent(_ context.Context, id string) (ConsentRequest, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.consents[id]
	if !ok {
		return ConsentRequest{}, ErrNotFound
	}
	return c, nil
}

func (f *fakeAuthz) ApproveConsent(_ context.Context, id, user string) (string, error) {
	return f.consentAnswer(id, "approve consent "+id+" by "+user, "code=c-"+id+"&state=s")
}

func (f *fakeAuthz) DenyConsent(_ context.Context, id string) (string, error) {
	return f.consentAnswer(id, "deny consent "+id, "error=access_denied&state=s")
}

func (f *fakeAuthz) consentAnswer(id, what, query string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.consents[id]
	if !ok {
		return "", ErrNotFound
	}
	delete(f.consents, id)
	f.answers = append(f.answers, what)
	return c.RedirectURI + "?" + query, nil
}

func (f *fakeAuthz) Answers() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.answers...)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t     *testing.T
	srv   *httptest.Server
	authz *fakeAuthz
	clock *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	authz := &fakeAuthz{
		devices: map[string]DeviceRequest{
			"ABCDEFGH": {UserCode: "ABCD-EFGH", ClientName: "botocore-client-demo", ExpiresAt: clk.t.Add(10 * time.Minute)},
			"WXYZWXYZ": {UserCode: "WXYZ-WXYZ", ClientName: "second-client", ExpiresAt: clk.t.Add(10 * time.Minute)},
		},
		consents: map[string]ConsentRequest{
			"req1": {ID: "req1", ClientName: "ssokit", Scopes: []string{"sso:account:access"}, RedirectURI: "http://127.0.0.1:4321/oauth/callback", ExpiresAt: clk.t.Add(5 * time.Minute)},
			"req2": {ID: "req2", ClientName: "ssokit", Scopes: []string{"sso:account:access"}, RedirectURI: "http://127.0.0.1:4321/oauth/callback"},
		},
	}
	h := &Handler{
		Users: fakeUsers{
			"alice": {password: "alice-pw", accounts: []directory.AccountRoles{
				{AccountID: "111111111111", AccountName: "Sandbox", Email: "sandbox@example.com", Roles: []string{"Admin", "ReadOnly"}},
				{AccountID: "222222222222", AccountName: "Production", Roles: []string{"ReadOnly"}},
			}},
			"bob": {password: "bob-pw", secret: bobSecret},
		},
		Authz:    authz,
		Now:      clk.Now,
		StartURL: "https://d-0123456789.awsapps.com/start",
		Region:   "eu-west-1",
	}
	mux := http.NewServeMux()
	h.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, authz: authz, clock: clk}
}

// browser is a cookie-keeping client that does not follow redirects, so
// tests see each step.
type browser struct {
	f *fixture
	c *http.Client
}

func (f *fixture) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return &browser{f: f, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type result struct {
	status   int
	location string
	header   http.Header
	page     *htmlform.Page
}

func (b *browser) do(req *http.Request) result {
	t := b.f.t
	t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := result{status: resp.StatusCode, location: resp.Header.Get("Location"), header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if r.page, err = htmlform.Parse(resp.Body); err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
	}
	return r
}

func (b *browser) get(path string) result {
	b.f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	if err != nil {
		b.f.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, v url.Values) result {
	b.f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(v.Encode()))
	if err != nil {
		b.f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit fills the form with the given id on page and presses button.
func (b *browser) submit(r result, formID, button string, set map[string]string) result {
	t := b.f.t
	t.Helper()
	if r.page == nil {
		t.Fatalf("no page to submit %q on (status %d)", formID, r.status)
	}
	form, ok := r.page.Form(formID)
	if !ok {
		t.Fatalf("page %q has no form %q", r.page.Heading, formID)
	}
	var btn htmlform.Button
	if button != "" {
		if btn, ok = form.Button(button); !ok {
			t.Fatalf("form %q has no %q button", formID, button)
		}
	}
	return b.post(form.Action, form.Submit(btn, set))
}

func (b *browser) signIn(next, user, password string) result {
	b.f.t.Helper()
	r := b.get("/signin?next=" + url.QueryEscape(next))
	return b.submit(r, "signin", "", map[string]string{"username": user, "password": password})
}

func (b *browser) cookie() *http.Cookie {
	u, _ := url.Parse(b.f.srv.URL)
	cs := b.c.Jar.Cookies(u)
	if len(cs) != 1 {
		b.f.t.Fatalf("browser holds %d cookies, want 1", len(cs))
	}
	return cs[0]
}

func TestConsentSendsPersonToSigninAndBack(t *testing.T) {
	f := newFixture(t)
	b := f.browser()

	r := b.get("/consent?request=req1")
	if r.status != http.StatusFound || r.location != "/signin?next=%2Fconsent%3Frequest%3Dreq1" {
		t.Fatalf("unsigned consent = %d %q, want 302 to sign-in with next", r.status, r.location)
	}
	r = b.get(r.location)
	if r.page.Heading != "Sign in" {
		t.Fatalf("heading = %q", r.page.Heading)
	}
	if want := "Sign in to answer an application's request to access your AWS accounts."; !strings.Contains(r.page.Main, want) {
		t.Errorf("the sign-in page does not say what it is for (%q):\n%s", want, r.page.Main)
	}
	before := b.cookie().Value
	r = b.submit(r, "signin", "", map[string]string{"username": "alice", "password": "alice-pw"})
	if r.status != http.StatusSeeOther || r.location != "/consent?request=req1" {
		t.Fatalf("sign-in = %d %q, want 303 back to consent", r.status, r.location)
	}
	if b.cookie().Value == before {
		t.Error("session ID was not replaced at sign-in")
	}

	r = b.get(r.location)
	if r.status != http.StatusOK {
		t.Fatalf("consent page status %d: %s", r.status, r.page.Text)
	}
	for _, want := range []string{"ssokit", "sso:account:access", "http://127.0.0.1:4321", "alice", "in 5 minutes"} {
		if !strings.Contains(r.page.Text, want) {
			t.Errorf("consent page does not show %q:\n%s", want, r.page.Text)
		}
	}
	if want := "Allow ssokit to access your AWS accounts?"; r.page.Heading != want {
		t.Errorf("heading = %q, want %q", r.page.Heading, want)
	}
	r = b.submit(r, "consent", "allow", nil)
	if r.status != http.StatusSeeOther || r.location != "http://127.0.0.1:4321/oauth/callback?code=c-req1&state=s" {
		t.Fatalf("allow = %d %q, want 303 to the client", r.status, r.location)
	}
	if diff := cmp.Diff([]string{"approve consent req1 by alice"}, f.authz.Answers()); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}

	// Signed in now: a second request goes straight to the page.
	r = b.get("/consent?request=req2")
	r = b.submit(r, "consent", "deny", nil)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "error=access_denied") {
		t.Fatalf("deny = %d %q, want 303 with error", r.status, r.location)
	}
	r = b.get("/consent?request=req1")
	if r.status != http.StatusNotFound || r.page.Heading != "This sign-in request is no longer waiting" {
		t.Errorf("used request = %d %q, want 404 page", r.status, r.page.Heading)
	}
}

func TestDeviceApproval(t *testing.T) {
	tests := []struct {
		name        string
		button      string
		wantHeading string
		wantAnswer  string
	}{
		{"Allow approves the code for the signed-in user", "allow", "Request approved", "approve device ABCDEFGH by alice"},
		{"Deny denies the code", "deny", "Request denied", "deny device ABCDEFGH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			b := f.browser()
			r := b.get("/device?user_code=abcd-efgh")
			if r.status != http.StatusFound {
				t.Fatalf("unsigned device page = %d, want 302", r.status)
			}
			r = b.signIn("/device?user_code=abcd-efgh", "alice", "alice-pw")
			r = b.get(r.location)
			if want := "Allow botocore-client-demo to sign in as alice?"; r.page.Heading != want {
				t.Fatalf("heading = %q, want %q", r.page.Heading, want)
			}
			if !strings.Contains(r.page.Text, "ABCD-EFGH") || !strings.Contains(r.page.Text, "in 10 minutes") {
				t.Errorf("page does not show the code and expiry:\n%s", r.page.Text)
			}
			r = b.submit(r, "device", tt.button, nil)
			if r.status != http.StatusOK || r.page.Heading != tt.wantHeading {
				t.Fatalf("after %s: %d %q, want 200 %q", tt.button, r.status, r.page.Heading, tt.wantHeading)
			}
			if !strings.Contains(r.page.Text, "close this window") {
				t.Errorf("result page does not say what to do next:\n%s", r.page.Text)
			}
			if diff := cmp.Diff([]string{tt.wantAnswer}, f.authz.Answers()); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			// Pressing again (back button, double click) is explained, not an error page.
			r = b.post("/device", url.Values{"csrf": {csrfOf(t, b)}, "user_code": {"ABCD-EFGH"}, "action": {tt.button}})
			if r.status != http.StatusNotFound || r.page.Heading != "This request is no longer waiting" {
				t.Errorf("second answer = %d %q", r.status, r.page.Heading)
			}
		})
	}
}

// csrfOf reads the CSRF token from the sign-out form of the portal page.
func csrfOf(t *testing.T, b *browser) string {
	t.Helper()
	r := b.get("/start")
	f, ok := r.page.Form("signout")
	if !ok {
		t.Fatalf("no sign-out form on /start (status %d)", r.status)
	}
	return f.Fields.Get("csrf")
}

func TestDeviceCodeEntry(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	r := b.signIn("/device", "alice", "alice-pw")
	r = b.get(r.location)
	form, ok := r.page.Form("device-code")
	if !ok || form.Method != "GET" || !form.HasInput("user_code") {
		t.Fatalf("no code entry form on %q: %+v", r.page.Heading, r.page.Forms)
	}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/device?"+form.Submit(htmlform.Button{}, map[string]string{"user_code": "wxyzwxyz"}).Encode(), nil)
	r = b.do(req)
	if want := "Allow second-client to sign in as alice?"; r.page.Heading != want {
		t.Errorf("heading = %q, want %q", r.page.Heading, want)
	}
}

func TestWrongUserCodesAreLimited(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	b.signIn("/device", "alice", "alice-pw")
	for i := range DefaultMaxFailures {
		r := b.get("/device?user_code=NOPE-NOPE")
		if r.status != http.StatusNotFound || !strings.Contains(r.page.Alert, "not found") {
			t.Fatalf("wrong code %d = %d %q, want 404 with an alert", i+1, r.status, r.page.Alert)
		}
	}
	r := b.get("/device?user_code=ABCD-EFGH")
	if r.status != http.StatusTooManyRequests || r.page.Heading != "Too many failed attempts" {
		t.Fatalf("after %d wrong codes = %d %q, want 429", DefaultMaxFailures, r.status, r.page.Heading)
	}
	if r.header.Get("Retry-After") != "900" || !strings.Contains(r.page.Text, "Try again in 15 minutes") {
		t.Errorf("429 page: Retry-After %q, text %q", r.header.Get("Retry-After"), r.page.Text)
	}
	// A wrong user code does not lock the user out of signing in.
	other := f.browser()
	if r := other.signIn("/start", "alice", "alice-pw"); r.status != http.StatusSeeOther {
		t.Errorf("password sign-in after wrong user codes = %d, want 303", r.status)
	}
	f.clock.Add(DefaultFailureWindow)
	if r := b.get("/device?user_code=ABCD-EFGH"); r.status != http.StatusOK {
		t.Errorf("after the window = %d, want 200", r.status)
	}
}

func TestWrongPasswordsAreLimitedPerUserAndPerSession(t *testing.T) {
	f := newFixture(t)
	attacker := f.browser()
	for i := range DefaultMaxFailures {
		r := attacker.signIn("/start", "alice", "guess")
		if r.status != http.StatusUnauthorized || r.page.Alert == "" {
			t.Fatalf("wrong password %d = %d %q, want 401 with an alert", i+1, r.status, r.page.Alert)
		}
		if r.page.Forms[len(r.page.Forms)-1].Fields.Get("username") != "alice" {
			t.Errorf("the username was not kept in the form")
		}
	}
	tests := []struct {
		name     string
		b        *browser
		user, pw string
		want     int
	}{
		{"the right password is refused for the locked user", f.browser(), "alice", "alice-pw", http.StatusTooManyRequests},
		{"the session that guessed cannot try another user", attacker, "bob", "bob-pw", http.StatusTooManyRequests},
		{"another user in another session signs in", f.browser(), "bob", "bob-pw", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.b.signIn("/start", tt.user, tt.pw); r.status != tt.want {
				t.Errorf("sign-in = %d (%s), want %d", r.status, r.page.Heading, tt.want)
			}
		})
	}
	f.clock.Add(DefaultFailureWindow)
	if r := f.browser().signIn("/start", "alice", "alice-pw"); r.status != http.StatusSeeOther {
		t.Errorf("after the window = %d, want 303", r.status)
	}
}

func TestTOTPStep(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	r := b.signIn("/start", "bob", "bob-pw")
	if r.status != http.StatusOK || r.page.Heading != "Enter your code" {
		t.Fatalf("after password = %d %q, want the code page", r.status, r.page.Heading)
	}
	if r2 := b.get("/start"); r2.status != http.StatusFound {
		t.Fatalf("portal before the code = %d, want 302 to sign-in", r2.status)
	}
	wrong := b.submit(r, "totp", "", map[string]string{"code": "000000"})
	if wrong.status != http.StatusUnauthorized || wrong.page.Alert == "" {
		t.Fatalf("wrong code = %d %q, want 401 with an alert", wrong.status, wrong.page.Alert)
	}
	code, err := directory.TOTP(bobSecret, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r = b.submit(wrong, "totp", "", map[string]string{"code": code[:3] + " " + code[3:]})
	if r.status != http.StatusSeeOther || r.location != "/start" {
		t.Fatalf("right code = %d %q, want 303 /start", r.status, r.location)
	}
	if r := b.get("/start"); r.status != http.StatusOK {
		t.Errorf("portal after the code = %d", r.status)
	}
}

func TestTOTPWithoutPasswordStepIsRefused(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	r := b.get("/signin")
	code, _ := directory.TOTP(bobSecret, f.clock.Now())
	r = b.submit(r, "signin", "", map[string]string{"step": "totp", "code": code})
	if r.status != http.StatusBadRequest || r.page.Heading != "Sign in" {
		t.Errorf("code without password = %d %q, want 400 sign-in page", r.status, r.page.Heading)
	}
}

func TestPostsWithoutTheSessionsCSRFTokenAreRefused(t *testing.T) {
	f := newFixture(t)
	victim := f.browser()
	victim.signIn("/start", "alice", "alice-pw")
	other := f.browser()
	otherToken := csrfOfSignin(t, other)

	tests := []struct {
		name string
		form url.Values
	}{
		{"no token", url.Values{"user_code": {"ABCD-EFGH"}, "action": {"allow"}}},
		{"another session's token", url.Values{"csrf": {otherToken}, "user_code": {"ABCD-EFGH"}, "action": {"allow"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/device", "/consent", "/signout", "/signin"} {
				r := victim.post(path, tt.form)
				if r.status != http.StatusForbidden || r.page.Heading != "This form has expired" {
					t.Errorf("POST %s = %d %q, want 403", path, r.status, r.page.Heading)
				}
			}
		})
	}
	if got := f.authz.Answers(); len(got) != 0 {
		t.Errorf("a refused POST changed something: %v", got)
	}
}

func csrfOfSignin(t *testing.T, b *browser) string {
	t.Helper()
	f, ok := b.get("/signin").page.Form("signin")
	if !ok {
		t.Fatal("no sign-in form")
	}
	return f.Fields.Get("csrf")
}

func TestSessionCookie(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cs := resp.Cookies()
	if len(cs) != 1 {
		t.Fatalf("got %d cookies", len(cs))
	}
	c := cs[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) < 40 {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, a long random value", c)
	}
	_, port, _ := strings.Cut(strings.TrimPrefix(f.srv.URL, "http://"), ":")
	if c.Name != "ssokit_emulator_session_"+port {
		t.Errorf("cookie name %q does not carry the port %s", c.Name, port)
	}
	h := resp.Header
	for k, want := range map[string]string{
		"Cache-Control":   "no-store",
		"X-Frame-Options": "DENY",
		"Content-Type":    "text/html; charset=utf-8",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "form-action") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestPortalAndSignout(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	if r := b.get("/"); r.status != http.StatusFound || r.location != "/start" {
		t.Fatalf("GET / = %d %q", r.status, r.location)
	}
	if r := b.get("/start"); r.status != http.StatusFound || r.location != "/signin?next=%2Fstart" {
		t.Fatalf("unsigned /start = %d %q", r.status, r.location)
	}
	b.signIn("/start", "alice", "alice-pw")
	r := b.get("/start")
	for _, want := range []string{
		"2 accounts assigned to alice", "Sandbox", "111111111111", "sandbox@example.com", "Admin", "ReadOnly",
		"Production", "222222222222", "sso_start_url = https://d-0123456789.awsapps.com/start", "sso_region = eu-west-1", f.srv.URL,
	} {
		if !strings.Contains(r.page.Text, want) {
			t.Errorf("portal does not show %q:\n%s", want, r.page.Text)
		}
	}
	r = b.submit(r, "signout", "", nil)
	if r.status != http.StatusSeeOther || r.location != "/signin?signed_out=1" {
		t.Fatalf("sign-out = %d %q", r.status, r.location)
	}
	if r := b.get(r.location); r.page.Alert != "" || !strings.Contains(r.page.Text, "You have signed out.") {
		t.Errorf("sign-in page after sign-out: %q", r.page.Text)
	}
	if r := b.get("/start"); r.status != http.StatusFound {
		t.Errorf("portal after sign-out = %d, want 302", r.status)
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a local path with a query is kept", "/device?user_code=AB-CD", "/device?user_code=AB-CD"},
		{"empty goes to the portal", "", "/start"},
		{"an absolute URL is refused", "https://evil.example/", "/start"},
		{"a scheme-relative URL is refused", "//evil.example/x", "/start"},
		{"a backslash trick is refused", "/\\evil.example", "/start"},
		{"a relative path is refused", "start", "/start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeNext(tt.in); got != tt.want {
				t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSigninPageWhenSignedInGoesOn(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	b.signIn("/start", "alice", "alice-pw")
	if r := b.get("/signin?next=%2Fdevice"); r.status != http.StatusSeeOther || r.location != "/device" {
		t.Errorf("sign-in page when signed in = %d %q, want 303 /device", r.status, r.location)
	}
}

func TestSessionsExpire(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	b.signIn("/start", "alice", "alice-pw")
	f.clock.Add(DefaultSessionLifetime + time.Second)
	if r := b.get("/start"); r.status != http.StatusFound {
		t.Errorf("portal after the session lifetime = %d, want 302 to sign-in", r.status)
	}
}

func TestApprovingAfterTheSessionLostItsUserSignsInAgain(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	csrf := csrfOfSignin(t, b) // a session, but nobody signed in
	r := b.post("/device", url.Values{"csrf": {csrf}, "user_code": {"ABCD-EFGH"}, "action": {"allow"}})
	if r.status != http.StatusSeeOther || r.location != "/signin?next="+url.QueryEscape("/device?user_code=ABCD-EFGH") {
		t.Fatalf("POST /device without a user = %d %q, want 303 to sign-in and back", r.status, r.location)
	}
	if got := f.authz.Answers(); len(got) != 0 {
		t.Errorf("approved without a signed-in user: %v", got)
	}
}

func TestUnnamedClientsReadWell(t *testing.T) {
	f := newFixture(t)
	f.authz.devices["NONAME00"] = DeviceRequest{UserCode: "NONA-ME00"}
	b := f.browser()
	b.signIn("/start", "alice", "alice-pw")
	r := b.get("/device?user_code=NONA-ME00")
	if want := "Allow An unnamed application to sign in as alice?"; r.page.Heading != want {
		t.Errorf("heading = %q, want %q", r.page.Heading, want)
	}
}

func TestAMissingChoiceChangesNothing(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	b.signIn("/start", "alice", "alice-pw")
	csrf := csrfOf(t, b)
	for _, path := range []string{"/device", "/consent"} {
		r := b.post(path, url.Values{"csrf": {csrf}, "user_code": {"ABCD-EFGH"}, "request": {"req1"}, "action": {"maybe"}})
		if r.status != http.StatusBadRequest || r.page.Heading != "Nothing was chosen" {
			t.Errorf("POST %s with action=maybe = %d %q, want 400", path, r.status, r.page.Heading)
		}
	}
	if got := f.authz.Answers(); len(got) != 0 {
		t.Errorf("a missing choice changed something: %v", got)
	}
}

func TestOversizedFormsAreRefused(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	csrf := csrfOfSignin(t, b)
	r := b.post("/signin", url.Values{"csrf": {csrf}, "username": {strings.Repeat("a", maxFormBytes)}, "password": {"x"}})
	if r.status != http.StatusBadRequest || r.page.Heading != "The form could not be read" {
		t.Errorf("oversized sign-in = %d %q, want 400", r.status, r.page.Heading)
	}
}

func TestWrongTOTPCodesAreLimited(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	r := b.signIn("/start", "bob", "bob-pw")
	for i := range DefaultMaxFailures {
		r = b.submit(r, "totp", "", map[string]string{"code": "000000"})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("wrong code %d = %d, want 401", i+1, r.status)
		}
	}
	code, _ := directory.TOTP(bobSecret, f.clock.Now())
	if r := b.submit(r, "totp", "", map[string]string{"code": code}); r.status != http.StatusTooManyRequests {
		t.Errorf("the right code after %d wrong ones = %d, want 429", DefaultMaxFailures, r.status)
	}
	// The lock is on the user: a fresh browser with the password is refused too.
	if r := f.browser().signIn("/start", "bob", "bob-pw"); r.status != http.StatusTooManyRequests {
		t.Errorf("password in a new session = %d, want 429", r.status)
	}
}

// Every page a person can reach is self-contained: no scripts, no style
// sheets or images from anywhere, and a title and a heading.
func TestPagesAreSelfContained(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	raw := func(path string) (int, string) {
		resp, err := b.c.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sb strings.Builder
		if _, err := io.Copy(&sb, resp.Body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, sb.String()
	}
	check := func(path string) {
		t.Helper()
		status, body := raw(path)
		if status == http.StatusFound {
			return
		}
		for _, bad := range []string{"<script", "<link", "<img", "<iframe", " src=", "url(", "@import"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
		p, err := htmlform.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.HasSuffix(p.Title, "· ssokit emulator") || p.Heading == "" {
			t.Errorf("%s: title %q heading %q", path, p.Title, p.Heading)
		}
	}
	check("/signin")
	b.signIn("/start", "alice", "alice-pw")
	for _, path := range []string{"/start", "/device", "/device?user_code=ABCD-EFGH", "/device?user_code=NOPE", "/consent?request=req1", "/consent?request=gone"} {
		check(path)
	}
}
