package login

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	ssologin "github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    string
		want    Options
		wantErr string
	}{
		{name: "no flags leaves the profile to the environment", args: "", want: Options{}},
		{name: "a profile", args: "--profile dev", want: Options{Profile: "dev"}},
		{name: "a profile with -p", args: "-p dev", want: Options{Profile: "dev"}},
		{name: "an sso-session with the device code", args: "--sso-session my-sso --use-device-code", want: Options{SSOSession: "my-sso", UseDeviceCode: true}},
		{name: "a fixed port without a browser", args: "--profile dev --port 8400 --no-browser", want: Options{Profile: "dev", Port: 8400, NoBrowser: true}},
		{name: "sign in only if needed", args: "--if-needed", want: Options{IfNeeded: true}},
		{name: "every session", args: "--all --use-device-code", want: Options{All: true, UseDeviceCode: true}},
		{name: "--all with a profile is refused", args: "--all --profile dev", wantErr: "--all signs in to every session: it cannot be used with --profile or --sso-session"},
		{name: "--all with an sso-session is refused", args: "--all --sso-session s", wantErr: "--all signs in to every session: it cannot be used with --profile or --sso-session"},
		{name: "profile and sso-session together are refused", args: "--profile dev --sso-session s", wantErr: "--profile and --sso-session cannot be used together: choose one"},
		{name: "a port out of range is refused", args: "--port 70000", wantErr: "--port 70000: want a port number from 1 to 65535"},
		{name: "a port with the device code is refused", args: "--port 8400 --use-device-code", wantErr: "--port sets the browser sign-in's callback; it has no use with --use-device-code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
			got, err := cmdtest.ParseFlags(f, NewCmd, strings.Fields(tc.args)...)
			if tc.wantErr != "" {
				var flagErr *cmdutil.FlagError
				if !errors.As(err, &flagErr) || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want the FlagError %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, *got, cmpopts.IgnoreFields(Options{}, "Factory", "IO", "Getenv", "GOOS", "Context")); diff != "" {
				t.Errorf("Options (-want +got):\n%s", diff)
			}
		})
	}
}

// env is a test's home folder, config file and emulator.
type env struct {
	srv   *emulatortest.Server
	home  string
	vars  map[string]string
	ios   *iostreams.IOStreams
	out   *bytes.Buffer
	err   *bytes.Buffer
	f     *cmdutil.Factory
	stub  *browserstub.Stub
	cache *tokencache.Cache
}

const testConfig = `[profile dev]
sso_session = my-sso
sso_account_id = 123456789011
sso_role_name = ReadOnly

[profile old]
sso_start_url = %[1]s
sso_region = %[2]s

[profile static]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[sso-session my-sso]
sso_start_url = %[1]s
sso_region = %[2]s
`

func newEnv(t *testing.T, optFns ...func(*emulator.Options)) *env {
	t.Helper()
	srv := emulatortest.NewServer(t, optFns...)
	c := cmdtest.NewEnv(t, srv)
	c.Vars["DISPLAY"] = ":0"
	e := &env{srv: srv, home: c.Home, vars: c.Vars, ios: c.F.IOStreams, out: c.Out, err: c.ErrOut, f: c.F}
	e.stub = &browserstub.Stub{Follow: srv.Browser(t, "demo", srv.Password(t, "demo")).Follow}
	e.f.Browser = e.stub
	if err := os.MkdirAll(filepath.Join(e.home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(testConfig, e.srv.StartURL, e.srv.Region)
	if err := os.WriteFile(filepath.Join(e.home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	e.cache = tokencache.New(tokencache.DefaultDir(e.home))
	return e
}

func (e *env) opts(args Options) *Options {
	args.Factory, args.IO, args.Getenv, args.GOOS, args.Context = e.f, e.ios, e.f.Getenv, "linux", context.Background()
	return &args
}

func TestRunSignsIn(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		vars       map[string]string
		key        string
		wantOps    map[string]int
		wantStderr []string
		// nobody is at a browser here: the person approves elsewhere
		approvedElsewhere bool
		// the person opens the printed sign-in URL themselves
		followPrinted bool
	}{
		{
			name:    "a profile signs in with the browser",
			opts:    Options{Profile: "dev"},
			key:     "my-sso",
			wantOps: map[string]int{"Authorize": 1, "StartDeviceAuthorization": 0},
			wantStderr: []string{"Opening the sign-in page in your browser", "/authorize?response_type=code",
				`Signed in to https://d-0123456789.awsapps.com/start as session "my-sso"; token valid until `},
		},
		{
			name:       "AWS_PROFILE picks the profile",
			opts:       Options{},
			vars:       map[string]string{"AWS_PROFILE": "dev"},
			key:        "my-sso",
			wantOps:    map[string]int{"Authorize": 1, "StartDeviceAuthorization": 0},
			wantStderr: []string{`as session "my-sso"`},
		},
		{
			name:       "an sso-session signs in with a code on request",
			opts:       Options{SSOSession: "my-sso", UseDeviceCode: true},
			key:        "my-sso",
			wantOps:    map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1},
			wantStderr: []string{"confirm the code", "/device?user_code=", `as session "my-sso"`},
		},
		{
			name:       "a legacy profile signs in with a code",
			opts:       Options{Profile: "old"},
			key:        "https://d-0123456789.awsapps.com/start",
			wantOps:    map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1},
			wantStderr: []string{"Signed in to https://d-0123456789.awsapps.com/start; token valid until "},
		},
		{
			name:              "over SSH the device code is used without asking",
			opts:              Options{Profile: "dev"},
			vars:              map[string]string{"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"},
			key:               "my-sso",
			wantOps:           map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1},
			wantStderr:        []string{"No browser can be opened here (this is an SSH session): signing in with a code instead."},
			approvedElsewhere: true,
		},
		{
			// The browser is on the person's own computer, at the far end of
			// the forwarded port: the URL is printed, not opened here.
			name:              "over SSH a fixed port keeps the browser sign-in and prints its URL, for port forwarding",
			opts:              Options{Profile: "dev", Port: anyFreePort},
			vars:              map[string]string{"SSH_TTY": "/dev/pts/3"},
			key:               "my-sso",
			wantOps:           map[string]int{"Authorize": 1, "StartDeviceAuthorization": 0},
			wantStderr:        []string{"Open this URL in a browser", "/authorize?response_type=code"},
			approvedElsewhere: true,
			followPrinted:     true,
		},
		{
			name:              "without a display the device code is used",
			opts:              Options{Profile: "dev"},
			vars:              map[string]string{"DISPLAY": ""},
			key:               "my-sso",
			wantOps:           map[string]int{"Authorize": 0, "StartDeviceAuthorization": 1},
			wantStderr:        []string{"no graphical display"},
			approvedElsewhere: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var approve []func(*emulator.Options)
			if tc.approvedElsewhere {
				approve = append(approve, func(o *emulator.Options) { o.AutoApprove = "demo" })
			}
			e := newEnv(t, approve...)
			for k, v := range tc.vars {
				e.vars[k] = v
			}
			if tc.followPrinted {
				e.ios.ErrOut = &urlFollower{w: e.err}
			}
			if tc.opts.Port == anyFreePort {
				// Picked just before use: a port picked when the table was
				// built may have been taken since.
				tc.opts.Port = freePort(t)
			}
			if err := run(e.opts(tc.opts)); err != nil {
				t.Fatalf("run: %v\nstderr:\n%s", err, e.err)
			}
			if opened := len(e.stub.URLs()) > 0; opened == tc.approvedElsewhere {
				t.Errorf("browser opened: %v, want %v (URLs %q)", opened, !tc.approvedElsewhere, e.stub.URLs())
			}
			if diff := cmp.Diff(tc.wantOps, map[string]int{"Authorize": e.srv.Count("Authorize"), "StartDeviceAuthorization": e.srv.Count("StartDeviceAuthorization")}); diff != "" {
				t.Errorf("flow (-want +got):\n%s", diff)
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(e.err.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, e.err)
				}
			}
			if e.out.Len() != 0 {
				t.Errorf("stdout must stay empty, got %q", e.out)
			}
			tok, err := e.cache.LoadToken(tc.key)
			if err != nil {
				t.Fatalf("no token saved under %q: %v", tc.key, err)
			}
			until := tok.ExpiresAt.Local().Format("2006-01-02 15:04 MST")
			if !strings.HasSuffix(e.err.String(), "token valid until "+until+"\n") {
				t.Errorf("stderr does not end with the expiry %s:\n%s", until, e.err)
			}
		})
	}
}

// urlFollower passes writes on to w and opens the first authorize URL
// written, as a person who copies it into a browser would (the emulator
// approves by itself).
type urlFollower struct {
	w    io.Writer
	text strings.Builder
	done bool
}

func (u *urlFollower) Write(p []byte) (int, error) {
	u.text.Write(p)
	if !u.done {
		for _, f := range strings.Fields(u.text.String()) {
			if strings.Contains(f, "/authorize?") {
				u.done = true
				go func() {
					if resp, err := http.Get(f); err == nil {
						resp.Body.Close()
					}
				}()
				break
			}
		}
	}
	return u.w.Write(p)
}

func TestRunIfNeededKeepsAValidToken(t *testing.T) {
	e := newEnv(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	for i := range 3 {
		if err := run(e.opts(Options{Profile: "dev", IfNeeded: true, UseDeviceCode: true, NoBrowser: true})); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if got := e.srv.Count("StartDeviceAuthorization"); got != 1 {
		t.Errorf("StartDeviceAuthorization = %d after three --if-needed runs, want 1", got)
	}
	if got := strings.Count(e.err.String(), "Signed in to"); got != 3 {
		t.Errorf("%d success lines, want 3:\n%s", got, e.err)
	}
	e.vars["DISPLAY"] = ""
	e.err.Reset()
	if err := run(e.opts(Options{Profile: "dev", IfNeeded: true})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.err.String(), "No browser") {
		t.Errorf("--if-needed with a valid token spoke of how it would sign in:\n%s", e.err)
	}
	// Without --if-needed, login always signs in anew.
	if err := run(e.opts(Options{Profile: "dev", UseDeviceCode: true, NoBrowser: true})); err != nil {
		t.Fatal(err)
	}
	if got := e.srv.Count("StartDeviceAuthorization"); got != 2 {
		t.Errorf("StartDeviceAuthorization = %d after a plain login, want 2", got)
	}
}

func TestRunFailsClearly(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		deny    bool
		wantErr string
		errType any
	}{
		{name: "an unknown profile", opts: Options{Profile: "nope"}, wantErr: `"nope"`, errType: new(*config.ProfileNotFoundError)},
		{name: "a profile that is not SSO", opts: Options{Profile: "static"}, wantErr: `"static"`, errType: new(*config.NotSSOProfileError)},
		{name: "an unknown sso-session", opts: Options{SSOSession: "nope"}, wantErr: `"nope"`},
		{name: "a denial in the browser", opts: Options{Profile: "dev"}, deny: true, wantErr: "the sign-in was denied in the browser"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.deny {
				e.stub.Follow = e.srv.Browser(t, "demo", e.srv.Password(t, "demo")).Deny
			}
			err := run(e.opts(tc.opts))
			if err == nil {
				t.Fatal("run succeeded")
			}
			t.Logf("error: %v", err)
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			if tc.errType != nil && !errors.As(err, tc.errType) {
				t.Errorf("error %T is not %T", err, tc.errType)
			}
			if strings.Contains(e.err.String(), "Signed in") {
				t.Errorf("a failure printed success:\n%s", e.err)
			}
		})
	}
}

func TestRunUnreachableEndpointNamesIt(t *testing.T) {
	e := newEnv(t)
	e.vars["AWS_ENDPOINT_URL_SSO_OIDC"] = "http://127.0.0.1:1"
	err := run(e.opts(Options{Profile: "dev"}))
	var endpointErr *ssologin.EndpointError
	if !errors.As(err, &endpointErr) || !strings.Contains(err.Error(), "http://127.0.0.1:1") {
		t.Fatalf("error = %v, want an *EndpointError naming http://127.0.0.1:1", err)
	}
}

func TestRunCancelled(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	e.stub.Follow = func(string) error { cancel(); return nil }
	opts := e.opts(Options{Profile: "dev"})
	opts.Context = ctx
	if err := run(opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("run after Ctrl-C: error = %v, want context.Canceled (exit code 2)", err)
	}
}

// confirmer answers every Confirm with yes or no and remembers the question.
type confirmer struct {
	answer bool
	asked  []string
}

func (c *confirmer) Input(string, string, func(string) error) (string, error) {
	return "", errors.New("unexpected Input")
}
func (c *confirmer) Select(string, []string, int) (int, error) {
	return 0, errors.New("unexpected Select")
}
func (c *confirmer) Confirm(prompt string, _ bool) (bool, error) {
	c.asked = append(c.asked, prompt)
	return c.answer, nil
}

func TestEnsureToken(t *testing.T) {
	tests := []struct {
		name        string
		tty         bool
		answer      bool
		wantSignIn  bool
		wantAsked   int
		wantCommand string
	}{
		{name: "on a terminal, yes signs in", tty: true, answer: true, wantSignIn: true, wantAsked: 1},
		{name: "on a terminal, no leaves the hint", tty: true, answer: false, wantAsked: 1, wantCommand: "ssokit login --profile dev"},
		{name: "without a terminal nobody is asked", tty: false, wantCommand: "ssokit login --profile dev"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.ios.SetTTY(tc.tty)
			p := &confirmer{answer: tc.answer}
			e.f.Prompter = p
			sess, err := e.f.Session("dev", "")
			if err != nil {
				t.Fatal(err)
			}
			tok, err := cmdutil.EnsureToken(context.Background(), e.f, sess)
			if len(p.asked) != tc.wantAsked {
				t.Errorf("asked %d questions, want %d: %q", len(p.asked), tc.wantAsked, p.asked)
			}
			if tc.wantAsked > 0 && p.asked[0] != `No SSO token for session "my-sso". Sign in now?` {
				t.Errorf("question = %q", p.asked[0])
			}
			if tc.wantSignIn {
				if err != nil || tok == nil {
					t.Fatalf("EnsureToken: %v", err)
				}
				if e.srv.Count("Authorize") != 1 {
					t.Errorf("Authorize = %d, want 1", e.srv.Count("Authorize"))
				}
				return
			}
			if cmd, ok := cmdutil.SignInCommand(err); !ok || cmd != tc.wantCommand {
				t.Fatalf("EnsureToken error = %v, want a sign-in hint %q", err, tc.wantCommand)
			}
		})
	}
}

// anyFreePort in a table stands for a port freePort picks at the last moment.
const anyFreePort = -1

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Signing in with a start URL on the organisation's own domain: the
// portal it redirects to names the region, which is written back where
// sso_region is set, keeping the rest of the file as it was.
func TestRunWritesBackTheStartURLsRegion(t *testing.T) {
	const portal = "https://d-0123456789.portal.eu-west-1.app.aws/start"
	e := newEnv(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		o.StartURL = portal
		o.Region = "eu-west-1"
	})
	vanity := httptest.NewTLSServer(http.RedirectHandler(portal, http.StatusFound))
	defer vanity.Close()
	ca := filepath.Join(e.home, "corp-ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: vanity.Certificate().Raw}), 0o600)
	e.vars["AWS_CA_BUNDLE"] = ca
	cfgPath := filepath.Join(e.home, ".aws", "config")
	os.WriteFile(cfgPath, []byte("# corp\n[sso-session corp]\nsso_start_url = "+vanity.URL+"/start\nsso_region = us-east-1\n"), 0o600)

	if err := run(e.opts(Options{SSOSession: "corp"})); err != nil {
		t.Fatalf("login: %v\nstderr:\n%s", err, e.err)
	}
	got, _ := os.ReadFile(cfgPath)
	if want := "# corp\n[sso-session corp]\nsso_start_url = " + vanity.URL + "/start\nsso_region = eu-west-1\n"; string(got) != want {
		t.Errorf("config file:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(e.err.String(), "SSO region updated to eu-west-1") {
		t.Errorf("stderr does not say the region changed:\n%s", e.err)
	}
	if _, err := e.cache.LoadToken("corp"); err != nil {
		t.Errorf("no token for the session: %v", err)
	}
}

// The sso-session's ssokit_use_device_code picks the code on a desktop, and
// its ssokit_callback_port the loopback port of the browser sign-in.
func TestRunFollowsTheSessionsSettings(t *testing.T) {
	t.Run("ssokit_use_device_code", func(t *testing.T) {
		e := newEnv(t)
		e.appendConfig(t, "ssokit_use_device_code = true\n")
		if err := run(e.opts(Options{Profile: "dev"})); err != nil {
			t.Fatalf("run: %v\nstderr:\n%s", err, e.err)
		}
		if a, d := e.srv.Count("Authorize"), e.srv.Count("StartDeviceAuthorization"); a != 0 || d != 1 {
			t.Errorf("Authorize = %d, StartDeviceAuthorization = %d; want the device code only", a, d)
		}
	})
	t.Run("ssokit_callback_port", func(t *testing.T) {
		e := newEnv(t)
		port := freePort(t)
		e.appendConfig(t, fmt.Sprintf("ssokit_callback_port = %d\n", port))
		if err := run(e.opts(Options{Profile: "dev"})); err != nil {
			t.Fatalf("run: %v\nstderr:\n%s", err, e.err)
		}
		if want := fmt.Sprintf("redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A%d%%2Foauth%%2Fcallback", port); len(e.stub.URLs()) != 1 || !strings.Contains(e.stub.URLs()[0], want) {
			t.Errorf("opened %q; want one URL with %s", e.stub.URLs(), want)
		}
	})
}

// appendConfig adds lines to the end of the config file, in the
// [sso-session my-sso] section that ends it.
func (e *env) appendConfig(t *testing.T, lines string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(e.home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(lines); err != nil {
		t.Fatal(err)
	}
}

// Without --profile or --sso-session the sign-in is to the session of the
// profile AWS_PROFILE or [default] names, else to the config's only
// sso-session.
func TestRunWithoutProfileOrSession(t *testing.T) {
	for i, c := range cmdtest.SessionChoices(emulatortest.NewServer(t), "my-sso") {
		t.Run(c.Name, func(t *testing.T) {
			e := newEnv(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
			c := cmdtest.SessionChoices(e.srv, "my-sso")[i]
			if err := os.WriteFile(filepath.Join(e.home, ".aws", "config"), []byte(c.Config), 0o600); err != nil {
				t.Fatal(err)
			}
			maps.Copy(e.vars, c.Vars)
			err := run(e.opts(Options{UseDeviceCode: true}))
			c.Check(t, e.home, err, e.err.String())
			if _, tokErr := e.cache.LoadToken("my-sso"); (tokErr == nil) != (c.Err == "") {
				t.Errorf("token of my-sso cached: %v, want %v", tokErr == nil, c.Err == "")
			}
		})
	}
}
