package login_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// setup is one emulator and a fresh token cache, with options pointing
// login at both.
type setup struct {
	srv   *emulatortest.Server
	cache *tokencache.Cache
	msgs  *syncbuf.Buffer
	now   time.Time
}

func newSetup(t testing.TB, optFns ...func(*emulator.Options)) *setup {
	t.Helper()
	msgs := &syncbuf.Buffer{}
	return &setup{
		srv: emulatortest.NewServer(t, optFns...),
		cache: tokencache.New(filepath.Join(t.TempDir(), ".aws", "sso", "cache"), func(o *tokencache.Options) {
			o.Warn = func(format string, args ...any) { fmt.Fprintf(msgs, "warning: "+format+"\n", args...) }
		}),
		msgs: msgs,
	}
}

func autoApprove(o *emulator.Options) { o.AutoApprove = "demo" }

func (s *setup) session() config.SSO {
	return config.SSO{Profile: "dev", SessionName: "my-sso", StartURL: s.srv.StartURL, Region: s.srv.Region, Endpoints: s.endpoints()}
}

func (s *setup) legacy() config.SSO {
	return config.SSO{Profile: "old", StartURL: s.srv.StartURL, Region: s.srv.Region, Endpoints: s.endpoints()}
}

// endpoints are the emulator's, for every service.
func (s *setup) endpoints() config.Endpoints {
	return config.Endpoints{OIDC: s.srv.URL, Portal: s.srv.URL, STS: s.srv.URL, SignIn: s.srv.URL,
		Custom: config.CustomEndpoints{OIDC: true, Portal: true, STS: true, SignIn: true}}
}

// opts points login at the emulator; now, when set, pins the clock.
func (s *setup) opts(o *login.Options) {
	o.Cache = s.cache
	o.Messages = s.msgs
	if !s.now.IsZero() {
		o.Now = func() time.Time { return s.now }
	}
}

func (s *setup) person(t *testing.T) *emulatortest.Browser {
	t.Helper()
	return s.srv.Browser(t, "demo", s.srv.Password(t, "demo"))
}

// redirectFollower is the browser of an auto-approving emulator: it opens
// the /authorize URL and follows the redirect to the loopback listener.
type redirectFollower struct{ client *http.Client }

func (r redirectFollower) Open(url string) error {
	resp, err := r.client.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func counts(srv *emulatortest.Server, ops ...string) map[string]int {
	m := map[string]int{}
	for _, op := range ops {
		m[op] = srv.Count(op)
	}
	return m
}

func TestLoginWithPKCEAutoApproved(t *testing.T) {
	s := newSetup(t, autoApprove)
	tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
		o.Browser = redirectFollower{&http.Client{}}
	}).Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
	}
	if diff := cmp.Diff(map[string]int{"RegisterClient": 1, "Authorize": 1, "CreateToken": 1, "StartDeviceAuthorization": 0},
		counts(s.srv, "RegisterClient", "Authorize", "CreateToken", "StartDeviceAuthorization")); diff != "" {
		t.Errorf("requests at the emulator (-want +got):\n%s", diff)
	}
	saved, err := s.cache.LoadToken("my-sso")
	if err != nil {
		t.Fatalf("the token was not saved: %v", err)
	}
	if saved.AccessToken != tok.AccessToken || saved.StartURL != s.srv.StartURL || saved.Region != s.srv.Region {
		t.Errorf("saved token %+v does not match the one returned or the session", saved)
	}
	if saved.RefreshToken == "" || !saved.CanRefresh(time.Now()) {
		t.Errorf("a PKCE token of an sso-session must be refreshable: %+v", saved)
	}
	if left := saved.Remaining(time.Now()); left < 55*time.Minute || left > time.Hour {
		t.Errorf("token valid for %s, want the hour a refreshable token lives", left)
	}
	if !strings.Contains(s.msgs.String(), s.srv.URL+"/authorize?response_type=code&client_id=") {
		t.Errorf("the /authorize URL was not printed; messages:\n%s", s.msgs)
	}

	// The token is now reused: no more requests.
	again, err := login.NewSession(s.session(), s.opts).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if again.AccessToken != tok.AccessToken || s.srv.Count("CreateToken") != 1 {
		t.Errorf("Token after Login: got a new token or a new request (CreateToken = %d)", s.srv.Count("CreateToken"))
	}
}

func TestLoginThroughTheRealPages(t *testing.T) {
	tests := []struct {
		name       string
		sso        func(*setup) config.SSO
		deviceCode bool
		wantOps    map[string]int
	}{
		{"an sso-session signs in with PKCE", (*setup).session, false, map[string]int{"Authorize": 1, "StartDeviceAuthorization": 0}},
		{"an sso-session signs in with the device code on request", (*setup).session, true, map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1}},
		{"a legacy profile always uses the device code", (*setup).legacy, false, map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t)
			person := s.person(t)
			stub := &browserstub.Stub{Follow: person.Follow}
			sso := tc.sso(s)
			tok, err := login.NewSession(sso, s.opts, func(o *login.Options) {
				o.Browser = stub
				o.UseDeviceCode = tc.deviceCode
			}).Login(context.Background())
			if err != nil {
				t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
			}
			if diff := cmp.Diff(tc.wantOps, counts(s.srv, "Authorize", "StartDeviceAuthorization")); diff != "" {
				t.Errorf("flow used (-want +got):\n%s", diff)
			}
			if len(stub.URLs()) != 1 {
				t.Fatalf("browser opened %d URLs, want 1: %q", len(stub.URLs()), stub.URLs())
			}
			if !strings.Contains(s.msgs.String(), stub.URLs()[0]) {
				t.Errorf("the URL opened in the browser was not printed too; messages:\n%s", s.msgs)
			}
			saved, err := s.cache.LoadToken(sso.CacheKey())
			if err != nil || saved.AccessToken != tok.AccessToken {
				t.Fatalf("saved token = %+v, %v; want the one returned", saved, err)
			}
			if legacy := sso.SessionName == ""; legacy != !saved.CanRefresh(time.Now()) {
				t.Errorf("CanRefresh = %v for a token of a legacy=%v profile", saved.CanRefresh(time.Now()), legacy)
			}
		})
	}
}

func TestLoginDeniedInTheBrowser(t *testing.T) {
	for _, deviceCode := range []bool{false, true} {
		t.Run(fmt.Sprintf("device code %v", deviceCode), func(t *testing.T) {
			s := newSetup(t)
			person := s.person(t)
			_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
				o.Browser = &browserstub.Stub{Follow: person.Deny}
				o.UseDeviceCode = deviceCode
			}).Login(context.Background())
			if !errors.Is(err, login.ErrDenied) {
				t.Fatalf("Login error = %v, want ErrDenied", err)
			}
			if _, err := s.cache.LoadToken("my-sso"); !errors.Is(err, tokencache.ErrNotFound) {
				t.Errorf("a token was saved after a denial: %v", err)
			}
		})
	}
}

func TestClientRegistrationIsReusedForTheSameFlow(t *testing.T) {
	s := newSetup(t, autoApprove)
	pkce := func(o *login.Options) { o.Browser = redirectFollower{&http.Client{}} }
	device := func(o *login.Options) { o.UseDeviceCode = true; o.NoBrowser = true }
	steps := []struct {
		flow      func(*login.Options)
		wantTotal int
	}{{pkce, 1}, {pkce, 1}, {device, 2}, {device, 2}, {pkce, 3}}
	for i, step := range steps {
		if _, err := login.NewSession(s.session(), s.opts, step.flow).Login(context.Background()); err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
		if got := s.srv.Count("RegisterClient"); got != step.wantTotal {
			t.Errorf("after login %d: RegisterClient calls = %d, want %d", i+1, got, step.wantTotal)
		}
	}
}

func TestRegistrationNearExpiryIsRenewed(t *testing.T) {
	s := newSetup(t, autoApprove, func(o *emulator.Options) { o.ClientTTL = 20 * time.Minute })
	device := func(o *login.Options) { o.UseDeviceCode = true; o.NoBrowser = true }
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.now = time.Now().Add(6 * time.Minute) // 14 minutes left: too close
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.srv.Count("RegisterClient"); got != 2 {
		t.Errorf("RegisterClient calls = %d, want 2 (registration within 15 minutes of expiry)", got)
	}
}

func TestTokenRefreshesWithAnInjectedClock(t *testing.T) {
	s := newSetup(t, autoApprove)
	device := func(o *login.Options) { o.UseDeviceCode = true; o.NoBrowser = true }
	first, err := login.NewSession(s.session(), s.opts, device).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	created := s.srv.Count("CreateToken")

	s.now = first.ExpiresAt.Add(-10 * time.Minute)
	tok, err := login.NewSession(s.session(), s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("Token near expiry: %v", err)
	}
	if got := s.srv.Count("CreateToken") - created; got != 1 {
		t.Errorf("CreateToken calls for the refresh = %d, want 1", got)
	}
	if tok.AccessToken == first.AccessToken || !tok.ExpiresAt.After(first.ExpiresAt) {
		t.Errorf("refreshed token %q until %v: want a new token lasting longer than %v", tok.AccessToken, tok.ExpiresAt, first.ExpiresAt)
	}
	if tok.RefreshToken == "" {
		t.Error("the refreshed token lost its refresh token")
	}
	saved, _ := s.cache.LoadToken("my-sso")
	if saved == nil || saved.AccessToken != tok.AccessToken {
		t.Errorf("the refreshed token was not saved: %+v", saved)
	}
	if s.srv.Count("StartDeviceAuthorization") != 1 {
		t.Error("a refresh must not start a new sign-in")
	}
}

func TestLegacyTokenNeedsANewSignInOnceExpired(t *testing.T) {
	s := newSetup(t, autoApprove)
	first, err := login.NewSession(s.legacy(), s.opts).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.now = first.ExpiresAt.Add(time.Minute)
	_, err = login.NewSession(s.legacy(), s.opts).Token(context.Background())
	var need *login.SignInRequiredError
	if !errors.As(err, &need) {
		t.Fatalf("Token after expiry: error = %v, want *SignInRequiredError", err)
	}
	want := fmt.Sprintf("the SSO sign-in for %s expired at %s", s.srv.StartURL, first.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	if diff := cmp.Diff(want, need.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if need.Profile != "old" || !need.Legacy {
		t.Errorf("SignInRequiredError = %+v, want the legacy profile old", need)
	}

	// With SignIn set, the same call signs in instead.
	tok, err := login.NewSession(s.legacy(), s.opts, func(o *login.Options) { o.SignIn = true }).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == first.AccessToken || s.srv.Count("StartDeviceAuthorization") != 2 {
		t.Errorf("Token with SignIn: want a second device sign-in and a new token")
	}
}

func TestCorruptCacheFileIsTreatedAsAbsent(t *testing.T) {
	for name, content := range map[string]string{
		"truncated JSON":       `{"accessToken": "at", "expiresAt": "2026-`,
		"not JSON at all":      "\x00\x01garbage",
		"missing accessToken":  `{"expiresAt": "2099-01-01T00:00:00Z"}`,
		"unreadable timestamp": `{"accessToken": "at", "expiresAt": "tomorrow"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newSetup(t, autoApprove)
			if err := os.MkdirAll(s.cache.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			path := s.cache.TokenPath("my-sso")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := login.NewSession(s.session(), s.opts).Token(context.Background())
			var need *login.SignInRequiredError
			if !errors.As(err, &need) || !need.ExpiredAt.IsZero() {
				t.Fatalf("Token with a corrupt file: error = %v, want *SignInRequiredError for a missing token", err)
			}
			if !strings.Contains(s.msgs.String(), "warning:") {
				t.Errorf("no warning about the corrupt file; messages:\n%s", s.msgs)
			}
			tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
				o.SignIn, o.UseDeviceCode, o.NoBrowser = true, true, true
			}).Token(context.Background())
			if err != nil {
				t.Fatalf("signing in over a corrupt file: %v", err)
			}
			if saved, err := s.cache.LoadToken("my-sso"); err != nil || saved.AccessToken != tok.AccessToken {
				t.Errorf("the corrupt file was not replaced by the new token: %+v, %v", saved, err)
			}
		})
	}
}

func TestUnwritableCacheFolderSaysWhere(t *testing.T) {
	s := newSetup(t, autoApprove)
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.cache = tokencache.New(filepath.Join(file, "cache"))
	_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }).Login(context.Background())
	if err == nil {
		t.Fatal("Login into a cache folder under a regular file succeeded")
	}
	t.Logf("error: %v", err)
	if !strings.Contains(err.Error(), file) {
		t.Errorf("error %q does not name the path %s", err, file)
	}
}

func TestUnreachableEndpointIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	s := newSetup(t)
	start := time.Now()
	sso := s.session()
	sso.Endpoints.OIDC = closed
	_, err = login.NewSession(sso, s.opts).Login(context.Background())
	var endpointErr *login.EndpointError
	if !errors.As(err, &endpointErr) {
		t.Fatalf("Login against a closed port: error = %v, want *EndpointError", err)
	}
	t.Logf("error: %v", err)
	if !strings.Contains(err.Error(), closed) {
		t.Errorf("error %q does not name %s", err, closed)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("failing took %s: retries must stay modest", d)
	}
}

func TestCancelStopsTheWaitAndTheListener(t *testing.T) {
	s := newSetup(t)
	ctx, cancel := context.WithCancel(context.Background())
	opened := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
			o.Browser = openerFunc(func(u string) error { opened <- u; return nil })
		}).Login(ctx)
		done <- err
	}()
	authURL := <-opened
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Login after cancel: error = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Login did not return after the context was cancelled")
	}
	redirect := redirectURI(t, authURL)
	if resp, err := http.Get(redirect + "?code=x"); err == nil {
		resp.Body.Close()
		t.Errorf("the loopback listener %s still answers after cancel", redirect)
	}
}

func TestAuthorizationTimesOut(t *testing.T) {
	s := newSetup(t)
	_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
		o.NoBrowser = true
		o.AuthorizationTimeout = 100 * time.Millisecond
	}).Login(context.Background())
	if !errors.Is(err, login.ErrAuthorizationExpired) {
		t.Fatalf("Login with nobody at the browser: error = %v, want ErrAuthorizationExpired", err)
	}
}

func TestBrowserThatCannotOpenFallsBackToTheDeviceCode(t *testing.T) {
	s := newSetup(t, autoApprove)
	_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
		o.Browser = openerFunc(func(string) error { return errors.New("xdg-open: not found") })
	}).Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
	}
	if s.srv.Count("StartDeviceAuthorization") != 1 {
		t.Errorf("StartDeviceAuthorization = %d, want 1 after the browser failed", s.srv.Count("StartDeviceAuthorization"))
	}
	if !strings.Contains(s.msgs.String(), "xdg-open: not found") {
		t.Errorf("the reason the browser failed was not shown; messages:\n%s", s.msgs)
	}
}

// A fixed loopback port comes from Options.Port or the sso-session's
// ssokit_callback_port; Options.Port wins when both are set.
func TestFixedPortIsUsed(t *testing.T) {
	for _, tc := range []struct {
		name               string
		option, configured bool
	}{
		{"Options.Port", true, false},
		{"ssokit_callback_port", false, true},
		{"both: Options.Port wins", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port, other := freePort(t), freePort(t)
			for other == port {
				other = freePort(t)
			}
			s := newSetup(t, autoApprove)
			sso := s.session()
			if tc.configured {
				sso.CallbackPort = port
				if tc.option {
					sso.CallbackPort = other
				}
			}
			var opened string
			_, err := login.NewSession(sso, s.opts, func(o *login.Options) {
				if tc.option {
					o.Port = port
				}
				o.Browser = openerFunc(func(u string) error { opened = u; return redirectFollower{&http.Client{}}.Open(u) })
			}).Login(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := redirectURI(t, opened), fmt.Sprintf("http://127.0.0.1:%d/oauth/callback", port); got != want {
				t.Errorf("redirect_uri = %q, want %q", got, want)
			}
		})
	}
}

// freePort is a port nobody listened on a moment ago: picked just before
// it is used.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Goroutines stand in for processes here (each with its own Cache, so its
// own file lock); the command's test runs real processes.
func TestConcurrentCallersShareOneSignIn(t *testing.T) {
	// The emulator's latency keeps the sign-in going long enough for every
	// caller to queue on the lock, and to be told why it waits.
	s := newSetup(t, autoApprove, func(o *emulator.Options) { o.Faults.Latency = 250 * time.Millisecond })
	const callers = 12
	var wg sync.WaitGroup
	tokens := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
				o.Cache = tokencache.New(s.cache.Dir())
				o.SignIn = true
				o.Browser = redirectFollower{&http.Client{}}
			}).Token(context.Background())
			errs[i] = err
			if tok != nil {
				tokens[i] = tok.AccessToken
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
		if tokens[i] != tokens[0] {
			t.Errorf("caller %d got a different token", i)
		}
	}
	if got := s.srv.Count("Authorize"); got != 1 {
		t.Errorf("Authorize requests = %d, want exactly 1 for %d callers", got, callers)
	}
	if got := strings.Count(s.msgs.String(), `Another ssokit process is signing in to session "my-sso"; waiting for it to finish.`); got != callers-1 {
		t.Errorf("%d callers were told they wait for another sign-in, want %d; messages:\n%s", got, callers-1, s.msgs)
	}
}

func TestLogoutRevokesAndDeletesButKeepsTheRegistration(t *testing.T) {
	s := newSetup(t, autoApprove)
	device := func(o *login.Options) { o.UseDeviceCode = true; o.NoBrowser = true }
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := login.NewSession(s.session(), s.opts).Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if got := s.srv.Count("Logout"); got != 1 {
		t.Errorf("portal Logout calls = %d, want 1", got)
	}
	if _, err := s.cache.LoadToken("my-sso"); !errors.Is(err, tokencache.ErrNotFound) {
		t.Errorf("token still cached after Logout: %v", err)
	}
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.srv.Count("RegisterClient"); got != 1 {
		t.Errorf("RegisterClient = %d after logout and login, want 1: the registration must survive Logout", got)
	}

	// Logging out with no token is not an error, and calls nobody.
	if err := login.NewSession(s.legacy(), s.opts).Logout(context.Background()); err != nil {
		t.Errorf("Logout without a token: %v", err)
	}
	if got := s.srv.Count("Logout"); got != 1 {
		t.Errorf("portal Logout calls = %d, want still 1", got)
	}
}

type openerFunc func(string) error

func (f openerFunc) Open(u string) error { return f(u) }

func redirectURI(t *testing.T, authURL string) string {
	t.Helper()
	_, q, ok := strings.Cut(authURL, "?")
	if !ok {
		t.Fatalf("no query in %q", authURL)
	}
	for _, kv := range strings.Split(q, "&") {
		if v, ok := strings.CutPrefix(kv, "redirect_uri="); ok {
			v = strings.NewReplacer("%3A", ":", "%2F", "/").Replace(v)
			return v
		}
	}
	t.Fatalf("no redirect_uri in %q", authURL)
	return ""
}

func TestCancelWhileWaitingForAnotherSignIn(t *testing.T) {
	s := newSetup(t, autoApprove)
	unlock, err := s.cache.Lock(context.Background(), "my-sso") // another process signing in
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	_, err = login.NewSession(s.session(), s.opts, func(o *login.Options) { o.SignIn = true }).Token(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Token cancelled while waiting for the lock: error = %v, want context.Canceled", err)
	}
	if !strings.Contains(s.msgs.String(), "Another ssokit process is signing in") {
		t.Errorf("the wait was not explained; messages:\n%s", s.msgs)
	}
	if n := s.srv.Count("RegisterClient") + s.srv.Count("Authorize") + s.srv.Count("StartDeviceAuthorization"); n != 0 {
		t.Errorf("%d requests reached the emulator from a caller that never got the lock", n)
	}
}

func TestRegistrationTheServiceNoLongerKnowsIsReplaced(t *testing.T) {
	s := newSetup(t, autoApprove)
	device := func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A new service behind the same endpoint settings: the cached client
	// means nothing to it.
	s.srv = emulatortest.NewServer(t, autoApprove)
	if _, err := login.NewSession(s.session(), s.opts, device).Login(context.Background()); err != nil {
		t.Fatalf("Login with a registration the service does not know: %v", err)
	}
	if got := s.srv.Count("RegisterClient"); got != 1 {
		t.Errorf("RegisterClient at the new service = %d, want 1", got)
	}
}

func TestBusyPortIsAListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := newSetup(t, autoApprove)
	port := ln.Addr().(*net.TCPAddr).Port
	_, err = login.NewSession(s.session(), s.opts, func(o *login.Options) { o.Port = port }).Login(context.Background())
	if err == nil {
		t.Fatal("Login on a busy port succeeded")
	}
	var listen *login.ListenError
	if want := fmt.Sprintf("listen for the browser on 127.0.0.1:%d", port); !errors.As(err, &listen) || listen.Port != port || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q: want a *login.ListenError naming 127.0.0.1:%d", err, port)
	}
}

func TestUnlockableCacheStillServesATokenWithTimeLeft(t *testing.T) {
	s := newSetup(t, autoApprove)
	device := func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }
	first, err := login.NewSession(s.session(), s.opts, device).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A folder where the lock file should be: no lock can be taken (even
	// by root, for whom a read-only folder would not do).
	lockPath := s.cache.TokenPath("my-sso") + ".lock"
	if err := os.Remove(lockPath); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(lockPath, 0o700); err != nil {
		t.Fatal(err)
	}
	s.now = first.ExpiresAt.Add(-5 * time.Minute)
	tok, err := login.NewSession(s.session(), s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("Token with 5 minutes left and no lock to be had: %v", err)
	}
	if tok.AccessToken != first.AccessToken || !strings.Contains(s.msgs.String(), "using the cached token while it lasts") {
		t.Errorf("want the cached token and a warning; messages:\n%s", s.msgs)
	}
	if s.srv.Count("CreateToken") != 1 {
		t.Errorf("CreateToken = %d: nothing may be refreshed without the lock", s.srv.Count("CreateToken"))
	}

	s.now = first.ExpiresAt.Add(time.Minute)
	if _, err := login.NewSession(s.session(), s.opts).Token(context.Background()); err == nil || !strings.Contains(err.Error(), lockPath) {
		t.Errorf("Token once expired without a lock: error = %v, want one naming %s", err, lockPath)
	}
}

// A busy ssokit_callback_port is an error naming the port and the setting.
func TestBusySessionCallbackPortNamesTheSetting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := newSetup(t, autoApprove)
	sso := s.session()
	sso.CallbackPort = ln.Addr().(*net.TCPAddr).Port
	_, err = login.NewSession(sso, s.opts).Login(context.Background())
	var listen *login.ListenError
	want := fmt.Sprintf(`listen for the browser on 127.0.0.1:%d (ssokit_callback_port of sso-session "my-sso")`, sso.CallbackPort)
	if !errors.As(err, &listen) || listen.Port != sso.CallbackPort || listen.Session != "my-sso" || !strings.Contains(err.Error(), want) {
		t.Errorf("Login = %v; want a *login.ListenError saying %q", err, want)
	}
}

// ssokit_use_device_code makes every sign-in of the session use the code,
// even with a browser at hand.
func TestSessionUseDeviceCodeSignsInWithTheCode(t *testing.T) {
	s := newSetup(t, autoApprove)
	sso := s.session()
	sso.UseDeviceCode = true
	opened := 0
	_, err := login.NewSession(sso, s.opts, func(o *login.Options) {
		o.Browser = openerFunc(func(string) error { opened++; return nil })
	}).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := counts(s.srv, "StartDeviceAuthorization"); got["StartDeviceAuthorization"] != 1 {
		t.Errorf("StartDeviceAuthorization = %d, want 1", got["StartDeviceAuthorization"])
	}
}
