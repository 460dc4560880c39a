package console

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{name: "defaults open a browser", args: nil, want: Options{}},
		{name: "print and a destination", args: []string{"-p", "dev", "--print", "--destination", "https://console.aws.amazon.com/s3/home"},
			want: Options{Profile: "dev", Print: true, Destination: "https://console.aws.amazon.com/s3/home"}},
		{name: "a destination that is not a URL", args: []string{"--destination", "s3"}, wantErr: `--destination "s3" is not an http(s) URL`},
		{name: "a destination with another scheme", args: []string{"--destination", "javascript:alert(1)"}, wantErr: "is not an http(s) URL"},
		{name: "a session of an hour", args: []string{"--duration", "1h"}, want: Options{Duration: time.Hour}},
		{name: "a session too short", args: []string{"--duration", "5m"}, wantErr: "--duration 5m0s: give a duration from 15m to 12h"},
		{name: "a session too long", args: []string{"--duration", "13h"}, wantErr: "--duration 13h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cmdtest.ParseFlags(nil, NewCmd, tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want a usage error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Options{Profile: got.Profile, Print: got.Print, Destination: got.Destination, Duration: got.Duration}); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// visit opens the sign-in URL as a browser would and returns the page it
// lands on.
func visit(t *testing.T, signinURL string) (finalURL, page string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar}).Get(signinURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d: %s", resp.Request.URL, resp.StatusCode, body)
	}
	return resp.Request.URL.String(), string(body)
}

func TestRunPrintReachesTheConsole(t *testing.T) {
	env := signedin.New(t)
	f, out, errOut := cmdtest.SignedIn(env)
	opts := cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile, "--print", "--destination", env.Srv.URL+"/console", "--duration", "1h")
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	signinURL := strings.TrimSuffix(out.String(), "\n")
	u, err := url.Parse(signinURL)
	if err != nil || u.Query().Get("Action") != "login" || !strings.HasPrefix(signinURL, env.Srv.URL+"/federation?") {
		t.Fatalf("stdout %q is not a federation login URL", out.String())
	}
	// An expired console session leads back to the access portal.
	if got := u.Query().Get("Issuer"); got != env.Srv.StartURL {
		t.Errorf("Issuer = %q, want the start URL %s", got, env.Srv.StartURL)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q, want nothing with --print", errOut.String())
	}
	final, page := visit(t, signinURL)
	if final != env.Srv.URL+"/console" {
		t.Errorf("landed on %s", final)
	}
	for _, want := range []string{directory.DemoRole, directory.DemoAccount} {
		if !strings.Contains(page, want) {
			t.Errorf("console page does not show %s:\n%s", want, page)
		}
	}
	if env.Srv.Count("GetSigninToken") != 1 || env.Srv.Count("Login") != 1 {
		t.Errorf("federation calls: %d getSigninToken, %d login", env.Srv.Count("GetSigninToken"), env.Srv.Count("Login"))
	}
}

func TestRunOpensTheBrowser(t *testing.T) {
	env := signedin.New(t)
	env.Vars["DISPLAY"] = ":0"
	f, out, errOut := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	urls := env.Browser.URLs()
	if len(urls) != 1 {
		t.Fatalf("browser opened %v", urls)
	}
	u, _ := url.Parse(urls[0])
	want := "https://console.aws.amazon.com/console/home?region=" + signedin.ProfileRegion
	if got := u.Query().Get("Destination"); got != want {
		t.Errorf("Destination = %q, want %q", got, want)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
	if strings.Contains(errOut.String(), "SigninToken") || !strings.Contains(errOut.String(), directory.DemoRole) {
		t.Errorf("stderr = %q: should name the role, never show the URL", errOut.String())
	}
}

func TestRunBrowserFailureHidesTheURL(t *testing.T) {
	env := signedin.New(t)
	env.Vars["DISPLAY"] = ":0"
	env.Browser.Follow = func(u string) error { return errors.New("cannot run browser for " + u) }
	f, _, _ := cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile, "--duration", "1h"))
	if want := "run ssokit console --profile " + signedin.Profile + " --duration 1h0m0s --print"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want the whole command to run: %s", err, want)
	}
	if strings.Contains(err.Error(), "SigninToken") {
		t.Errorf("error carries the sign-in URL: %v", err)
	}
}

// Where no browser can open, console says so and asks for --print: it
// makes no sign-in URL, so none can leak, and starts no browser helper.
func TestRunWithoutABrowserAsksForPrint(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"over SSH", map[string]string{"SSH_TTY": "/dev/pts/3", "DISPLAY": "localhost:10.0"}, "no browser can be opened here (this is an SSH session)"},
		{"without a display", map[string]string{"DISPLAY": ""}, "no browser can be opened here (no graphical display"},
	}
	env := signedin.New(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.vars["SSH_TTY"] == "" && runtime.GOOS != "linux" {
				t.Skip("only Linux needs a DISPLAY")
			}
			for k, v := range tt.vars {
				env.Vars[k] = v
			}
			t.Cleanup(func() {
				for k := range tt.vars {
					delete(env.Vars, k)
				}
			})
			before := env.Srv.Count("GetSigninToken")
			f, out, errOut := cmdtest.SignedIn(env)
			err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !strings.Contains(err.Error(), "run ssokit console --profile "+signedin.Profile+" --print to get") {
				t.Fatalf("error = %v, want %q and the whole command with --print", err, tt.want)
			}
			if urls := env.Browser.URLs(); len(urls) != 0 {
				t.Errorf("a browser was opened: %q", urls)
			}
			if n := env.Srv.Count("GetSigninToken") - before; n != 0 {
				t.Errorf("%d sign-in tokens were fetched for a URL nobody can open", n)
			}
			if out.Len() != 0 || strings.Contains(errOut.String(), "http") {
				t.Errorf("stdout %q, stderr %q: want no URL anywhere", out, errOut)
			}
		})
	}
	// --print still works there: it needs no browser.
	env.Vars["SSH_TTY"] = "/dev/pts/3"
	f, out, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile, "--print")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SigninToken=") {
		t.Errorf("--print over SSH printed %q", out)
	}
}

// The console of an assume-role profile is the assumed role's.
func TestRunChainedProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	env.Vars["DISPLAY"] = ":0" // a desktop, where a browser can open
	f, out, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Chained, "--print", "--destination", env.Srv.URL+"/console")); err != nil {
		t.Fatal(err)
	}
	_, page := visit(t, strings.TrimSuffix(out.String(), "\n"))
	if !strings.Contains(page, signedin.ChainedARN()) {
		t.Errorf("console page does not show %s:\n%s", signedin.ChainedARN(), page)
	}

	f, _, errOut := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Chained)); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(env.Browser.URLs()[0])
	if got, want := u.Query().Get("Destination"), "https://console.aws.amazon.com/console/home?region="+signedin.ChainedRegion; got != want {
		t.Errorf("Destination = %q, want the assume-role profile's region: %q", got, want)
	}
	if msg := errOut.String(); !strings.Contains(msg, "role "+directory.DemoAssumableRole) || !strings.Contains(msg, signedin.Chained) {
		t.Errorf("stderr = %q, want the assumed role and the profile", msg)
	}
}
