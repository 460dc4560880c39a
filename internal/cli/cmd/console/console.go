package console

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/redact"
)

// Options are the dependencies and flags of `ssokit console`.
type Options struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	// Factory supplies the config files, the caches and the endpoints, and
	// opens the browser (OpenBrowser, the path every command takes).
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
		Getenv:  f.Getenv,
		Factory: f,
	}
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Open the AWS console signed in with a profile's role",
		Long: `Open the AWS Management Console in your browser, signed in with the role
of an SSO profile, or the role an assume-role profile chains onto one,
without going through the access portal.

ssokit trades the profile's role credentials for a sign-in token at the AWS
federation endpoint. The sign-in URL it opens is a secret for a few minutes:
anyone who opens it gets your console session. --print writes it to stdout
instead, for another browser or profile; nothing else ever shows it. Where
no browser can be opened (over SSH, without a display) ssokit says so and
asks for --print, without fetching a URL.

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
	c, err := opts.Factory.Credentials(opts.Profile)
	if err != nil {
		return err
	}
	if !opts.Print {
		// Before the URL exists: one that cannot be opened is not made.
		if err := opts.Factory.BrowserUnavailable(); err != nil {
			return fmt.Errorf("%w: %s", err, usePrint(opts, c.Profile()))
		}
	}
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return err
	}
	sso := c.Session.SSO()
	region := c.Region()
	if region == "" {
		region = sso.Region
	}
	if sso.Endpoints.SignIn == "" {
		return fmt.Errorf("no console sign-in endpoint is known for region %s: set AWS_ENDPOINT_URL_SIGNIN to your partition's", region)
	}
	hc, err := c.Session.HTTPClient()
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
	opts.IO.ErrPrintf("Opening the AWS console as %s (profile %s).\n", c.Role(), c.Profile())
	if err := opts.Factory.OpenBrowser(signinURL); err != nil {
		// Whatever the browser said must not carry the URL on.
		msg := strings.ReplaceAll(err.Error(), signinURL, "<sign-in URL>")
		return fmt.Errorf("%s: %s", msg, usePrint(opts, c.Profile()))
	}
	return nil
}

// usePrint is the way out when no browser opens: the same command with
// --print, to paste as it is.
func usePrint(opts *Options, profile string) string {
	cmd := "ssokit console --profile " + cmdutil.ShellQuote(profile)
	if opts.Destination != "" {
		cmd += " --destination " + cmdutil.ShellQuote(opts.Destination)
	}
	if opts.Duration != 0 {
		cmd += " --duration " + opts.Duration.String()
	}
	return "run " + cmd + " --print to get the sign-in URL, and open it in a browser yourself"
}
