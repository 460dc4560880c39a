package login

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/spf13/cobra"

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
	// Started is when the command was built, at the program's start: a
	// token another process saved after it is that process's sign-in,
	// which this one shares (login.Options.Started).
	Started time.Time

	Profile       string
	SSOSession    string
	NoBrowser     bool
	UseDeviceCode bool
	Port          int
	IfNeeded      bool
	All           bool
}

// NewCmd builds `ssokit login`. runF replaces the work in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams, Getenv: f.Getenv, GOOS: runtime.GOOS}
	if f.Now != nil {
		opts.Started = f.Now()
	}
	cmd := &cobra.Command{
		Use:   "login [--profile P | --sso-session S | --all]",
		Short: "Sign in to AWS IAM Identity Center",
		Long: `Sign in to AWS IAM Identity Center and save the SSO token in ~/.aws/sso/cache,
where the AWS CLI and SDKs find it too.

The sign-in page opens in your browser (authorization code flow with PKCE).
Over SSH or without a display, or with --use-device-code, you are shown a URL
and a code to approve on any device instead. Profiles that set sso_start_url
directly (without an sso-session) always use the code.

The profile is --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else
"default"; when none is named and "default" is not an SSO profile, the
config file's only [sso-session] is signed in to (and named on stderr).
With --all, every sso-session in the config, and every start URL
that profiles set without one, is signed in to in turn, skipping those whose
token has more than 15 minutes left or is refreshed silently; at a terminal
you are asked before each.

Logins started together share one sign-in: one that waited while another
ssokit signed in to the same session uses the token that one saved, and
says so.`,
		Example: `  ssokit login --profile dev
  ssokit login --sso-session my-sso --use-device-code
  ssokit login --profile dev --port 8400 --no-browser   # over SSH with -L 8400:127.0.0.1:8400
  ssokit login --profile dev --if-needed                # in scripts: sign in only when needed
  ssokit login --all                                    # every session that needs it, one after another`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Profile != "" && opts.SSOSession != "" {
				return cmdutil.FlagErrorf("--profile and --sso-session cannot be used together: choose one")
			}
			if opts.All && (opts.Profile != "" || opts.SSOSession != "") {
				return cmdutil.FlagErrorf("--all signs in to every session: it cannot be used with --profile or --sso-session")
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
	fl.StringVarP(&opts.Profile, "profile", "p", "", "profile to sign in for (default: $AWS_PROFILE, then default)")
	fl.StringVar(&opts.SSOSession, "sso-session", "", "sso-session to sign in to (instead of a profile)")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in URL for you to open in a browser on this machine (it returns to 127.0.0.1) instead of opening one; over SSH or without a display a device code is used instead, unless --port is set")
	fl.BoolVar(&opts.UseDeviceCode, "use-device-code", false, "sign in with a code approved on any device")
	fl.IntVar(&opts.Port, "port", 0, "fixed `port` for the browser's return to 127.0.0.1 (for SSH port forwarding)")
	fl.BoolVar(&opts.IfNeeded, "if-needed", false, "keep a valid token (refreshing it silently) and sign in only when there is none")
	fl.BoolVar(&opts.All, "all", false, "sign in to every session in the config that needs it, one after another")
	return cmd
}

func run(opts *Options) error {
	if opts.All {
		return runAll(opts)
	}
	f := opts.Factory
	sso, err := f.ResolveSSO(opts.Profile, opts.SSOSession)
	if err != nil {
		return err
	}
	signIn := func() func(*ssologin.Options) {
		return cmdutil.SignInOptions(opts.IO, opts.Getenv, opts.GOOS, sso, cmdutil.SignInFlags{
			UseDeviceCode: opts.UseDeviceCode, NoBrowser: opts.NoBrowser, Port: opts.Port,
		})
	}
	var tok *tokencache.Token
	var sess *ssologin.Session
	if opts.IfNeeded {
		// Without a sign-in first, so that how one would be done (and why)
		// is only said when it happens.
		if sess, err = f.NewSession(sso); err != nil {
			return err
		}
		tok, err = sess.Token(opts.Context)
		var need *ssologin.SignInRequiredError
		if errors.As(err, &need) {
			if sess, err = f.NewSession(sso, signIn()); err != nil {
				return err
			}
			tok, err = sess.Token(opts.Context)
		}
		if err != nil {
			return err
		}
	} else {
		started := func(o *ssologin.Options) { o.Started = opts.Started }
		if sess, err = f.NewSession(sso, signIn(), started); err != nil {
			return err
		}
		if tok, err = sess.Login(opts.Context); err != nil {
			return err
		}
	}
	opts.IO.ErrPrintf("%s\n", cmdutil.SignedInLine(sso, tok))
	return cmdutil.WriteBackSSORegion(opts.Context, f, sess)
}
