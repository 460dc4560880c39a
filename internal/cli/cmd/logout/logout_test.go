package logout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewCmdFlags(t *testing.T) {
	tests := map[string]struct {
		args    []string
		want    Options
		wantErr string
	}{
		"no flags: the current profile's session": {args: nil, want: Options{}},
		"--profile":                    {args: []string{"--profile", "dev"}, want: Options{Profile: "dev"}},
		"-p":                           {args: []string{"-p", "dev"}, want: Options{Profile: "dev"}},
		"--sso-session":                {args: []string{"--sso-session", "my-sso"}, want: Options{SSOSession: "my-sso"}},
		"--all":                        {args: []string{"--all"}, want: Options{All: true}},
		"--profile with --all":         {args: []string{"--profile", "dev", "--all"}, wantErr: "cannot be combined"},
		"--profile with --sso-session": {args: []string{"--profile", "dev", "--sso-session", "s"}, wantErr: "cannot be combined"},
		"--sso-session with --all":     {args: []string{"--sso-session", "s", "--all"}, wantErr: "cannot be combined"},
		"arguments are refused":        {args: []string{"dev"}, wantErr: `unknown command "dev"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			var got *Options
			cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(tt.wantErr, "combined") {
					var fe *cmdutil.FlagError
					if !errors.As(err, &fe) {
						t.Errorf("err = %T, want a *cmdutil.FlagError (exit code 2)", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Factory != f || got.IO != ios {
				t.Error("Options must carry the factory and its streams")
			}
			tt.want.Factory, tt.want.IO = f, ios
			if diff := cmp.Diff(&tt.want, got, cmp.AllowUnexported(Options{}), cmp.Comparer(func(a, b *cmdutil.Factory) bool { return a == b }), cmp.Comparer(func(a, b *iostreams.IOStreams) bool { return a == b })); diff != "" {
				t.Errorf("Options (-want +got):\n%s", diff)
			}
		})
	}
}

// env is a test home wired to an emulator.
type env struct {
	srv    *emulatortest.Server
	home   string
	cache  *tokencache.Cache
	f      *cmdutil.Factory
	out    *bytes.Buffer
	errOut *bytes.Buffer
	vars   map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := cmdtest.NewEnv(t, srv)
	home := c.Home
	e := &env{srv: srv, home: home, f: c.F, out: c.Out, errOut: c.ErrOut, vars: c.Vars}
	e.cache = tokencache.New(tokencache.DefaultDir(home))
	e.write(filepath.Join(home, ".aws", "config"), fmt.Sprintf(`[default]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Admin

[profile legacy]
sso_start_url = %[1]s
sso_region = %[2]s
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile keys]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[sso-session my-sso]
sso_start_url = %[1]s
sso_region = %[2]s
`, srv.StartURL, srv.Region))
	return e
}

func (e *env) write(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		panic(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		panic(err)
	}
}

// signIn signs in to the emulator with ssokit's own login (device flow,
// auto-approved), which caches the token and the client registration under
// key: "my-sso" for the sso-session, the start URL for the legacy profile,
// anything else for a session configured elsewhere.
func (e *env) signIn(t *testing.T, key string) *tokencache.Token {
	t.Helper()
	s := config.SSO{SessionName: key, StartURL: e.srv.StartURL, Region: e.srv.Region, Scopes: []string{"sso:account:access"},
		Endpoints: config.Endpoints{OIDC: e.srv.URL, Portal: e.srv.URL}}
	if key == e.srv.StartURL {
		s.SessionName, s.Scopes = "", nil
	}
	tok, err := login.NewSession(s, func(o *login.Options) {
		o.Cache = e.cache
		o.HTTPClient = e.f.HTTPClient
		o.UseDeviceCode = true
	}).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// works reports whether the portal still accepts the access token.
func (e *env) works(t *testing.T, accessToken string) bool {
	t.Helper()
	client := sso.New(sso.Options{Region: e.srv.Region, BaseEndpoint: aws.String(e.srv.URL), RetryMaxAttempts: 1})
	_, err := client.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: aws.String(accessToken)})
	var unauthorized *ssotypes.UnauthorizedException
	switch {
	case err == nil:
		return true
	case errors.As(err, &unauthorized):
		return false
	}
	t.Fatalf("ListAccounts: %v", err)
	return false
}

// cliCache writes an SSO role-credential entry and an assume-role entry in
// the AWS CLI's cache and returns their paths.
func (e *env) cliCache() (ssoEntry, assumeRoleEntry string) {
	dir := filepath.Join(e.home, ".aws", "cli", "cache")
	ssoEntry = filepath.Join(dir, "0521d1f6a6c4e68f9e18540309367cc3cccb6305.json")
	assumeRoleEntry = filepath.Join(dir, "3c1bd0f6f2b8e5b8a1b2b6f2a8f0b1c2d3e4f5a6.json")
	e.write(ssoEntry, `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2099-01-01T09:00:00Z", "AccountId": "111122223333"}}`)
	e.write(assumeRoleEntry, `{"Credentials": {"AccessKeyId": "ASIAOTHER", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2099-01-01T09:00:00UTC"}, "AssumedRoleUser": {}}`)
	return ssoEntry, assumeRoleEntry
}

func TestLogoutOneProfile(t *testing.T) {
	e := newEnv(t)
	session := e.signIn(t, "my-sso")
	legacy := e.signIn(t, e.srv.StartURL)
	regKey := tokencache.RegistrationKey{Region: e.srv.Region, Scopes: []string{"sso:account:access"}, SessionName: "my-sso", StartURL: e.srv.StartURL}
	if _, err := e.cache.LoadRegistration(regKey); err != nil {
		t.Fatalf("the sign-in cached no client registration: %v", err)
	}
	ssoEntry, assumeRoleEntry := e.cliCache()

	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, Profile: "dev"}); err != nil {
		t.Fatalf("run: %v\n%s", err, e.errOut)
	}

	if n := e.srv.Count("Logout"); n != 1 {
		t.Errorf("portal Logout calls = %d, want 1", n)
	}
	if e.works(t, session.AccessToken) {
		t.Error("the session's token still works at the portal")
	}
	if !e.works(t, legacy.AccessToken) {
		t.Error("the legacy profile's token was revoked too")
	}
	checks := map[string]struct {
		path string
		want bool
	}{
		"the session's token is deleted":    {e.cache.TokenPath("my-sso"), false},
		"the other session's token is kept": {e.cache.TokenPath(e.srv.StartURL), true},
		"the client registration is kept":   {filepath.Join(e.cache.Dir(), regKey.FileName()), true},
		"SSO role credentials are deleted":  {ssoEntry, false},
		"assume-role credentials are kept":  {assumeRoleEntry, true},
	}
	for name, c := range checks {
		if got := exists(c.path); got != c.want {
			t.Errorf("%s: %s exists = %v", name, c.path, got)
		}
	}
	wantErr := fmt.Sprintf("Signed out of SSO session \"my-sso\" (%s).\nDeleted 1 cached SSO role credential from %s.\n", e.srv.StartURL, filepath.Join(e.home, ".aws", "cli", "cache"))
	if diff := cmp.Diff(wantErr, e.errOut.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if e.out.Len() != 0 {
		t.Errorf("stdout must stay empty: %q", e.out)
	}
}

func TestLogoutAll(t *testing.T) {
	e := newEnv(t)
	session := e.signIn(t, "my-sso")
	legacy := e.signIn(t, e.srv.StartURL)
	// A token `aws sso login` wrote for a session configured in another
	// config file: ssokit cannot know its name, only its file.
	other := e.signIn(t, "elsewhere")
	if err := e.cache.DeleteToken("elsewhere"); err != nil {
		t.Fatal(err)
	}
	otherPath := filepath.Join(e.cache.Dir(), "0123456789abcdef0123456789abcdef01234567.json")
	e.write(otherPath, fmt.Sprintf(`{"startUrl": %q, "region": %q, "accessToken": %q, "expiresAt": "2099-10-26T05:19:09UTC"}`, e.srv.StartURL, e.srv.Region, other.AccessToken))
	junk := filepath.Join(e.cache.Dir(), "botocore-client-id.json")
	e.write(junk, `{"clientId": "myid"}`)
	// A configured session whose token file is damaged: deleted too.
	cfgPath := filepath.Join(e.home, ".aws", "config")
	cfgText, _ := os.ReadFile(cfgPath)
	e.write(cfgPath, string(cfgText)+fmt.Sprintf("\n[sso-session damaged]\nsso_start_url = %s\nsso_region = %s\n", e.srv.StartURL, e.srv.Region))
	damaged := e.cache.TokenPath("damaged")
	e.write(damaged, `{"accessToken": "at", "expi`)
	ssoEntry, assumeRoleEntry := e.cliCache()

	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, All: true}); err != nil {
		t.Fatalf("run: %v\n%s", err, e.errOut)
	}
	t.Logf("stderr:\n%s", e.errOut)
	if n := e.srv.Count("Logout"); n != 3 {
		t.Errorf("portal Logout calls = %d, want 3", n)
	}
	for _, tok := range []string{session.AccessToken, legacy.AccessToken, other.AccessToken} {
		if e.works(t, tok) {
			t.Errorf("token %s… still works at the portal", tok[:6])
		}
	}
	entries, err := e.cache.Tokens()
	if err != nil || len(entries) != 0 {
		t.Errorf("tokens left in the cache: %v, %v", entries, err)
	}
	for path, want := range map[string]bool{junk: true, damaged: false, ssoEntry: false, assumeRoleEntry: true} {
		if got := exists(path); got != want {
			t.Errorf("%s exists = %v, want %v", path, got, want)
		}
	}
	for _, w := range []string{
		`Signed out of SSO session "my-sso"`,
		"Signed out of SSO start URL " + e.srv.StartURL + ".\n",
		"Signed out of SSO start URL " + e.srv.StartURL + " (token file 0123456789abcdef0123456789abcdef01234567.json, not in your config).\n",
	} {
		if !strings.Contains(e.errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, e.errOut)
		}
	}

	// Again: nothing left.
	e.errOut.Reset()
	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, All: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.errOut.String(), "nothing to sign out of") {
		t.Errorf("stderr = %q", e.errOut)
	}
}

func TestLogoutEdgeCases(t *testing.T) {
	tests := map[string]struct {
		setup      func(t *testing.T, e *env)
		opts       Options
		wantErr    string
		flagErr    bool // the error is a usage error (exit code 2)
		wantStderr []string
		wantGone   bool // the session's token file is gone afterwards
		wantCalls  int  // portal Logout calls that reached the emulator
		// wantWarning: stderr has a warning (otherwise it must have none).
		wantWarning bool
	}{
		"not signed in": {
			setup:      func(*testing.T, *env) {},
			opts:       Options{SSOSession: "my-sso"},
			wantStderr: []string{`Not signed in to SSO session "my-sso"`},
			wantGone:   true,
			wantCalls:  0,
		},
		"a corrupt token file is deleted": {
			setup: func(t *testing.T, e *env) {
				e.write(e.cache.TokenPath("my-sso"), `{"accessToken": "x", "expiresAt"`)
			},
			opts:        Options{},
			wantStderr:  []string{"warning: ignoring the cached SSO token TOKENPATH", `Signed out of SSO session "my-sso"`},
			wantGone:    true,
			wantWarning: true,
		},
		"an unreachable portal: the token is deleted anyway, with a warning": {
			setup: func(t *testing.T, e *env) {
				e.signIn(t, "my-sso")
				e.vars["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:1"
			},
			opts:        Options{Profile: "dev"},
			wantStderr:  []string{"warning: cannot reach the SSO portal service at http://127.0.0.1:1", "deleting the cached token anyway"},
			wantCalls:   0,
			wantWarning: true,
			wantGone:    true,
		},
		"an expired token is deleted without asking the portal": {
			setup: func(t *testing.T, e *env) {
				tok := e.signIn(t, "my-sso")
				tok.ExpiresAt = time.Now().Add(-time.Minute)
				if err := e.cache.SaveToken("my-sso", tok); err != nil {
					t.Fatal(err)
				}
			},
			opts:       Options{SSOSession: "my-sso"},
			wantStderr: []string{`Signed out of SSO session "my-sso"`},
			wantGone:   true,
			wantCalls:  0,
		},
		"a token the portal already revoked is deleted quietly": {
			setup: func(t *testing.T, e *env) {
				tok := e.signIn(t, "my-sso")
				client := sso.New(sso.Options{Region: e.srv.Region, BaseEndpoint: aws.String(e.srv.URL)})
				if _, err := client.Logout(context.Background(), &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)}); err != nil {
					t.Fatal(err)
				}
			},
			opts:       Options{},
			wantStderr: []string{`Signed out of SSO session "my-sso"`},
			wantGone:   true,
			wantCalls:  2,
		},
		"a profile without SSO is a usage error": {
			setup:   func(*testing.T, *env) {},
			opts:    Options{Profile: "keys"},
			wantErr: "--all",
			flagErr: true,
		},
		"no flags and no default profile points at --all": {
			setup: func(t *testing.T, e *env) {
				e.write(filepath.Join(e.home, ".aws", "config"), "[profile dev]\nregion = eu-west-1\n")
			},
			opts:    Options{},
			wantErr: "; to sign out of every session, run: ssokit logout --all",
			flagErr: true,
		},
		"an unknown sso-session is a usage error": {
			setup:   func(*testing.T, *env) {},
			opts:    Options{SSOSession: "nope"},
			wantErr: "nope",
			flagErr: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			tt.setup(t, e)
			opts := tt.opts
			opts.Factory, opts.IO = e.f, e.f.IOStreams
			err := run(context.Background(), &opts)
			t.Logf("err: %v\nstderr:\n%s", err, e.errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var fe *cmdutil.FlagError
				if errors.As(err, &fe) != tt.flagErr {
					t.Errorf("err is a FlagError: %v, want %v", !tt.flagErr, tt.flagErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\n%s", err, e.errOut)
			}
			if n := e.srv.Count("Logout"); n != tt.wantCalls {
				t.Errorf("portal Logout calls = %d, want %d", n, tt.wantCalls)
			}
			if got := strings.Contains(e.errOut.String(), "warning:"); got != tt.wantWarning {
				t.Errorf("warning on stderr = %v, want %v:\n%s", got, tt.wantWarning, e.errOut)
			}
			for _, w := range tt.wantStderr {
				w = strings.ReplaceAll(w, "TOKENPATH", e.cache.TokenPath("my-sso"))
				if !strings.Contains(e.errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, e.errOut)
				}
			}
			if tt.wantGone && exists(e.cache.TokenPath("my-sso")) {
				t.Error("the token file is still there")
			}
		})
	}
}

// Without flags the sign-out is from the session of the profile
// AWS_PROFILE or [default] names, else from the config's only sso-session.
func TestLogoutWithoutProfileOrSession(t *testing.T) {
	for i, c := range cmdtest.SessionChoices(emulatortest.NewServer(t), "my-sso") {
		t.Run(c.Name, func(t *testing.T) {
			e := newEnv(t)
			c := cmdtest.SessionChoices(e.srv, "my-sso")[i]
			e.write(filepath.Join(e.home, ".aws", "config"), c.Config)
			maps.Copy(e.vars, c.Vars)
			tok := e.signIn(t, "my-sso")
			err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams})
			c.Check(t, e.home, err, e.errOut.String())
			if works := e.works(t, tok.AccessToken); works != (c.Err != "") {
				t.Errorf("the token works after the run: %v, want %v", works, c.Err != "")
			}
		})
	}
}
