package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
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
		{"no flags list the default profile's session as a table", nil, Options{Output: "table", Rate: 20}, ""},
		{"a session, json and a lower rate", []string{"--sso-session", "corp", "-o", "json", "--rate", "5"}, Options{SSOSession: "corp", Output: "json", Rate: 5}, ""},
		{"a profile and csv", []string{"--profile", "dev", "--output", "csv"}, Options{Profile: "dev", Output: "csv", Rate: 20}, ""},
		{"short flags", []string{"-p", "dev", "-o", "csv"}, Options{Profile: "dev", Output: "csv", Rate: 20}, ""},
		{"a profile and a session together are refused", []string{"--profile", "dev", "--sso-session", "corp"}, Options{}, "cannot be used together"},
		{"an unknown output format is refused", []string{"--output", "yaml"}, Options{}, `--output "yaml": use one of table, json, csv`},
		{"a rate of zero is refused", []string{"--rate", "0"}, Options{}, "--rate 0"},
		{"arguments are refused", []string{"extra"}, Options{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				var fe *cmdutil.FlagError
				if strings.HasPrefix(tt.wantErr, "--") && !errors.As(err, &fe) {
					t.Errorf("error %v is not a usage error", err)
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

// testEnv is a temporary home with a config file naming the emulator's
// session "corp", and a Factory whose environment points at the emulator.
type testEnv struct {
	f           *cmdutil.Factory
	out, errOut *bytes.Buffer
	home        string
	srv         *emulatortest.Server
	env         map[string]string
}

func newTestEnv(t *testing.T, srv *emulatortest.Server, configText string) *testEnv {
	t.Helper()
	c := cmdtest.NewEnv(t, srv)
	if err := os.MkdirAll(filepath.Join(c.Home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Home, ".aws", "config"), []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testEnv{f: c.F, out: c.Out, errOut: c.ErrOut, home: c.Home, srv: srv, env: c.Vars}
}

func sessionConfig(srv *emulatortest.Server) string {
	return "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n\n" +
		"[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = readOnly\n"
}

// signIn signs in to session corp by device code, which the emulator
// approves at once (AutoApprove), and caches the token in the home.
func (e *testEnv) signIn(t *testing.T) {
	t.Helper()
	sso := config.SSO{SessionName: "corp", StartURL: e.srv.StartURL, Region: e.srv.Region, Endpoints: config.Endpoints{OIDC: e.srv.URL, Portal: e.srv.URL}, Scopes: []string{"sso:account:access"}}
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

func autoApprove(o *emulator.Options) { o.AutoApprove = directory.DemoUser }

func TestRunWritesEveryAccountAndRole(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	// What the demo user may use, by account name.
	var want []accountJSON
	for _, a := range srv.Directory.Assignments(directory.DemoUser) {
		want = append(want, accountJSON{AccountID: a.AccountID, AccountName: a.AccountName, EmailAddress: a.Email, Roles: a.Roles})
	}
	sortJSON(want)

	tests := []struct {
		name   string
		opts   Options
		check  func(t *testing.T, out string)
		wantOp string
	}{
		{"json through a session is one object holding every account with its roles", Options{SSOSession: "corp", Output: "json"}, func(t *testing.T, out string) {
			var got struct{ Accounts []accountJSON }
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("output is not {\"accounts\": [...]}: %v\n%s", err, out)
			}
			if diff := cmp.Diff(want, got.Accounts); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
		}, ""},
		{"csv through a profile has one line per role", Options{Profile: "dev", Output: "csv"}, func(t *testing.T, out string) {
			wantCSV := "account_id,account_name,email,role\n"
			for _, a := range want {
				for _, r := range a.Roles {
					wantCSV += a.AccountID + "," + a.AccountName + "," + a.EmailAddress + "," + r + "\n"
				}
			}
			if diff := cmp.Diff(wantCSV, out); diff != "" {
				t.Errorf("csv (-want +got):\n%s", diff)
			}
		}, ""},
		{"the table has a header and one aligned row per role", Options{SSOSession: "corp", Output: "table"}, func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			n := 0
			for _, a := range want {
				n += len(a.Roles)
			}
			if len(lines) != n+1 || !strings.HasPrefix(lines[0], "ACCOUNT ID") {
				t.Fatalf("table has %d lines, want a header and %d rows:\n%s", len(lines), n, out)
			}
			col := strings.Index(lines[0], "ROLE")
			for _, l := range lines[1:] {
				if l[col-1] != ' ' || l[col] == ' ' {
					t.Errorf("row %q is not aligned under ROLE", l)
				}
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, srv, sessionConfig(srv))
			e.signIn(t)
			opts := tt.opts
			opts.Factory = e.f
			opts.Rate = 50
			if err := run(context.Background(), &opts); err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, e.errOut)
			}
			tt.check(t, e.out.String())
		})
	}
}

func sortJSON(a []accountJSON) {
	accts := make([]listing.Account, len(a))
	for i, x := range a {
		accts[i] = listing.Account{ID: x.AccountID, Name: x.AccountName, Email: x.EmailAddress, Roles: x.Roles}
	}
	listing.SortByName(accts)
	for i, x := range accts {
		a[i] = accountJSON{AccountID: x.ID, AccountName: x.Name, EmailAddress: x.Email, Roles: x.Roles}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name    string
		signIn  bool
		emuOpts func(*emulator.Options)
		opts    Options
		check   func(t *testing.T, err error)
	}{
		{"without a cached token the user is told to sign in", false, autoApprove, Options{SSOSession: "corp"}, func(t *testing.T, err error) {
			if cmd, ok := cmdutil.SignInCommand(err); !ok || !strings.Contains(cmd, "ssokit login") {
				t.Errorf("error = %v, want a sign-in-required error", err)
			}
		}},
		{"an unknown session names the config file", false, autoApprove, Options{SSOSession: "nope"}, func(t *testing.T, err error) {
			var nf *config.SSOSessionNotFoundError
			if !errors.As(err, &nf) {
				t.Errorf("error = %v, want *config.SSOSessionNotFoundError", err)
			}
		}},
		{"a user with no accounts gets a clear error", true, func(o *emulator.Options) {
			d := directory.Demo()
			d.Users = append(d.Users, directory.User{Name: "nobody", Password: directory.RandomPassword(16)})
			o.Directory, o.AutoApprove = d, "nobody"
		}, Options{SSOSession: "corp"}, func(t *testing.T, err error) {
			var na *cmdutil.NoAccountsError
			if !errors.As(err, &na) || !strings.Contains(err.Error(), `sso-session "corp"`) {
				t.Errorf("error = %v, want *cmdutil.NoAccountsError naming the session", err)
			}
		}},
		{"a portal that always throttles is given up on with a hint", true, func(o *emulator.Options) {
			o.AutoApprove = directory.DemoUser
			o.Faults.RateLimit, o.Faults.RateBurst = 0.001, 3 // the sign-in's three calls, then nothing
		}, Options{SSOSession: "corp"}, func(t *testing.T, err error) {
			var te *listing.ThrottledError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), "lower --rate") {
				t.Errorf("error = %v, want a *ThrottledError with a hint", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := emulatortest.NewServer(t, tt.emuOpts)
			e := newTestEnv(t, srv, sessionConfig(srv))
			if tt.signIn {
				e.signIn(t)
			}
			opts := tt.opts
			opts.Factory = e.f
			opts.Rate = 1000
			opts.ListerOptions = []func(*listing.Options){func(o *listing.Options) {
				o.MaxAttempts, o.BaseBackoff, o.MaxBackoff = 3, time.Millisecond, time.Millisecond
			}}
			err := run(context.Background(), &opts)
			if err == nil {
				t.Fatalf("run succeeded; stdout:\n%s", e.out)
			}
			tt.check(t, err)
			if e.out.Len() != 0 {
				t.Errorf("stdout is not empty on error:\n%s", e.out)
			}
		})
	}
}

// confirmer answers every Confirm with yes and records the questions.
type confirmer struct{ asked []string }

func (c *confirmer) Input(string, string, func(string) error) (string, error) {
	return "", errors.New("unexpected input")
}
func (c *confirmer) Select(string, []string, int) (int, error) {
	return 0, errors.New("unexpected select")
}
func (c *confirmer) Confirm(prompt string, _ bool) (bool, error) {
	c.asked = append(c.asked, prompt)
	return true, nil
}

func TestRunAtATerminalOffersToSignIn(t *testing.T) {
	srv := emulatortest.NewServer(t)
	e := newTestEnv(t, srv, sessionConfig(srv))
	e.f.IOStreams.SetTTY(true)
	c := &confirmer{}
	e.f.Prompter = c
	stub := &browserstub.Stub{Follow: srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser)).Follow}
	e.f.Browser = stub
	// A browser is there to open: no fallback to a device code.
	e.env["BROWSER"] = "test-stub"
	opts := Options{Factory: e.f, SSOSession: "corp", Output: "csv", Rate: 100}
	if err := run(context.Background(), &opts); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, e.errOut)
	}
	if len(c.asked) != 1 || !strings.Contains(c.asked[0], "Sign in now?") {
		t.Errorf("questions asked: %q", c.asked)
	}
	if len(stub.URLs()) != 1 {
		t.Errorf("browser opened %q, want one sign-in page", stub.URLs())
	}
	if !strings.Contains(e.out.String(), "111122223333,development,dev@example.com,PowerUserAccess\n") {
		t.Errorf("output:\n%s", e.out)
	}
	// The terminal saw the progress bar, cleared at the end.
	if !strings.Contains(e.errOut.String(), "Listing roles [") || !strings.HasSuffix(e.errOut.String(), "\r\033[K") {
		t.Errorf("stderr has no progress bar cleared at the end: %q", e.errOut)
	}
}

// Without --profile or --sso-session the accounts are those of the profile
// AWS_PROFILE or [default] names, else of the config's only sso-session.
func TestRunWithoutProfileOrSession(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	for _, c := range cmdtest.SessionChoices(srv, "corp") {
		t.Run(c.Name, func(t *testing.T) {
			e := newTestEnv(t, srv, c.Config)
			maps.Copy(e.env, c.Vars)
			e.signIn(t)
			err := run(context.Background(), &Options{Factory: e.f, Output: "csv", Rate: 1000})
			c.Check(t, e.home, err, e.errOut.String())
			if lines := strings.Count(e.out.String(), "\n"); (c.Err == "") != (lines > 1) {
				t.Errorf("stdout has %d lines; want the accounts only on success:\n%s", lines, e.out)
			}
		})
	}
}
