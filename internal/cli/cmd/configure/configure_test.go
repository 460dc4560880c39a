package configure

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/cli/prompter"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	"github.com/ssokit/ssokit/internal/testutil/memkeyring"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"no flags: everything is asked", nil, Options{}, ""},
		{"every answer as a flag", []string{
			"--profile", "p", "--sso-session", "corp", "--start-url", "https://x.awsapps.com/start", "--sso-region", "eu-west-1",
			"--scopes", "sso:account:access,codewhisperer:completions", "--account-id", "111122223333", "--role-name", "ReadOnly",
			"--region", "us-east-1", "--output", "yaml", "--credentials-file", "--use-device-code", "--no-browser",
		}, Options{
			Profile: "p", SSOSession: "corp", StartURL: "https://x.awsapps.com/start", SSORegion: "eu-west-1",
			Scopes: "sso:account:access,codewhisperer:completions", AccountID: "111122223333", RoleName: "ReadOnly",
			Region: "us-east-1", Output: "yaml", CredentialsFile: true, UseDeviceCode: true, NoBrowser: true,
		}, ""},
		{"-p names the profile", []string{"-p", "corp-dev"}, Options{Profile: "corp-dev"}, ""},
		{"--legacy", []string{"--legacy"}, Options{Legacy: true}, ""},
		{"--legacy with a session is refused", []string{"--legacy", "--sso-session", "corp"}, Options{}, "--legacy writes no sso-session"},
		{"--legacy with scopes is refused", []string{"--legacy", "--scopes", "a"}, Options{}, "--scopes needs an sso-session"},
		{"a start URL that is not a URL", []string{"--start-url", "my-corp"}, Options{}, `--start-url "my-corp": want the access portal URL`},
		{"an SSO region that is not a region", []string{"--sso-region", "Ireland"}, Options{}, `--sso-region "Ireland": not an AWS region`},
		{"an account id that is not 12 digits", []string{"--account-id", "1234"}, Options{}, `--account-id "1234": an account id is 12 digits`},
		{"an unknown output format", []string{"--output", "xml"}, Options{}, `--output "xml": want one of json, yaml, yaml-stream, text, table`},
		{"a profile name that would break the file", []string{"--profile", "a]b"}, Options{}, `--profile "a]b": ']' is not allowed`},
		{"scopes separated by blanks", []string{"--scopes", "a b"}, Options{}, `--scopes "a b": separate scopes with commas`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, NewCmd, append([]string{"sso"}, tt.args...)...)
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

// script is a Prompter that plays back answers and fails the test when a
// question comes that it does not expect.
type script struct {
	t     *testing.T
	steps []step
	// refused are the reasons given for refused answers, in order.
	refused []string
}

// step is one expected question: its kind, a piece of its prompt, and the
// answer (for Select, a piece of the option to choose; for Confirm, "y" or
// "n"). def, when set, is the default the question must offer.
type step struct {
	kind, prompt, answer string
	def                  string
}

var _ prompter.Prompter = (*script)(nil)

func (s *script) next(kind, prompt string) step {
	s.t.Helper()
	if len(s.steps) == 0 {
		s.t.Fatalf("unexpected %s %q", kind, prompt)
	}
	st := s.steps[0]
	s.steps = s.steps[1:]
	if st.kind != kind || !strings.Contains(prompt, st.prompt) {
		s.t.Fatalf("got %s %q, want %s containing %q", kind, prompt, st.kind, st.prompt)
	}
	return st
}

// Input takes the next step's answer; one check refuses takes the step
// after it, for the same question, as a person who reads the reason does.
func (s *script) Input(prompt, def string, check func(string) error) (string, error) {
	for {
		st := s.next("input", prompt)
		if st.def != "" && st.def != def {
			s.t.Errorf("%q offers default %q, want %q", prompt, def, st.def)
		}
		answer := st.answer
		if answer == "" {
			answer = def
		}
		if check != nil {
			if err := check(answer); err != nil {
				s.refused = append(s.refused, err.Error())
				continue
			}
		}
		return answer, nil
	}
}

func (s *script) Select(prompt string, options []string, def int) (int, error) {
	st := s.next("select", prompt)
	if st.def != "" && options[def] != st.def {
		s.t.Errorf("%q preselects %q, want %q", prompt, options[def], st.def)
	}
	for i, o := range options {
		if strings.Contains(o, st.answer) {
			return i, nil
		}
	}
	s.t.Fatalf("%q has no option containing %q: %q", prompt, st.answer, options)
	return 0, nil
}

func (s *script) Confirm(prompt string, def bool) (bool, error) {
	st := s.next("confirm", prompt)
	return st.answer == "y", nil
}

// testEnv is a temporary home and a Factory whose environment points at
// the emulator.
type testEnv struct {
	f           *cmdutil.Factory
	out, errOut *bytes.Buffer
	home        string
	paths       config.Paths
	srv         *emulatortest.Server
	env         map[string]string
}

func newTestEnv(t *testing.T, srv *emulatortest.Server) *testEnv {
	t.Helper()
	c := cmdtest.NewEnv(t, srv)
	return &testEnv{
		f: c.F, out: c.Out, errOut: c.ErrOut, home: c.Home, srv: srv, env: c.Vars,
		paths: config.Paths{Config: filepath.Join(c.Home, ".aws", "config"), Credentials: filepath.Join(c.Home, ".aws", "credentials")},
	}
}

func (e *testEnv) write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// read returns a file's text, "" when it does not exist.
func (e *testEnv) read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

func autoApprove(o *emulator.Options) { o.AutoApprove = directory.DemoUser }

// flags answers everything for the demo user's PowerUserAccess role.
func flags(srv *emulatortest.Server) Options {
	return Options{
		SSOSession: "corp", StartURL: srv.StartURL, SSORegion: srv.Region,
		AccountID: "111122223333", RoleName: "PowerUserAccess", Region: "eu-west-1", Output: "json",
		Profile: "dev", UseDeviceCode: true,
	}
}

func TestRunWithFlagsWithoutATerminal(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	session := "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_registration_scopes = sso:account:access\n"
	tests := []struct {
		name            string
		config, creds   string
		opts            func(*Options)
		wantConfig      string
		wantCredentials string
		wantStderr      string
	}{
		{
			name:       "a new session and profile are appended, keeping the file",
			config:     "# mine\n[default]\nregion = us-east-1 # as written\n",
			wantConfig: "# mine\n[default]\nregion = us-east-1 # as written\n\n" + session + "\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n",
		},
		{
			name:       "an existing session is reused as it is, and an existing profile updated in place",
			config:     "[profile dev]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\ncli_pager =\n\n[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
			opts:       func(o *Options) { o.StartURL, o.SSORegion = "", "" },
			wantConfig: "[profile dev]\ncli_pager =\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n\n[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
		},
		{
			name:       "without --sso-session, --start-url and --sso-region the only session is used",
			config:     session,
			opts:       func(o *Options) { o.SSOSession, o.StartURL, o.SSORegion = "", "", "" },
			wantConfig: session + "\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n",
			wantStderr: `Using sso-session "corp", the only one in `,
		},
		{
			name:       "--legacy puts the SSO keys in the profile",
			opts:       func(o *Options) { o.Legacy, o.SSOSession = true, "" },
			wantConfig: "[profile dev]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n",
		},
		{
			name:            "--credentials-file puts the profile in the credentials file and the session in the config file",
			creds:           "[static]\naws_access_key_id = AKIDEXAMPLE\n",
			opts:            func(o *Options) { o.CredentialsFile = true },
			wantConfig:      session,
			wantCredentials: "[static]\naws_access_key_id = AKIDEXAMPLE\n\n[dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n",
		},
		{
			name:       "custom scopes are written",
			opts:       func(o *Options) { o.Scopes = "sso:account:access, codewhisperer:completions" },
			wantConfig: strings.Replace(session, "= sso:account:access", "= sso:account:access,codewhisperer:completions", 1) + "\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n",
		},
		{
			name:       "without --region and --output neither is written",
			opts:       func(o *Options) { o.Region, o.Output, o.Profile = "", "", "" },
			wantConfig: session + "\n[profile PowerUserAccess-111122223333]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, srv)
			if tt.config != "" {
				e.write(t, e.paths.Config, tt.config)
			}
			if tt.creds != "" {
				e.write(t, e.paths.Credentials, tt.creds)
			}
			opts := flags(srv)
			if tt.opts != nil {
				tt.opts(&opts)
			}
			opts.Factory = e.f
			if err := run(context.Background(), &opts); err != nil {
				t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
			}
			if diff := cmp.Diff(tt.wantConfig, e.read(t, e.paths.Config)); diff != "" {
				t.Errorf("config file (-want +got):\n%s", diff)
			}
			if tt.wantCredentials != "" {
				if diff := cmp.Diff(tt.wantCredentials, e.read(t, e.paths.Credentials)); diff != "" {
					t.Errorf("credentials file (-want +got):\n%s", diff)
				}
			}
			if (tt.wantStderr != "") != strings.Contains(e.errOut.String(), "the only one in ") || !strings.Contains(e.errOut.String(), tt.wantStderr) {
				t.Errorf("stderr names the only sso-session: %v, want %v:\n%s", strings.Contains(e.errOut.String(), "the only one in "), tt.wantStderr != "", e.errOut)
			}
			if e.out.Len() != 0 {
				t.Errorf("stdout is not empty: %s", e.out)
			}
			// What was written resolves as an SSO profile with a token.
			cfg, err := config.Load(e.paths)
			if err != nil {
				t.Fatal(err)
			}
			name := opts.Profile
			if name == "" {
				name = "PowerUserAccess-111122223333"
			}
			sso, err := cfg.ResolveSSO(name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sso.AccountID != "111122223333" || sso.RoleName != "PowerUserAccess" || sso.StartURL != srv.StartURL {
				t.Errorf("profile resolves to %+v", sso)
			}
		})
	}
}

func TestRunSignsInAgainWhenTheCachedTokenIsForAnotherStartURL(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	// A token cached for a session "corp" of another organisation.
	cache := tokencache.New(tokencache.DefaultDir(e.home))
	stale := &tokencache.Token{StartURL: "https://other.awsapps.com/start", Region: "eu-west-1", AccessToken: "from-another-org", ExpiresAt: time.Now().Add(time.Hour)}
	if err := cache.SaveToken("corp", stale); err != nil {
		t.Fatal(err)
	}
	opts := flags(srv)
	opts.Factory = e.f
	if err := run(context.Background(), &opts); err != nil {
		t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
	}
	tok, err := cache.LoadToken("corp")
	if err != nil {
		t.Fatal(err)
	}
	if tok.StartURL != srv.StartURL || tok.AccessToken == stale.AccessToken {
		t.Errorf("cached token is for %s; want a new one for %s", tok.StartURL, srv.StartURL)
	}
	if n := srv.Count("CreateToken"); n == 0 {
		t.Errorf("no sign-in reached the emulator")
	}
}

// Where no browser can open, the wizard signs in with a code, as `ssokit
// login` does, and says why; it starts no browser helper.
func TestRunWithoutABrowserSignsInWithACode(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	e := newTestEnv(t, srv)
	e.env["SSH_TTY"] = "/dev/pts/2"
	stub := &browserstub.Stub{}
	e.f.Browser = stub
	opts := flags(srv)
	opts.UseDeviceCode = false
	opts.Factory = e.f
	if err := run(context.Background(), &opts); err != nil {
		t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
	}
	if want := "No browser can be opened here (this is an SSH session): signing in with a code instead.\n"; !strings.Contains(e.errOut.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, e.errOut)
	}
	if urls := stub.URLs(); len(urls) != 0 {
		t.Errorf("a browser was opened over SSH: %q", urls)
	}
	if n := srv.Count("StartDeviceAuthorization"); n != 1 {
		t.Errorf("%d device authorizations, want 1", n)
	}
}

func TestRunOnlyChoiceIsTakenWithoutAsking(t *testing.T) {
	// bob reaches one account with one role.
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "bob" })
	e := newTestEnv(t, srv)
	opts := flags(srv)
	opts.AccountID, opts.RoleName, opts.Profile = "", "", ""
	opts.Factory = e.f
	if err := run(context.Background(), &opts); err != nil {
		t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
	}
	if !strings.Contains(e.read(t, e.paths.Config), "[profile SecurityAudit-777788889999]\nsso_session = corp\nsso_account_id = 777788889999\nsso_role_name = SecurityAudit\n") {
		t.Errorf("config file:\n%s", e.read(t, e.paths.Config))
	}
	for _, s := range []string{"Using the only account available to you: audit (777788889999)", "Using the only role available to you in 777788889999: SecurityAudit"} {
		if !strings.Contains(e.errOut.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, e.errOut)
		}
	}
}

func TestRunRefusesWithoutWriting(t *testing.T) {
	tests := []struct {
		name    string
		emuOpts func(*emulator.Options)
		opts    func(*Options)
		env     func(t *testing.T) map[string]string
		check   func(t *testing.T, err error)
	}{
		{"a missing session name names its flag", nil, func(o *Options) { o.SSOSession = "" }, nil, flagErr("--sso-session is required when not running in a terminal")},
		{"a missing start URL names its flag", nil, func(o *Options) { o.StartURL = "" }, nil, flagErr("--start-url is required when not running in a terminal")},
		{"a missing SSO region names its flag", nil, func(o *Options) { o.SSORegion = "" }, nil, flagErr("--sso-region is required when not running in a terminal")},
		{"every missing answer is named in one error", nil, func(o *Options) {
			o.SSOSession, o.StartURL, o.SSORegion, o.AccountID, o.RoleName = "", "", "", "", ""
		}, nil, flagErr("--sso-session, --start-url and --sso-region are required when not running in a terminal (and --account-id and --role-name unless you can use only one account and role)")},
		{"a session in the config needs no start URL or region", nil, func(o *Options) {
			o.StartURL, o.SSORegion = "", ""
			o.AccountID = ""
		}, nil, flagErr("--account-id is required when not running in a terminal (3 accounts are available")},
		{"a missing account among several names its flag", nil, func(o *Options) { o.AccountID = "" }, nil, flagErr("--account-id is required when not running in a terminal (3 accounts are available")},
		{"a missing role among several names its flag", nil, func(o *Options) { o.RoleName = "" }, nil, flagErr("--role-name is required when not running in a terminal (roles in 111122223333: PowerUserAccess, readOnly)")},
		{"a start URL contradicting the existing session", nil, func(o *Options) {
			o.StartURL = "https://other.awsapps.com/start"
		}, nil, flagErr(`--start-url https://other.awsapps.com/start differs from https://d-0123456789.awsapps.com/start in sso-session "corp" at `)},
		{"an account the user cannot use", nil, func(o *Options) { o.AccountID = "999999999999" }, nil, flagErr("--account-id 999999999999 is not one of the 3 accounts you can use")},
		{"a role the user does not have", nil, func(o *Options) { o.RoleName = "AdministratorAccess" }, nil, flagErr("--role-name AdministratorAccess is not one of your roles in account 111122223333: PowerUserAccess, readOnly")},
		{"an unreachable start URL", nil, nil, func(t *testing.T) map[string]string {
			return map[string]string{"AWS_ENDPOINT_URL_SSO_OIDC": closedURL(t)}
		}, func(t *testing.T, err error) {
			if err == nil || !strings.HasPrefix(err.Error(), "sign in to https://") {
				t.Errorf("error = %v, want one naming the start URL", err)
			}
		}},
		{"a session with no accounts", func(o *emulator.Options) {
			d := directory.Demo()
			d.Users = append(d.Users, directory.User{Name: "nobody", Password: directory.RandomPassword(16)})
			o.Directory, o.AutoApprove = d, "nobody"
		}, nil, nil, func(t *testing.T, err error) {
			var na *cmdutil.NoAccountsError
			if !errors.As(err, &na) {
				t.Errorf("error = %v, want *NoAccountsError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emuOpts := tt.emuOpts
			if emuOpts == nil {
				emuOpts = autoApprove
			}
			srv := emulatortest.NewServer(t, emuOpts)
			e := newTestEnv(t, srv)
			if tt.env != nil {
				for k, v := range tt.env(t) {
					e.env[k] = v
				}
			}
			opts := flags(srv)
			if tt.opts != nil {
				tt.opts(&opts)
			}
			opts.Factory = e.f
			before := ""
			if strings.Contains(tt.name, "existing session") || strings.Contains(tt.name, "session in the config") {
				before = "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n"
				e.write(t, e.paths.Config, before)
			}
			err := run(context.Background(), &opts)
			tt.check(t, err)
			if got := e.read(t, e.paths.Config); got != before {
				t.Errorf("the config file was changed:\n%s", got)
			}
		})
	}
}

func flagErr(want string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
			t.Errorf("error = %v, want a usage error containing %q", err, want)
		}
	}
}

func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestRunWizard(t *testing.T) {
	srv := emulatortest.NewServer(t)
	pw := srv.Password(t, directory.DemoUser)

	tests := []struct {
		name        string
		config      string
		opts        Options
		steps       []step
		wantConfig  string
		wantRefused []string
		wantStderr  []string
	}{
		{
			name: "every answer asked, signing in through the browser (PKCE)",
			steps: []step{
				{kind: "input", prompt: "SSO session name", answer: "corp"},
				{kind: "input", prompt: "SSO start URL", answer: "not a url"},
				{kind: "input", prompt: "SSO start URL", answer: srv.StartURL},
				{kind: "input", prompt: "SSO region", answer: srv.Region},
				{kind: "input", prompt: "SSO registration scopes", def: DefaultScopes},
				{kind: "select", prompt: "Where to keep the refresh token and client secret", answer: "keyring:", def: "file: in ~/.aws/sso/cache, as the AWS CLI keeps them"},
				{kind: "select", prompt: "Choose an account (3; type to filter)", answer: "development (111122223333, dev@example.com)", def: "demo-sandbox (123456789011, sandbox@example.com)"},
				{kind: "select", prompt: "Choose a role in development (2; type to filter)", answer: "PowerUserAccess"},
				{kind: "input", prompt: "Default client region", def: srv.Region, answer: "eu-west-1"},
				{kind: "select", prompt: "Default output format", answer: "text", def: "json"},
				{kind: "input", prompt: "Profile name", def: "PowerUserAccess-111122223333"},
			},
			wantConfig: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_registration_scopes = sso:account:access\nssokit_token_storage = keyring\n\n" +
				"[profile PowerUserAccess-111122223333]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = text\n",
			wantRefused: []string{"want the access portal URL, e.g. https://my-corp.awsapps.com/start"},
			wantStderr:  []string{"Account: development (111122223333)\n", "Role: PowerUserAccess\n"},
		},
		{
			name:   "a flag skips its question, an existing session skips its settings, and replacing a profile is confirmed",
			config: "[profile taken]\nregion = us-west-2\n\n[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
			opts:   Options{Output: "yaml"},
			steps: []step{
				{kind: "input", prompt: "SSO session name", answer: "corp"},
				{kind: "select", prompt: "Choose an account", answer: "production"},
				{kind: "input", prompt: "Default client region", answer: "us-west-2"},
				{kind: "input", prompt: "Profile name", answer: "taken"},
				{kind: "confirm", prompt: `Profile "taken" exists`, answer: "n"},
				{kind: "input", prompt: "Profile name", answer: "taken"},
				{kind: "confirm", prompt: `Profile "taken" exists`, answer: "y"},
			},
			wantConfig: "[profile taken]\nregion = us-west-2\nsso_session = corp\nsso_account_id = 444455556666\nsso_role_name = readOnly\noutput = yaml\n\n[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
			wantStderr: []string{"Account: production (444455556666)\n", "Using the only role available to you in 444455556666: readOnly.\n"},
		},
		{
			name: "every other answer from flags: scopes, region and output are not asked",
			opts: Options{SSOSession: "corp", StartURL: srv.StartURL, SSORegion: srv.Region, AccountID: "111122223333", RoleName: "PowerUserAccess", Profile: "quiet"},
			wantConfig: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_registration_scopes = sso:account:access\n\n" +
				"[profile quiet]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\n",
		},
		{
			name:   "with an existing session and every other answer from flags, nothing is asked",
			config: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
			opts:   Options{SSOSession: "corp", AccountID: "111122223333", RoleName: "PowerUserAccess", Profile: "quiet", Region: "eu-west-1"},
			wantConfig: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n\n" +
				"[profile quiet]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\n",
		},
		{
			name:   "--token-storage moves an existing session to the keyring, asking nothing",
			config: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n",
			opts:   Options{SSOSession: "corp", AccountID: "111122223333", RoleName: "PowerUserAccess", Profile: "quiet", Region: "eu-west-1", TokenStorage: "keyring"},
			wantConfig: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nssokit_token_storage = keyring\n\n" +
				"[profile quiet]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\n",
			wantStderr: []string{`sso-session "corp" now keeps its refresh token and client secret in the OS keyring.`},
		},
		{
			name: "one question asked means the defaults are offered too",
			opts: Options{SSOSession: "corp", StartURL: srv.StartURL, SSORegion: srv.Region, AccountID: "111122223333", Profile: "asked"},
			steps: []step{
				{kind: "input", prompt: "SSO registration scopes", def: DefaultScopes},
				{kind: "select", prompt: "Where to keep the refresh token and client secret", answer: "file:", def: "file: in ~/.aws/sso/cache, as the AWS CLI keeps them"},
				{kind: "select", prompt: "Choose a role in development", answer: "readOnly"},
				{kind: "input", prompt: "Default client region", def: srv.Region},
				{kind: "select", prompt: "Default output format", def: "json", answer: "json"},
			},
			wantConfig: "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_registration_scopes = sso:account:access\n\n" +
				"[profile asked]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = readOnly\nregion = " + srv.Region + "\noutput = json\n",
			wantStderr: []string{"Role: readOnly\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, srv)
			if tt.config != "" {
				e.write(t, e.paths.Config, tt.config)
			}
			e.f.IOStreams.SetTTY(true)
			e.env["DISPLAY"] = ":0" // a desktop, where a browser can open
			s := &script{t: t, steps: tt.steps}
			e.f.Prompter = s
			kr := &memkeyring.Keyring{}
			e.f.Keyring = kr
			stub := &browserstub.Stub{Follow: srv.Browser(t, directory.DemoUser, pw).Follow}
			e.f.Browser = stub
			opts := tt.opts
			opts.Factory = e.f
			if err := run(context.Background(), &opts); err != nil {
				t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
			}
			if len(s.steps) > 0 {
				t.Errorf("questions not asked: %+v", s.steps)
			}
			if diff := cmp.Diff(tt.wantRefused, s.refused); diff != "" {
				t.Errorf("reasons for refused answers (-want +got):\n%s", diff)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(e.errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, e.errOut)
				}
			}
			if diff := cmp.Diff(tt.wantConfig, e.read(t, e.paths.Config)); diff != "" {
				t.Errorf("config file (-want +got):\n%s", diff)
			}
			inKeyring := strings.Contains(tt.wantConfig, "ssokit_token_storage = keyring")
			if tok, err := tokencache.New(tokencache.DefaultDir(e.home)).LoadToken("corp"); err != nil || tok.HasSecrets() == inKeyring || (kr.Len() == 2) != inKeyring {
				t.Errorf("keyring storage %v: token file %+v (%v), keyring entries %d", inKeyring, tok, err, kr.Len())
			}
			if urls := stub.URLs(); tt.config == "" && (len(urls) != 1 || !strings.Contains(urls[0], "/authorize?")) {
				t.Errorf("browser opened %q, want one /authorize URL", urls)
			}
		})
	}
}

// A refused answer says in words what is wrong, never quoting an empty
// answer back ("": empty).
func TestChecksSayWhatIsWrongInWords(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		value string
		want  string
	}{
		{"no session name", checkSessionName, "", "enter a name for the SSO session, e.g. my-sso"},
		{"no profile name", checkProfileName, "", "enter a name for the profile"},
		{"no start URL", checkStartURL, "", "enter your AWS access portal URL, e.g. https://my-corp.awsapps.com/start"},
		{"no region", checkRegion, "", "enter a region, e.g. us-east-1"},
		{"no scopes", checkScopes, " , ", "enter at least one scope, e.g. sso:account:access"},
		{"a region that is a city", checkRegion, "Frankfurt", "not an AWS region, e.g. us-east-1"},
		{"a name that breaks a header", checkSessionName, "a]b", "']' is not allowed"},
		{"a start URL for a session name", checkSessionName, "https://my-corp.awsapps.com/start", "that is a URL: the SSO session name is a short name you choose, e.g. my-sso (the start URL comes next)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(tt.value)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckStartURLAndRegion(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://d-1234567890.awsapps.com/start": true,
		"https://sso.example.com/start":          true,
		"http://127.0.0.1:8080/start":            true,
		"http://localhost:8080/start":            true,
		"http://[::1]:8080/start":                true,
		"http://d-1234567890.awsapps.com/start":  false,
		"ftp://example.com":                      false,
		"d-1234567890.awsapps.com/start":         false,
	} {
		if err := checkStartURL(url); (err == nil) != ok {
			t.Errorf("checkStartURL(%q) = %v, want ok %v", url, err, ok)
		}
	}
	for region, ok := range map[string]bool{"eusc-de-east-1": true, "cn-north-1": true, "us-gov-west-1": true, "us-east-1": true, "moon-1": false, "us-east": false} {
		if err := checkRegion(region); (err == nil) != ok {
			t.Errorf("checkRegion(%q) = %v, want ok %v", region, err, ok)
		}
	}
}
