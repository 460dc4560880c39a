package serve

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// Options are the dependencies and flags of `ssokit serve`.
type Options struct {
	IO  *iostreams.IOStreams
	Now func() time.Time
	// Factory supplies the config files, the caches and the endpoints.
	Factory *cmdutil.Factory

	Profile string
	// Addr is the loopback address to listen on.
	Addr string
	// Format is the shell syntax of the two variables printed; without
	// -o/--output, that of the user's shell (cmdutil.Factory.Shell).
	Format export.Format
	// Region, when set, is printed as AWS_REGION and AWS_DEFAULT_REGION
	// too.
	Region string
}

// NewCmd builds `ssokit serve`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Now:     f.Now,
		Factory: f,
	}
	var format string
	var oldFormat cmdutil.OldOutputFlag
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a profile's role credentials on a local container credentials endpoint",
		Long: `Serve the temporary role credentials of an SSO profile (or of an
assume-role profile whose source_profile chain ends in one) the way
container platforms do, on a loopback address, until Ctrl-C.

ssokit prints the two variables a program needs, in PowerShell syntax on
Windows and sh syntax elsewhere, or, with -o/--output, for fish or cmd:

  export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/
  export AWS_CONTAINER_AUTHORIZATION_TOKEN=...
  $Env:AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:PORT/"   (PowerShell)

--region adds AWS_REGION and AWS_DEFAULT_REGION. -f/--format, the old name
of -o/--output, still works.

Every AWS SDK and the AWS CLI read them. Requests without the token are
refused, and credentials are renewed 15 minutes before they expire, so
programs that run for hours never hold expired ones.`,
		Example: `  ssokit serve --profile dev
  ssokit serve --profile dev --addr 127.0.0.1:9911
  ssokit serve --profile dev --output powershell`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := oldFormat.Resolve(cmd.Flags(), opts.IO, &format); err != nil {
				return err
			}
			opts.Format = export.Format(format)
			if format == "" {
				opts.Format = f.Shell()
			}
			if !slices.Contains(export.ShellFormats(), opts.Format) {
				return cmdutil.OutputError(format, export.ShellFormats()...)
			}
			// A bad address is a usage mistake, found before any sign-in.
			if _, err := export.ListenAddr(opts.Addr); err != nil {
				return &cmdutil.FlagError{Err: fmt.Errorf("--addr: %w", err)}
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "profile to serve (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	cmd.Flags().StringVarP(&format, "output", "o", "", "syntax of the printed variables: "+export.FormatList(export.ShellFormats()...)+" (default: powershell on Windows, env elsewhere)")
	cmd.Flags().StringVar(&opts.Region, "region", "", "also print AWS_REGION and AWS_DEFAULT_REGION set to this region")
	oldFormat.AddTo(cmd.Flags())
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	c, err := opts.Factory.Credentials(opts.Profile)
	if err != nil {
		return err
	}
	// A sign-in problem is reported now, not to the first client.
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return err
	}
	srv := export.NewContainerServer(c.Provider, func(o *export.ContainerOptions) {
		o.Now = opts.Now
		o.OnError = func(err error) {
			opts.IO.ErrPrintf("ssokit: could not refresh the credentials of profile %s: %v\n", c.Profile(), err)
		}
	})
	ep, err := srv.Serve(ctx, opts.Addr)
	if errors.Is(err, export.ErrNotLoopback) || errors.Is(err, export.ErrBadAddress) {
		return &cmdutil.FlagError{Err: fmt.Errorf("--addr: %w", err)}
	}
	if err != nil {
		return err
	}
	vars := []string{export.EnvContainerFullURI, ep.URL, export.EnvContainerAuthToken, ep.Token}
	if opts.Region != "" {
		vars = append(vars, export.EnvRegion, opts.Region, export.EnvDefaultRegion, opts.Region)
	}
	if err := export.WriteVars(opts.IO.Out, opts.Format, vars...); err != nil {
		_ = ep.Close()
		return err
	}
	msg := fmt.Sprintf("Serving the credentials of profile %s at %s", c.Profile(), ep.URL)
	if creds.CanExpire {
		msg += fmt.Sprintf(" (these expire at %s; renewed before then)", creds.Expires.Local().Format("15:04"))
	}
	opts.IO.ErrPrintf("%s.\nSet the two variables above in the program's environment. Press Ctrl-C to stop.\n", msg)

	select {
	case <-ctx.Done():
	case <-ep.Done():
	}
	if err := ep.Close(); err != nil {
		return fmt.Errorf("serve on %s: %w", ep.URL, err)
	}
	opts.IO.ErrPrintf("Stopped.\n")
	return nil
}
