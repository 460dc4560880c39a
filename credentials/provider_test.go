package credentials_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// resolve loads env's config files and resolves profile.
func resolve(t testing.TB, env *signedin.Env, profile string) config.SSO {
	t.Helper()
	cfg, err := config.Load(config.Paths{Config: env.ConfigPath, Credentials: env.CredentialsPath})
	if err != nil {
		t.Fatal(err)
	}
	sso, err := cfg.ResolveSSO(profile, func(k string) string { return env.Vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return sso
}

// newSession returns the login session of profile in env (its endpoints
// are the emulator's, from env's environment), its caches in env's home
// and its messages into msgs; loginOpts apply after that.
func newSession(t testing.TB, env *signedin.Env, profile string, msgs *bytes.Buffer, loginOpts ...func(*login.Options)) *login.Session {
	t.Helper()
	return login.NewSession(resolve(t, env, profile), append([]func(*login.Options){func(o *login.Options) {
		o.Home = env.Home
		o.Messages = msgs
	}}, loginOpts...)...)
}

// newProvider returns a Provider for profile in env, as the commands build
// it, and the buffer its messages go to.
func newProvider(t testing.TB, env *signedin.Env, profile string, optFns ...func(*credentials.Options)) (*credentials.Provider, *bytes.Buffer) {
	t.Helper()
	msgs := &bytes.Buffer{}
	return credentials.New(newSession(t, env, profile, msgs), optFns...), msgs
}

func cachePath(t testing.TB, env *signedin.Env, profile string) string {
	return filepath.Join(credentials.DefaultCacheDir(env.Home), credentials.CacheFileName(resolve(t, env, profile)))
}

func TestRetrieveFetchesOnceThenReusesTheCache(t *testing.T) {
	env := signedin.New(t)
	p, _ := newProvider(t, env, signedin.Profile)

	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials calls = %d, want 1", n)
	}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("STS says the credentials are %s, want the demo role (%s...)", arn, signedin.RoleARNPrefix())
	}
	if !creds.CanExpire || creds.Source != credentials.Source || creds.AccountID != directory.DemoAccount {
		t.Errorf("creds = CanExpire %v, Source %q, AccountID %q; want true, %q, %q",
			creds.CanExpire, creds.Source, creds.AccountID, credentials.Source, directory.DemoAccount)
	}
	if left := time.Until(creds.Expires); left < 50*time.Minute || left > time.Hour {
		t.Errorf("credentials expire in %s, want the permission set's hour", left)
	}

	path := cachePath(t, env, signedin.Profile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no cache entry written: %v", err)
	}
	want := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "` + creds.AccessKeyID + `", "SecretAccessKey": "` + creds.SecretAccessKey +
		`", "SessionToken": "` + creds.SessionToken + `", "Expiration": "` + creds.Expires.Format("2006-01-02T15:04:05Z") + `", "AccountId": "` + directory.DemoAccount + `"}}`
	if string(data) != want {
		t.Errorf("cache entry =\n%s\nwant\n%s", data, want)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("cache entry mode = %o, want 600", fi.Mode().Perm())
	}

	// A new provider (another process, in effect) answers from the file.
	p2, _ := newProvider(t, env, signedin.Profile)
	again, err := p2.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(creds, again); diff != "" {
		t.Errorf("cached credentials differ from fetched ones (-fetched +cached):\n%s", diff)
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials calls after a cache hit = %d, want still 1", n)
	}
}

func TestRetrieveReuseWindow(t *testing.T) {
	tests := []struct {
		name      string
		later     time.Duration // clock advance before the second Retrieve
		window    time.Duration
		wantCalls int
	}{
		{name: "50 minutes later 10 remain, under the default 15: fetched again", later: 50 * time.Minute, wantCalls: 2},
		{name: "40 minutes later 20 remain: reused", later: 40 * time.Minute, wantCalls: 1},
		{name: "a 5-minute window reuses them 50 minutes later", later: 50 * time.Minute, window: 5 * time.Minute, wantCalls: 1},
		{name: "a 2-hour window never reuses one-hour credentials", window: 2 * time.Hour, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := signedin.New(t)
			p, _ := newProvider(t, env, signedin.Profile, func(o *credentials.Options) { o.ReuseWindow = tt.window })
			first, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			later, _ := newProvider(t, env, signedin.Profile, func(o *credentials.Options) {
				o.ReuseWindow = tt.window
				o.Now = func() time.Time { return time.Now().Add(tt.later) }
			})
			second, err := later.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n := env.Srv.Count("GetRoleCredentials"); n != tt.wantCalls {
				t.Errorf("GetRoleCredentials calls = %d, want %d", n, tt.wantCalls)
			}
			if reused := first.AccessKeyID == second.AccessKeyID; reused != (tt.wantCalls == 1) {
				t.Errorf("second Retrieve reused the first credentials: %v, want %v", reused, tt.wantCalls == 1)
			}
		})
	}
}

func TestRetrieveWithoutCache(t *testing.T) {
	env := signedin.New(t)
	p, _ := newProvider(t, env, signedin.Profile, func(o *credentials.Options) { o.NoCache = true })
	for range 2 {
		if _, err := p.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 2 {
		t.Errorf("GetRoleCredentials calls = %d, want 2 with the cache off", n)
	}
	if _, err := os.Stat(credentials.DefaultCacheDir(env.Home)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cache folder exists (%v); with the cache off nothing is written", err)
	}
}

// Entries the AWS CLI wrote, and files that are not entries at all.
func TestRetrieveReadsWhatIsInTheCache(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name      string
		content   string
		wantKey   string // "" means fetched from the portal
		wantCalls int
	}{
		{
			name:    "an entry the AWS CLI wrote is used as is",
			content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAFROMCLI", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + exp.Format("2006-01-02T15:04:05Z") + `"}}`,
			wantKey: "ASIAFROMCLI",
		},
		{
			name:    "an entry with the older UTC suffix is used",
			content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAOLDCLI", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + exp.Format("2006-01-02T15:04:05") + `UTC"}}`,
			wantKey: "ASIAOLDCLI",
		},
		{name: "a corrupt entry is replaced", content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId"`, wantCalls: 1},
		{name: "an expired entry is replaced", content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAOLD", "SecretAccessKey": "s", "Expiration": "2020-01-23T20:48:59UTC"}}`, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := signedin.New(t)
			path := cachePath(t, env, signedin.Profile)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			p, _ := newProvider(t, env, signedin.Profile)
			creds, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n := env.Srv.Count("GetRoleCredentials"); n != tt.wantCalls {
				t.Errorf("GetRoleCredentials calls = %d, want %d", n, tt.wantCalls)
			}
			if tt.wantKey != "" {
				if creds.AccessKeyID != tt.wantKey || !creds.Expires.Equal(exp) || creds.AccountID != directory.DemoAccount {
					t.Errorf("got key %s expiring %s account %q; want %s, %s, the profile's account", creds.AccessKeyID, creds.Expires, creds.AccountID, tt.wantKey, exp)
				}
				return
			}
			if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
				t.Errorf("fetched credentials are %s", arn)
			}
			if got, _ := os.ReadFile(path); !bytes.Contains(got, []byte(creds.AccessKeyID)) {
				t.Errorf("the bad entry was not replaced: %s", got)
			}
		})
	}
}

// Goroutines with their own Providers, as separate processes would have,
// share one portal call through the lock beside the cache file.
func TestConcurrentRetrievesShareOneCall(t *testing.T) {
	env := signedin.New(t)
	const n = 24
	var wg sync.WaitGroup
	keys := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		p, _ := newProvider(t, env, signedin.Profile)
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := p.Retrieve(context.Background())
			keys[i], errs[i] = creds.AccessKeyID, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Retrieve %d: %v", i, err)
		}
		if keys[i] != keys[0] {
			t.Errorf("Retrieve %d got key %s, Retrieve 0 got %s", i, keys[i], keys[0])
		}
	}
	if c := env.Srv.Count("GetRoleCredentials"); c != 1 {
		t.Errorf("GetRoleCredentials calls = %d for %d concurrent callers, want 1", c, n)
	}
}

// The same Provider shared by goroutines, behind aws.CredentialsCache as an
// SDK would use it.
func TestProviderInAnAWSConfig(t *testing.T) {
	env := signedin.New(t)
	p, _ := newProvider(t, env, signedin.Profile)
	cache := aws.NewCredentialsCache(p)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cache.Retrieve(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if c := env.Srv.Count("GetRoleCredentials"); c != 1 {
		t.Errorf("GetRoleCredentials calls = %d, want 1", c)
	}
}

func closedPortURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

func TestRetrieveErrors(t *testing.T) {
	tests := []struct {
		name    string
		faults  emulator.Faults
		profile string
		setup   func(t *testing.T, env *signedin.Env) []func(*credentials.Options)
		check   func(t *testing.T, env *signedin.Env, err error)
		calls   int // GetRoleCredentials calls that reach the emulator
	}{
		{
			name:    "a profile never signed in needs sign-in, and the portal is not asked",
			profile: signedin.Legacy,
			check: func(t *testing.T, env *signedin.Env, err error) {
				var signIn *login.SignInRequiredError
				if !errors.As(err, &signIn) {
					t.Fatalf("err = %v (%T), want *login.SignInRequiredError", err, err)
				}
				if signIn.Profile != signedin.Legacy || !signIn.Legacy {
					t.Errorf("SignInRequiredError = %+v, want the legacy profile %s", signIn, signedin.Legacy)
				}
			},
		},
		{
			name:    "a token the portal no longer accepts needs sign-in again",
			profile: signedin.Profile,
			setup: func(t *testing.T, env *signedin.Env) []func(*credentials.Options) {
				cache := tokencache.New(tokencache.DefaultDir(env.Home))
				tok, err := cache.LoadToken(signedin.Session)
				if err != nil {
					t.Fatal(err)
				}
				tok.AccessToken = "revoked-" + tok.AccessToken
				if err := cache.SaveToken(signedin.Session, tok); err != nil {
					t.Fatal(err)
				}
				return nil
			},
			calls: 1,
			check: func(t *testing.T, env *signedin.Env, err error) {
				var rejected *credentials.TokenRejectedError
				var signIn *login.SignInRequiredError
				if !errors.As(err, &rejected) || !errors.As(err, &signIn) {
					t.Fatalf("err = %v (%T), want *TokenRejectedError wrapping *login.SignInRequiredError", err, err)
				}
				if signIn.Profile != signedin.Profile || signIn.Session != signedin.Session {
					t.Errorf("SignInRequiredError = %+v, want profile %s of session %s", signIn, signedin.Profile, signedin.Session)
				}
				if !strings.Contains(err.Error(), env.Srv.URL) {
					t.Errorf("error %q does not name the portal", err)
				}
				tok, loadErr := tokencache.New(tokencache.DefaultDir(env.Home)).LoadToken(signedin.Session)
				if loadErr != nil || !strings.HasPrefix(tok.AccessToken, "revoked-") {
					t.Errorf("the cached token was deleted or replaced (%v); a rejected token is left for login to replace", loadErr)
				}
			},
		},
		{
			name:    "a role the user is not assigned",
			profile: signedin.NotAssigned,
			calls:   1,
			check: func(t *testing.T, env *signedin.Env, err error) {
				var notAssigned *credentials.RoleNotAssignedError
				if !errors.As(err, &notAssigned) {
					t.Fatalf("err = %v (%T), want *RoleNotAssignedError", err, err)
				}
				want := credentials.RoleNotAssignedError{Profile: signedin.NotAssigned, AccountID: "777788889999", RoleName: "SecurityAudit"}
				got := *notAssigned
				got.Err = nil
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("error fields (-want +got):\n%s", diff)
				}
				for _, s := range []string{`"not-assigned"`, "777788889999", `"SecurityAudit"`, "sso_role_name"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %s", err, s)
					}
				}
			},
		},
		{
			name:    "a portal that is down",
			profile: signedin.Profile,
			setup: func(t *testing.T, env *signedin.Env) []func(*credentials.Options) {
				env.Vars["AWS_ENDPOINT_URL_SSO"] = closedPortURL(t)
				return nil
			},
			check: func(t *testing.T, env *signedin.Env, err error) {
				var svc *credentials.ServiceError
				if !errors.As(err, &svc) || svc.Throttled {
					t.Fatalf("err = %v (%T), want a *ServiceError, not throttled", err, err)
				}
				// "connection refused"; Windows says the machine
				// "actively refused it".
				if !strings.Contains(strings.ToLower(err.Error()), "refused") {
					t.Errorf("error %q does not say the connection was refused", err)
				}
				for _, s := range []string{"cannot reach", svc.URL, "try again"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
			},
		},
		{
			name:    "a portal that keeps throttling",
			profile: signedin.Profile,
			// Signing in takes three API calls; everything after is refused.
			faults: emulator.Faults{RateLimit: 0.001, RateBurst: 3},
			calls:  8, // the session's retry policy tries eight times
			check: func(t *testing.T, env *signedin.Env, err error) {
				var svc *credentials.ServiceError
				if !errors.As(err, &svc) || !svc.Throttled {
					t.Fatalf("err = %v (%T), want a throttled *ServiceError", err, err)
				}
				if !strings.Contains(err.Error(), env.Srv.URL) || !strings.Contains(err.Error(), "try again") {
					t.Errorf("error %q does not name the portal or suggest retrying", err)
				}
			},
		},
		{
			name:    "a portal failing with server errors",
			profile: signedin.Profile,
			setup: func(t *testing.T, env *signedin.Env) []func(*credentials.Options) {
				// A second emulator that fails every API call, so that only
				// the portal call fails, not the sign-in before it.
				failing := emulatortest.NewServer(t, func(o *emulator.Options) { o.Faults.ErrorRate = 1 })
				env.Vars["AWS_ENDPOINT_URL_SSO"] = failing.URL
				return nil
			},
			check: func(t *testing.T, env *signedin.Env, err error) {
				var svc *credentials.ServiceError
				if !errors.As(err, &svc) || svc.Throttled {
					t.Fatalf("err = %v (%T), want a *ServiceError, not throttled", err, err)
				}
				if !strings.Contains(err.Error(), svc.URL) || !strings.Contains(err.Error(), "HTTP 5") {
					t.Errorf("error %q does not name the portal and its HTTP status", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faults := tt.faults
			env := signedin.New(t, func(o *emulator.Options) { o.Faults = faults })
			before := env.Srv.Count("GetRoleCredentials")
			var extra []func(*credentials.Options)
			if tt.setup != nil {
				extra = tt.setup(t, env)
			}
			p, msgs := newProvider(t, env, tt.profile, extra...)
			creds, err := p.Retrieve(context.Background())
			if err == nil {
				t.Fatalf("Retrieve succeeded with key %s, want an error", creds.AccessKeyID)
			}
			t.Logf("error: %v", err)
			tt.check(t, env, err)
			if n := env.Srv.Count("GetRoleCredentials") - before; n != tt.calls {
				t.Errorf("GetRoleCredentials calls = %d, want %d", n, tt.calls)
			}
			assertNoSecrets(t, env, err.Error()+msgs.String())
			if entries, _ := os.ReadDir(credentials.DefaultCacheDir(env.Home)); len(entries) > 1 {
				t.Errorf("cache folder holds %d entries after a failure, want at most the lock file", len(entries))
			}
		})
	}
}

// assertNoSecrets fails if text holds the cached access token, refresh
// token or client secret of env's session.
func assertNoSecrets(t *testing.T, env *signedin.Env, text string) {
	t.Helper()
	tok, err := tokencache.New(tokencache.DefaultDir(env.Home)).LoadToken(signedin.Session)
	if err != nil {
		return
	}
	for name, secret := range map[string]string{"access token": tok.AccessToken, "refresh token": tok.RefreshToken, "client secret": tok.ClientSecret} {
		if secret != "" && strings.Contains(text, strings.TrimPrefix(secret, "revoked-")) {
			t.Errorf("the %s appears in: %s", name, text)
		}
	}
}

func TestRetrieveProfileWithoutRole(t *testing.T) {
	p := credentials.New(login.NewSession(config.SSO{Profile: "signin-only", SessionName: "s", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-2"}),
		func(o *credentials.Options) { o.CacheDir = tempdir.New(t) })
	_, err := p.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), `"signin-only"`) || !strings.Contains(err.Error(), "sso_account_id") {
		t.Errorf("err = %v, want one naming the profile and sso_account_id", err)
	}
}

// The cache entry must be what the AWS CLI itself would write, read back
// with the CLI's field names.
func TestCacheEntryFields(t *testing.T) {
	env := signedin.New(t)
	p, _ := newProvider(t, env, signedin.Profile)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cachePath(t, env, signedin.Profile))
	if err != nil {
		t.Fatal(err)
	}
	var entry map[string]any
	if err := json.Unmarshal(data, &entry); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"ProviderType": "sso",
		"Credentials": map[string]any{
			"AccessKeyId": creds.AccessKeyID, "SecretAccessKey": creds.SecretAccessKey, "SessionToken": creds.SessionToken,
			"Expiration": creds.Expires.UTC().Format("2006-01-02T15:04:05Z"), "AccountId": directory.DemoAccount,
		},
	}
	if diff := cmp.Diff(want, entry); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}
}

// An embedder that asks for browser sign-in gets it both when there is no
// token and when the portal rejects the one cached.
func TestRetrieveSignsInWhenAsked(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		spoil   bool // replace the cached token by one the portal rejects
	}{
		{name: "no token yet", profile: signedin.Legacy},
		{name: "a token the portal rejects", profile: signedin.Profile, spoil: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := signedin.New(t)
			if tt.spoil {
				cache := tokencache.New(tokencache.DefaultDir(env.Home))
				tok, err := cache.LoadToken(signedin.Session)
				if err != nil {
					t.Fatal(err)
				}
				tok.AccessToken = "revoked"
				tok.RefreshToken = ""
				if err := cache.SaveToken(signedin.Session, tok); err != nil {
					t.Fatal(err)
				}
			}
			env.Browser.Follow = env.Srv.Browser(t, directory.DemoUser, env.Srv.Password(t, directory.DemoUser)).Follow
			p := credentials.New(newSession(t, env, tt.profile, &bytes.Buffer{}, func(lo *login.Options) {
				lo.SignIn = true
				lo.Browser = env.Browser
			}))
			creds, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
				t.Errorf("STS says the credentials are %s", arn)
			}
			if len(env.Browser.URLs()) != 1 {
				t.Errorf("browser opened %v, want one sign-in", env.Browser.URLs())
			}
		})
	}
}

// A cache folder that cannot be used costs a warning and the cache, never
// the credentials.
func TestRetrieveWithAnUnusableCacheFolder(t *testing.T) {
	env := signedin.New(t)
	blocker := filepath.Join(env.Home, "not-a-folder")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p, msgs := newProvider(t, env, signedin.Profile, func(o *credentials.Options) { o.CacheDir = filepath.Join(blocker, "cache") })
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("STS says the credentials are %s", arn)
	}
	if !strings.Contains(msgs.String(), "warning: role credentials not cached") || !strings.Contains(msgs.String(), blocker) {
		t.Errorf("messages = %q, want a warning naming the folder", msgs)
	}
	assertNoSecrets(t, env, msgs.String())
}

// A caller waiting for another process's portal call gives up when its
// context ends, without calling the portal itself.
func TestRetrieveWaitsForTheLockUntilTheContextEnds(t *testing.T) {
	env := signedin.New(t)
	unlock, err := fileutil.Lock(context.Background(), cachePath(t, env, signedin.Profile))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	// Two goroutines on one Provider: one waits on the file lock, the
	// other behind it in the process.
	p, _ := newProvider(t, env, signedin.Profile)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := p.Retrieve(ctx)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `profile "dev"`) {
			t.Errorf("err = %v, want the deadline, naming the profile", err)
		}
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 0 {
		t.Errorf("GetRoleCredentials calls = %d while another process held the lock, want 0", n)
	}
}

// A fresh cache entry is answered without the token or the portal: here
// both would fail (no token, a closed port), and nothing is said.
func TestCacheHitTouchesNothingElse(t *testing.T) {
	home := tempdir.New(t)
	sso := config.SSO{Profile: "dev", SessionName: "s", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-2",
		AccountID: "111122223333", RoleName: "ReadOnly"}
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	entry := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAHIT", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + exp.Format(time.RFC3339) + `"}}`
	path := filepath.Join(credentials.DefaultCacheDir(home), credentials.CacheFileName(sso))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(entry), 0o600); err != nil {
		t.Fatal(err)
	}
	closed := closedPortURL(t)
	var msgs bytes.Buffer
	sso.Endpoints.OIDC, sso.Endpoints.Portal = closed, closed
	portal := &fakePortal{}
	p := credentials.New(login.NewSession(sso, func(lo *login.Options) {
		lo.Home = home
		lo.Cache = tokencache.New(filepath.Join(home, "no-such-cache"))
		lo.Messages = &msgs
	}), func(o *credentials.Options) { o.Client = portal })
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIAHIT" || creds.AccountID != "111122223333" || !creds.Expires.Equal(exp) {
		t.Errorf("creds = %+v, want the cached entry with the profile's account", creds)
	}
	if portal.calls.Load() > 0 || msgs.Len() > 0 {
		t.Errorf("the portal was called (%d times) or something was said (%q) on a cache hit", portal.calls.Load(), msgs.String())
	}
	if _, err := os.Stat(filepath.Join(home, "no-such-cache")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the token cache was touched on a cache hit: %v", err)
	}
}
