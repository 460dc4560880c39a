package credentialprocess

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
)

// Options are the dependencies and flags of `ssokit credential-process`.
type Options struct {
	IO *iostreams.IOStreams
	// Factory supplies the environment, home folder, clock, HTTP client and
	// browser that resolving the profile and its credentials need.
	Factory *cmdutil.Factory

	Profile string
	SignIn  bool
}

// NewCmd builds `ssokit credential-process`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "credential-process [--profile NAME]",
		Short: "Print a profile's role credentials for credential_process",
		Long: `Print the role credentials of an SSO profile as the JSON document that
AWS SDKs and tools read from a credential_process, and nothing else on
stdout. Point a profile at it to give programs without SSO support your
SSO role:

  [profile dev-process]
  credential_process = ssokit credential-process --profile dev

The profile may also assume a role (role_arn) with the credentials of an
SSO profile (source_profile), through any number of such profiles; a role
that asks for an MFA code asks for it on the terminal.

Credentials come from the AWS CLI's cache (~/.aws/cli/cache) while more than
15 minutes remain, so this is fast enough to run before every AWS call, and
concurrent runs share one call to the portal.

When the SSO session has expired it fails with exit code 3 and says which
"ssokit login" to run: it runs under other programs, where a browser window
would come as a surprise. --sign-in opens the browser instead.`,
		Example: `  ssokit credential-process --profile dev
  aws configure set credential_process "ssokit credential-process --profile dev" --profile dev-process`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "SSO or assume-role profile to get credentials for (default: $AWS_PROFILE, then default)")
	cmd.Flags().BoolVar(&opts.SignIn, "sign-in", false, "sign in through the browser when the SSO session has expired")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	// The guard comes first: a profile whose credential_process runs
	// itself must fail at once, whatever the rest of the config says.
	profile := config.SelectProfile(opts.Profile, f.Getenv)
	if _, err := export.CheckProfileChain(f.Getenv(export.ProfileChainEnv), profile); err != nil {
		return err
	}
	// The flag, not the name it selects: an error then says where the
	// name came from.
	c, err := f.Credentials(opts.Profile, func(o *login.Options) { o.SignIn = opts.SignIn })
	if err != nil {
		return err
	}
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return err
	}
	if _, err := opts.IO.Out.Write(export.ProcessJSON(creds)); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	return nil
}
