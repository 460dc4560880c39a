package populate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"a session alone takes the defaults", []string{"--sso-session", "corp"}, Options{SSOSession: "corp", Template: DefaultTemplate, Rate: 20, AssumeRoleName: DefaultAssumeRoleName}, ""},
		{"every flag", []string{"--sso-session", "corp", "--template", "{{.RoleName}}@{{.AccountID}}", "--region", "eu-west-1", "--prune", "--dry-run", "--rate", "8",
			"--assume-role", "arn:aws:iam::{{.AccountID}}:role/Deploy", "--assume-role-from", "ReadOnly", "--assume-role-name", "{{.AccountID}}-deploy"},
			Options{SSOSession: "corp", Template: "{{.RoleName}}@{{.AccountID}}", Region: "eu-west-1", Prune: true, DryRun: true, Rate: 8,
				AssumeRole: "arn:aws:iam::{{.AccountID}}:role/Deploy", AssumeRoleFrom: "ReadOnly", AssumeRoleName: "{{.AccountID}}-deploy"}, ""},
		{"an --assume-role template that does not parse", []string{"--sso-session", "corp", "--assume-role", "{{.AccountID"}, Options{}, `--assume-role "{{.AccountID"`},
		{"--assume-role-from without --assume-role", []string{"--sso-session", "corp", "--assume-role-from", "ReadOnly"}, Options{}, "go with --assume-role"},
		{"no session: left to the config file", nil, Options{Template: DefaultTemplate, Rate: 20, AssumeRoleName: DefaultAssumeRoleName}, ""},
		{"a template that does not parse fails before any listing", []string{"--sso-session", "corp", "--template", "{{.RoleName"}, Options{}, `--template "{{.RoleName"`},
		{"a rate of zero is refused", []string{"--sso-session", "corp", "--rate", "0"}, Options{}, "--rate 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &fe) {
					t.Fatalf("error = %v, want a usage error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Factory = f
			if diff := cmp.Diff(tt.want, *got, cmp.Comparer(func(a, b *cmdutil.Factory) bool { return a == b })); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// testEnv is a temporary home whose config file names the emulator's
// session "corp", and a Factory whose environment points at the emulator.
type testEnv struct {
	f           *cmdutil.Factory
	out, errOut *bytes.Buffer
	home        string
	paths       config.Paths
	srv         *emulatortest.Server
	env         map[string]string
}

func newTestEnv(t testing.TB, srv *emulatortest.Server) *testEnv {
	t.Helper()
	c := cmdtest.NewEnv(t, srv)
	e := &testEnv{
		f: c.F, out: c.Out, errOut: c.ErrOut, home: c.Home, srv: srv, env: c.Vars,
		paths: config.Paths{Config: filepath.Join(c.Home, ".aws", "config"), Credentials: filepath.Join(c.Home, ".aws", "credentials")},
	}
	return e
}

func (e *testEnv) session() string {
	return "[sso-session corp]\nsso_start_url = " + e.srv.StartURL + "\nsso_region = " + e.srv.Region + "\n"
}

func (e *testEnv) write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (e *testEnv) read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signIn caches a token for session corp by device code, which the
// emulator approves at once (AutoApprove).
func (e *testEnv) signIn(t testing.TB) {
	t.Helper()
	sso := config.SSO{SessionName: "corp", StartURL: e.srv.StartURL, Region: e.srv.Region, Endpoints: config.Endpoints{OIDC: e.srv.URL, Portal: e.srv.URL}}
	_, err := login.NewSession(sso, func(o *login.Options) {
		o.Cache = tokencache.New(tokencache.DefaultDir(e.home))
		o.HTTPClient = e.f.HTTPClient
		o.UseDeviceCode = true
		o.Messages = io.Discard
	}).Login(context.Background())
	if err != nil {
		t.Fatalf("sign in to the emulator: %v", err)
	}
}

func (e *testEnv) run(opts Options) error {
	opts.Factory = e.f
	if opts.Template == "" {
		opts.Template = DefaultTemplate
	}
	if opts.Rate == 0 {
		opts.Rate = 1000
	}
	e.out.Reset()
	e.errOut.Reset()
	return run(context.Background(), &opts)
}

func autoApprove(o *emulator.Options) { o.AutoApprove = directory.DemoUser }

// demoProfiles is what populate writes for the demo user with the default
// template, in name order.
const demoProfiles = `
[profile demo-sandbox.AdministratorAccess]
sso_session = corp
sso_account_id = 123456789011
sso_role_name = AdministratorAccess
ssokit_populated_from = corp

[profile demo-sandbox.readOnly]
sso_session = corp
sso_account_id = 123456789011
sso_role_name = readOnly
ssokit_populated_from = corp

[profile development.PowerUserAccess]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = PowerUserAccess
ssokit_populated_from = corp

[profile development.readOnly]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = readOnly
ssokit_populated_from = corp

[profile production.readOnly]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = readOnly
ssokit_populated_from = corp
`

func TestRunWritesAProfilePerRole(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	userText := "# my settings\r\n[default]\r\nregion = eu-west-1 # kept as written\r\n\r\n"
	e.write(t, e.paths.Config, userText+strings.ReplaceAll(e.session(), "\n", "\r\n"))
	e.signIn(t)

	if err := e.run(Options{SSOSession: "corp"}); err != nil {
		t.Fatalf("populate: %v\nstderr: %s", err, e.errOut)
	}
	want := userText + strings.ReplaceAll(e.session()+demoProfiles, "\n", "\r\n")
	if diff := cmp.Diff(want, e.read(t, e.paths.Config)); diff != "" {
		t.Errorf("config file (-want +got):\n%s", diff)
	}
	if !strings.Contains(e.errOut.String(), "Wrote 5 profiles for 3 accounts and 5 roles") || !strings.Contains(e.errOut.String(), "5 new, 0 updated, 0 unchanged") {
		t.Errorf("summary on stderr:\n%s", e.errOut)
	}
	if e.out.Len() != 0 {
		t.Errorf("stdout is not empty:\n%s", e.out)
	}

	// The profiles resolve as SSO profiles of the session.
	cfg, err := config.Load(e.paths)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.ResolveSSO("development.PowerUserAccess", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionName != "corp" || got.AccountID != "111122223333" || got.RoleName != "PowerUserAccess" || got.StartURL != srv.StartURL {
		t.Errorf("resolved profile = %+v", got)
	}

	// A second run changes nothing.
	before := e.read(t, e.paths.Config)
	if err := e.run(Options{SSOSession: "corp"}); err != nil {
		t.Fatal(err)
	}
	if after := e.read(t, e.paths.Config); after != before {
		t.Errorf("a second run changed the file:\n%s", after)
	}
	if !strings.Contains(e.errOut.String(), "0 new, 0 updated, 5 unchanged") {
		t.Errorf("summary of the second run:\n%s", e.errOut)
	}
}

// Without --sso-session, the config's only session is used, and named on
// stderr; with several, or none, the error says what to do and nothing is
// written.
func TestRunWithoutSessionFlag(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	e.write(t, e.paths.Config, e.session())
	e.signIn(t)
	if err := e.run(Options{}); err != nil {
		t.Fatalf("populate: %v\nstderr: %s", err, e.errOut)
	}
	if want := `Using sso-session "corp", the only one in ` + e.paths.Config; !strings.Contains(e.errOut.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, e.errOut)
	}
	if diff := cmp.Diff(e.session()+demoProfiles, e.read(t, e.paths.Config)); diff != "" {
		t.Errorf("config file (-want +got):\n%s", diff)
	}

	for name, tt := range map[string]struct{ config, wantErr string }{
		"two sessions": {e.session() + "\n[sso-session other]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n", "has 2 sso-sessions (corp, other): choose one with --sso-session"},
		"no session":   {"[default]\nregion = eu-west-1\n", "has no [sso-session] section: add one with `ssokit configure sso`"},
	} {
		t.Run(name, func(t *testing.T) {
			e.write(t, e.paths.Config, tt.config)
			err := e.run(Options{})
			var fe *cmdutil.FlagError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want a usage error saying %q", err, tt.wantErr)
			}
			if got := e.read(t, e.paths.Config); got != tt.config {
				t.Errorf("the config file was changed:\n%s", got)
			}
		})
	}
}

func TestRunUpdatesAndPrunesOnlyItsOwnProfiles(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	mine := func(name, session, account, role string) string {
		return "\n[profile " + name + "]\nsso_session = " + session + "\nsso_account_id = " + account + "\nsso_role_name = " + role + "\nssokit_populated_from = " + session + "\n"
	}
	byHand := "\n[profile hand-written]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Gone\n"
	otherSession := mine("other.Gone", "other", "999999999999", "Gone")
	stale := mine("old-account.Gone", "corp", "999999999999", "Gone")
	// A profile of ours that the user gave an output format, whose account
	// id is now wrong: the id is corrected, the user's key kept.
	edited := "\n[profile production.readOnly]\nsso_session = corp\nsso_account_id = 000000000000\nsso_role_name = readOnly\nssokit_populated_from = corp\noutput = table\n"
	start := e.session() + byHand + otherSession + stale + edited
	e.write(t, e.paths.Config, start)
	e.signIn(t)

	t.Run("without --prune stale profiles stay and are reported", func(t *testing.T) {
		if err := e.run(Options{SSOSession: "corp", Region: "eu-central-1"}); err != nil {
			t.Fatal(err)
		}
		text := e.read(t, e.paths.Config)
		for _, s := range []string{byHand, otherSession, stale} {
			if !strings.Contains(text, s) {
				t.Errorf("the file lost\n%s\nit holds:\n%s", s, text)
			}
		}
		if !strings.Contains(text, "[profile production.readOnly]\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = readOnly\nssokit_populated_from = corp\noutput = table\nregion = eu-central-1\n") {
			t.Errorf("the edited profile was not updated in place:\n%s", text)
		}
		if !strings.Contains(e.errOut.String(), "4 new, 1 updated, 0 unchanged") || !strings.Contains(e.errOut.String(), "1 profile written earlier for this session matches no role you have now; to remove it, run: ssokit populate --sso-session corp --region eu-central-1 --prune\n") {
			t.Errorf("stderr:\n%s", e.errOut)
		}
	})
	t.Run("--prune removes the stale profile of this session only", func(t *testing.T) {
		if err := e.run(Options{SSOSession: "corp", Region: "eu-central-1", Prune: true}); err != nil {
			t.Fatal(err)
		}
		text := e.read(t, e.paths.Config)
		if strings.Contains(text, "old-account.Gone") {
			t.Errorf("the stale profile is still there:\n%s", text)
		}
		for _, s := range []string{byHand, otherSession} {
			if !strings.Contains(text, s) {
				t.Errorf("--prune removed\n%s\nthe file holds:\n%s", s, text)
			}
		}
		if !strings.Contains(e.errOut.String(), "0 new, 0 updated, 5 unchanged, 1 removed") {
			t.Errorf("stderr:\n%s", e.errOut)
		}
	})
}

func TestRunRefusesBadInputBeforeWriting(t *testing.T) {
	tests := []struct {
		name        string
		emuOpts     func(*emulator.Options)
		config      func(e *testEnv) string
		credentials string
		opts        Options
		env         map[string]string
		check       func(t *testing.T, err error)
	}{
		{
			name:   "a name taken by a hand-written profile",
			config: func(e *testEnv) string { return e.session() + "\n[profile development.readOnly]\nregion = us-west-2\n" },
			opts:   Options{SSOSession: "corp"},
			check: func(t *testing.T, err error) {
				var ce *ConflictError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "development.readOnly at ") || !strings.Contains(err.Error(), ":5 (written by hand)") {
					t.Errorf("error = %v, want a *ConflictError naming the profile and its line", err)
				}
			},
		},
		{
			name:        "a name taken in the credentials file",
			config:      func(e *testEnv) string { return e.session() },
			credentials: "[production.readOnly]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n",
			opts:        Options{SSOSession: "corp"},
			check: func(t *testing.T, err error) {
				var ce *ConflictError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "production.readOnly at ") || !strings.Contains(err.Error(), "credentials:1") {
					t.Errorf("error = %v, want a *ConflictError naming the credentials file", err)
				}
			},
		},
		{
			name:   "a template giving duplicate names",
			config: func(e *testEnv) string { return e.session() },
			opts:   Options{SSOSession: "corp", Template: "{{.RoleName}}"},
			check: func(t *testing.T, err error) {
				var ne *NameError
				if !errors.As(err, &ne) || !strings.Contains(err.Error(), `"readOnly" for role readOnly in account 123456789011 (demo-sandbox) and role readOnly in account 111122223333 (development) and role readOnly in account 444455556666 (production)`) {
					t.Errorf("error = %v, want a *NameError listing the three readOnly roles", err)
				}
			},
		},
		{
			name:   "a template giving unsafe names",
			config: func(e *testEnv) string { return e.session() },
			opts:   Options{SSOSession: "corp", Template: "{{.AccountName}} {{.RoleName}}"},
			check: func(t *testing.T, err error) {
				var ne *NameError
				if !errors.As(err, &ne) || len(ne.Unsafe) != 5 {
					t.Errorf("error = %v, want a *NameError with 5 unsafe names", err)
				}
			},
		},
		{
			name: "a session with no accounts",
			emuOpts: func(o *emulator.Options) {
				d := directory.Demo()
				d.Users = append(d.Users, directory.User{Name: "nobody", Password: directory.RandomPassword(16)})
				o.Directory, o.AutoApprove = d, "nobody"
			},
			config: func(e *testEnv) string { return e.session() },
			opts:   Options{SSOSession: "corp"},
			check: func(t *testing.T, err error) {
				var na *cmdutil.NoAccountsError
				if !errors.As(err, &na) {
					t.Errorf("error = %v, want *NoAccountsError", err)
				}
			},
		},
		{
			name:   "an unreachable portal",
			config: func(e *testEnv) string { return e.session() },
			opts:   Options{SSOSession: "corp"},
			env:    map[string]string{"AWS_ENDPOINT_URL_SSO": closedURL(t)},
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "portal http://127.0.0.1:") {
					t.Errorf("error = %v, want one naming the portal URL", err)
				}
			},
		},
		{
			name:   "a session that is not in the config file",
			config: func(e *testEnv) string { return e.session() },
			opts:   Options{SSOSession: "corp2"},
			check: func(t *testing.T, err error) {
				var nf *config.SSOSessionNotFoundError
				if !errors.As(err, &nf) {
					t.Errorf("error = %v, want *config.SSOSessionNotFoundError", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emuOpts := tt.emuOpts
			if emuOpts == nil {
				emuOpts = autoApprove
			}
			srv := emulatortest.NewServer(t, emuOpts)
			e := newTestEnv(t, srv)
			e.write(t, e.paths.Config, tt.config(e))
			if tt.credentials != "" {
				e.write(t, e.paths.Credentials, tt.credentials)
			}
			e.signIn(t)
			for k, v := range tt.env {
				e.env[k] = v
			}
			before := e.read(t, e.paths.Config)
			opts := tt.opts
			opts.ListerOptions = []func(*listing.Options){func(o *listing.Options) { o.MaxAttempts = 2 }}
			err := e.run(opts)
			tt.check(t, err)
			if after := e.read(t, e.paths.Config); after != before {
				t.Errorf("the config file changed:\n%s", after)
			}
			if e.out.Len() != 0 {
				t.Errorf("stdout is not empty:\n%s", e.out)
			}
		})
	}
}

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestRunDryRunPrintsTheDiffAndWritesNothing(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	stale := "\n[profile old.Gone]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Gone\nssokit_populated_from = corp\n"
	e.write(t, e.paths.Config, e.session()+stale)
	e.signIn(t)

	if err := e.run(Options{SSOSession: "corp", DryRun: true, Prune: true}); err != nil {
		t.Fatal(err)
	}
	if got := e.read(t, e.paths.Config); got != e.session()+stale {
		t.Errorf("--dry-run wrote the file:\n%s", got)
	}
	// The diff turns the file into what a real run writes.
	diff := e.out.String()
	if err := e.run(Options{SSOSession: "corp", Prune: true}); err != nil {
		t.Fatal(err)
	}
	want := cmdutil.UnifiedDiff(e.paths.Config, e.paths.Config+" (after populate)", []byte(e.session()+stale), []byte(e.read(t, e.paths.Config)))
	if diff != want {
		t.Errorf("dry-run diff:\n%s\nwant:\n%s", diff, want)
	}
	for _, l := range []string{"-[profile old.Gone]", "+[profile production.readOnly]", "+ssokit_populated_from = corp"} {
		if !strings.Contains(diff, "\n"+l+"\n") {
			t.Errorf("the diff lacks line %q:\n%s", l, diff)
		}
	}
}

// Only when asked, populate writes assume-role profiles on the profiles it
// writes, and they work: the demo's Admin role in 210987654321 trusts the
// readOnly role of 123456789011.
func TestRunWritesAssumeRoleProfilesWhenAsked(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	e.write(t, e.paths.Config, e.session())
	e.signIn(t)

	opts := Options{SSOSession: "corp", AssumeRole: directory.DemoAssumableRole, AssumeRoleFrom: "readOnly", AssumeRoleName: DefaultAssumeRoleName}
	if err := e.run(opts); err != nil {
		t.Fatalf("populate: %v\nstderr: %s", err, e.errOut)
	}
	text := e.read(t, e.paths.Config)
	// Every profile in name order: each assume-role one after its source.
	want := e.session() + demoProfiles
	for _, src := range []string{"demo-sandbox.readOnly", "development.readOnly", "production.readOnly"} {
		i := strings.Index(want, "[profile "+src+"]")
		end := i + strings.Index(want[i:], "ssokit_populated_from = corp\n") + len("ssokit_populated_from = corp\n")
		want = want[:end] + "\n[profile " + src + ".Admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = " + src + "\nssokit_populated_from = corp\n" + want[end:]
	}
	if diff := cmp.Diff(want, text); diff != "" {
		t.Errorf("config file (-want +got):\n%s", diff)
	}
	if !strings.Contains(e.errOut.String(), "Wrote 8 profiles (3 assuming a role) for 3 accounts and 5 roles") {
		t.Errorf("summary:\n%s", e.errOut)
	}
	c, err := e.f.Credentials("demo-sandbox.readOnly.Admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Provider.Retrieve(context.Background()); err != nil {
		t.Errorf("the written assume-role profile does not work: %v", err)
	}

	// A run without --assume-role leaves them be, and --prune removes them.
	if err := e.run(Options{SSOSession: "corp"}); err != nil {
		t.Fatal(err)
	}
	if e.read(t, e.paths.Config) != text || !strings.Contains(e.errOut.String(), "3 profiles written earlier for this session match no role you have now; to remove them, run: ssokit populate --sso-session corp --prune\n") {
		t.Errorf("a run without --assume-role changed the file or said:\n%s", e.errOut)
	}
	if err := e.run(Options{SSOSession: "corp", Prune: true}); err != nil {
		t.Fatal(err)
	}
	if got := e.read(t, e.paths.Config); got != e.session()+demoProfiles {
		t.Errorf("after --prune:\n%s", got)
	}
}

func TestAssumedRoles(t *testing.T) {
	rs := []Role{
		{AccountID: "111111111111", AccountName: "dev", RoleName: "ReadOnly", Session: "corp"},
		{AccountID: "111111111111", AccountName: "dev", RoleName: "Admin", Session: "corp"},
		{AccountID: "222222222222", AccountName: "prod", RoleName: "ReadOnly", Session: "corp"},
	}
	names := []string{"dev.ReadOnly", "dev.Admin", "prod.ReadOnly"}
	tests := []struct {
		name              string
		arn, from, naming string
		want              []string
		wantErr           []string
	}{
		{name: "one per account from the chosen role", arn: "arn:aws:iam::{{.AccountID}}:role/ci/Deploy", from: "ReadOnly", naming: DefaultAssumeRoleName,
			want: []string{"dev.ReadOnly.Deploy", "prod.ReadOnly.Deploy"}},
		{name: "from every profile", arn: "arn:aws:iam::{{.AccountID}}:role/Deploy", naming: "{{.Profile}}-{{.AssumedRoleName}}",
			want: []string{"dev.ReadOnly-Deploy", "dev.Admin-Deploy", "prod.ReadOnly-Deploy"}},
		{name: "a role nobody has", arn: "arn:aws:iam::1:role/x", from: "Nope", naming: DefaultAssumeRoleName, wantErr: []string{"--assume-role-from Nope: no account gives you a role of that name"}},
		{name: "not a role ARN", arn: "{{.AccountName}}", from: "ReadOnly", naming: DefaultAssumeRoleName,
			wantErr: []string{`the role template "{{.AccountName}}" gives what is not a role ARN`, `"dev" for the role assumed with profile dev.ReadOnly`}},
		{name: "a name an SSO profile has", arn: "arn:aws:iam::{{.AccountID}}:role/Admin", from: "ReadOnly", naming: "{{safe .AccountName}}.{{.AssumedRoleName}}",
			wantErr: []string{`"dev.Admin" for role Admin in account 111111111111 (dev) and the role assumed with profile dev.ReadOnly`}},
		{name: "names the assumed roles share", arn: "arn:aws:iam::{{.AccountID}}:role/Admin", naming: "{{.AccountID}}",
			wantErr: []string{`"111111111111" for the role assumed with profile dev.ReadOnly and the role assumed with profile dev.Admin`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := assumedRoles(tt.arn, tt.from, tt.naming, rs, names)
			if tt.wantErr != nil {
				for _, w := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("err = %v, want it to say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}
