package console

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/browser"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/redact"
)

// Options are the dependencies and flags of `ssokit console`.
type Options struct {
	IO      *iostreams.IOStreams
	Browser browser.Opener
	Getenv  func(string) string
	// Factory supplies the config files, the caches and the endpoints.
	Factory *cmdutil.Factory

	Profile string
	// Print writes the sign-in URL to stdout instead of opening it.
	Print bool
	// Destination is the console page to land on; "" for the console home.
	Destination string
	// Duration is how long the console session lasts; 0 leaves it to AWS
	// (12 hours at most, and never longer than the role allows).
	Duration time.Duration
}

// NewCmd builds `ssokit console`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Browser: f.Browser,
		Getenv:  f.Getenv,
		Factory: f,
	}
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Open the AWS console signed in with a profile's role",
		Long: `Open the AWS Management Console in your browser, signed in with the role
of an SSO profile, without going through the access portal.

ssokit trades the profile's role credentials for a sign-in token at the AWS
federation endpoint. The sign-in URL it opens is a secret for a few minutes:
anyone who opens it gets your console session. --print writes it to stdout
instead, for another browser or profile; nothing else ever shows it.

The federation endpoint is the partition's sign-in host, regional where
AWS has regional ones; AWS_ENDPOINT_URL_SIGNIN (or signin in the
profile's services section) points ssokit at another, such as the one of
"ssokit emulator". A global AWS_ENDPOINT_URL or endpoint_url does not: it
names an emulator of the APIs, which has no console.`,
		Example: `  ssokit console --profile dev
  ssokit console --profile dev --destination https://console.aws.amazon.com/s3/home
  ssokit console --profile dev --duration 1h
  ssokit console --profile dev --print | xclip -selection clipboard`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Destination != "" {
				u, err := url.Parse(opts.Destination)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
					return cmdutil.FlagErrorf("--destination %s is not an http(s) URL: give a console URL such as https://console.aws.amazon.com/s3/home", redact.Quote(opts.Destination))
				}
			}
			if opts.Duration != 0 && (opts.Duration < export.MinConsoleSession || opts.Duration > export.MaxConsoleSession) {
				return cmdutil.FlagErrorf("--duration %s: give a duration from 15m to 12h", opts.Duration)
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "profile whose role to sign in with (default: $AWS_PROFILE, then default)")
	cmd.Flags().BoolVar(&opts.Print, "print", false, "print the sign-in URL to stdout instead of opening a browser")
	cmd.Flags().StringVar(&opts.Destination, "destination", "", "console URL to land on (default: the console home in the profile's region)")
	cmd.Flags().DurationVar(&opts.Duration, "duration", 0, "how long the console session lasts, 15m to 12h (default: AWS's, 12h at most)")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	sess, err := opts.Factory.Session(opts.Profile, "")
	if err != nil {
		return err
	}
	creds, err := credentials.New(sess).Retrieve(ctx)
	if err != nil {
		return err
	}
	region := sess.SSO().ProfileRegion
	if region == "" {
		region = sess.SSO().Region
	}
	sso := sess.SSO()
	if sso.Endpoints.SignIn == "" {
		return fmt.Errorf("no console sign-in endpoint is known for region %s: set AWS_ENDPOINT_URL_SIGNIN to your partition's", region)
	}
	hc, err := sess.HTTPClient()
	if err != nil {
		return err
	}
	signinURL, err := export.ConsoleURL(ctx, hc, creds, func(o *export.ConsoleOptions) {
		o.Region = region
		o.FederationEndpoint = strings.TrimRight(sso.Endpoints.SignIn, "/") + "/federation"
		o.Destination = opts.Destination
		// An expired console session sends the user back to the portal.
		o.Issuer = sso.StartURL
		o.SessionDuration = opts.Duration
	})
	if err != nil {
		return err
	}
	if opts.Print {
		fmt.Fprintln(opts.IO.Out, signinURL)
		return nil
	}
	opts.IO.ErrPrintf("Opening the AWS console as %s in account %s (profile %s).\n", sess.SSO().RoleName, sess.SSO().AccountID, sess.SSO().Profile)
	if err := opts.Browser.Open(signinURL); err != nil {
		// Whatever the browser said must not carry the URL on.
		msg := strings.ReplaceAll(err.Error(), signinURL, "<sign-in URL>")
		return fmt.Errorf("open the browser: %s; run again with --print and open the URL yourself", msg)
	}
	return nil
}
