package login

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	ssologin "github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Options are the dependencies and flags of `ssokit login`.
type Options struct {
	Factory *cmdutil.Factory
	IO      *iostreams.IOStreams
	Getenv  func(string) string
	// GOOS decides whether a missing DISPLAY means there is no browser.
	GOOS    string
	Context context.Context

	Profile       string
	SSOSession    string
	NoBrowser     bool
	UseDeviceCode bool
	Port          int
	IfNeeded      bool
}

// NewCmd builds `ssokit login`. runF replaces the work in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams, Getenv: f.Getenv, GOOS: runtime.GOOS}
	cmd := &cobra.Command{
		Use:   "login [--profile P | --sso-session S]",
		Short: "Sign in to AWS IAM Identity Center",
		Long: `Sign in to AWS IAM Identity Center and save the SSO token in ~/.aws/sso/cache,
where the AWS CLI and SDKs find it too.

The sign-in page opens in your browser (authorization code flow with PKCE).
Over SSH or without a display, or with --use-device-code, you are shown a URL
and a code to approve on any device instead. Profiles that set sso_start_url
directly (without an sso-session) always use the code.

The profile is --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else
"default".`,
		Example: `  ssokit login --profile dev
  ssokit login --sso-session my-sso --use-device-code
  ssokit login --profile dev --port 8400 --no-browser   # over SSH with -L 8400:127.0.0.1:8400
  ssokit login --profile dev --if-needed                # in scripts: sign in only when needed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Profile != "" && opts.SSOSession != "" {
				return cmdutil.FlagErrorf("--profile and --sso-session cannot be used together: choose one")
			}
			if opts.Port < 0 || opts.Port > 65535 {
				return cmdutil.FlagErrorf("--port %d: want a port number from 1 to 65535", opts.Port)
			}
			if opts.Port != 0 && opts.UseDeviceCode {
				return cmdutil.FlagErrorf("--port sets the browser sign-in's callback; it has no use with --use-device-code")
			}
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Profile, "profile", "", "profile to sign in for")
	fl.StringVar(&opts.SSOSession, "sso-session", "", "sso-session to sign in to (instead of a profile)")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in URL without opening a browser")
	fl.BoolVar(&opts.UseDeviceCode, "use-device-code", false, "sign in with a code approved on any device")
	fl.IntVar(&opts.Port, "port", 0, "fixed `port` for the browser's return to 127.0.0.1 (for SSH port forwarding)")
	fl.BoolVar(&opts.IfNeeded, "if-needed", false, "keep a valid token (refreshing it silently) and sign in only when there is none")
	return cmd
}

func run(opts *Options) error {
	f := opts.Factory
	cfg, _, err := cmdutil.LoadConfig(f)
	if err != nil {
		return err
	}
	t, err := cmdutil.ResolveTarget(f, cfg, opts.Profile, opts.SSOSession)
	if err != nil {
		return err
	}
	var tok *tokencache.Token
	if opts.IfNeeded {
		// Without a sign-in first, so that how one would be done (and why)
		// is only said when it happens.
		tok, err = ssologin.Token(opts.Context, t.SSO, t.LoginOptions(f))
		var need *ssologin.SignInRequiredError
		if errors.As(err, &need) {
			withFlags := signInOptions(opts.IO, opts.Getenv, opts.GOOS, t.SSO, opts.UseDeviceCode, opts.NoBrowser, opts.Port)
			tok, err = ssologin.Token(opts.Context, t.SSO, t.LoginOptions(f), withFlags)
		}
	} else {
		withFlags := signInOptions(opts.IO, opts.Getenv, opts.GOOS, t.SSO, opts.UseDeviceCode, opts.NoBrowser, opts.Port)
		tok, err = ssologin.Login(opts.Context, t.SSO, t.LoginOptions(f), withFlags)
	}
	if err != nil {
		return err
	}
	opts.IO.Printf("%s\n", successLine(t.SSO, tok))
	return nil
}

// successLine says what the person is now signed in to, and for how long,
// in their own time zone.
func successLine(s config.SSO, tok *tokencache.Token) string {
	until := tok.ExpiresAt.Local().Format("2006-01-02 15:04 MST")
	if s.SessionName == "" {
		return fmt.Sprintf("Signed in to %s; token valid until %s", s.StartURL, until)
	}
	return fmt.Sprintf("Signed in to %s as session %q; token valid until %s", s.StartURL, s.SessionName, until)
}

// signInOptions chooses how to sign in: the device code when asked, or when
// a browser on this machine cannot work (SSH, no display); PKCE otherwise.
// A fixed port means the person forwards it to a browser elsewhere, so PKCE
// stays. Progress and the spinner go to stderr.
func signInOptions(ios *iostreams.IOStreams, getenv func(string) string, goos string, s config.SSO, useDeviceCode, noBrowser bool, port int) func(*ssologin.Options) {
	if port == 0 {
		if why := noBrowserReason(getenv, goos); why != "" {
			if !useDeviceCode && s.SessionName != "" {
				ios.Printf("No browser can be opened here (%s): signing in with a code instead.\n", why)
			}
			// Not even for the code: a terminal browser started over SSH
			// would take over the terminal.
			useDeviceCode, noBrowser = true, true
		}
	}
	return func(o *ssologin.Options) {
		o.UseDeviceCode = useDeviceCode
		o.NoBrowser = noBrowser
		o.Port = port
		o.Spinner = ios
		o.SignIn = true
	}
}

// noBrowserReason explains why no browser can open on this machine, or
// returns "". An explicit BROWSER is trusted: the person chose it.
func noBrowserReason(getenv func(string) string, goos string) string {
	if getenv("BROWSER") != "" {
		return ""
	}
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" {
		return "this is an SSH session"
	}
	switch goos {
	case "darwin", "windows", "ios", "android":
		return ""
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "no graphical display: DISPLAY and WAYLAND_DISPLAY are not set"
	}
	return ""
}

// EnsureToken returns a valid SSO token for t: cached, or refreshed
// silently. When the session has expired and a person is at the terminal,
// it offers to sign in right away; otherwise the *login.SignInRequiredError
// goes back to the caller (exit code 3 with the command to run).
func EnsureToken(ctx context.Context, f *cmdutil.Factory, t *cmdutil.Target) (*tokencache.Token, error) {
	tok, err := ssologin.Token(ctx, t.SSO, t.LoginOptions(f))
	var need *ssologin.SignInRequiredError
	if err == nil || !errors.As(err, &need) || !f.IOStreams.CanPrompt() {
		return tok, err
	}
	yes, perr := f.Prompter.Confirm(fmt.Sprintf("%s. Sign in now?", capitalize(need.Error())), true)
	if perr != nil {
		return nil, perr
	}
	if !yes {
		return nil, err
	}
	tok, err = ssologin.Token(ctx, t.SSO, t.LoginOptions(f),
		signInOptions(f.IOStreams, f.Getenv, runtime.GOOS, t.SSO, false, false, 0))
	if err != nil {
		return nil, err
	}
	f.IOStreams.Printf("%s\n", successLine(t.SSO, tok))
	return tok, nil
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
