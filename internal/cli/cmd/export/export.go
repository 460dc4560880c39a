package export

import (
	"context"
	"slices"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// Options are the dependencies and flags of `ssokit export`.
type Options struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	// Factory supplies the config files, the caches and the endpoints.
	Factory *cmdutil.Factory

	Profile string
	Format  export.Format
	// Region, when set, adds AWS_REGION and AWS_DEFAULT_REGION to a shell
	// format.
	Region string
}

// NewCmd builds `ssokit export`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Getenv:  f.Getenv,
		Factory: f,
	}
	var format string
	var oldFormat cmdutil.OldOutputFlag
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print a profile's role credentials for a shell or another tool",
		Long: `Print the temporary role credentials of an SSO profile, or of an
assume-role profile (role_arn) whose source_profile chain ends in one.

The formats are those of "aws configure export-credentials", byte for byte,
plus two of ssokit's own:

  process        credential_process JSON, indented (the default)
  env            export AWS_ACCESS_KEY_ID=... lines for sh, bash, zsh
  env-no-export  AWS_ACCESS_KEY_ID=... lines
  fish           set -gx AWS_ACCESS_KEY_ID "..." lines
  powershell     $Env:AWS_ACCESS_KEY_ID="..." lines
  windows-cmd    set AWS_ACCESS_KEY_ID=... lines
  json           credential_process JSON on one line, with AccountId
  ini            aws_access_key_id = ... lines for a credentials file

The expiration ends in +00:00 in the AWS CLI's formats, as it prints it
(and ssokit exec passes that same AWS_CREDENTIAL_EXPIRATION), and in Z in
json. --region adds AWS_REGION and AWS_DEFAULT_REGION to the shell formats.
-f/--format is the old name of -o/--output and still works.

Credentials come from the AWS CLI's cache (~/.aws/cli/cache) while more than
15 minutes remain, and from IAM Identity Center otherwise. Only the
credentials go to stdout.`,
		Example: `  eval "$(ssokit export --profile dev --output env)"
  eval "$(ssokit export -p dev -o env --region eu-west-1)"
  ssokit export --profile dev --output powershell | Invoke-Expression
  ssokit export --profile dev --output fish | source`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := oldFormat.Resolve(cmd.Flags(), opts.IO, &format); err != nil {
				return err
			}
			f, err := export.ParseFormat(format)
			if err != nil {
				return cmdutil.OutputError(format, export.Formats()...)
			}
			opts.Format = f
			if opts.Region != "" && !slices.Contains(export.ShellFormats(), f) {
				return cmdutil.FlagErrorf("--region sets AWS_REGION and AWS_DEFAULT_REGION, which only the shell formats hold (%s), not --output %s", export.FormatList(export.ShellFormats()...), f)
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "profile to export (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVarP(&format, "output", "o", string(export.FormatProcess), "output format: "+export.FormatList(export.Formats()...))
	cmd.Flags().StringVar(&opts.Region, "region", "", "also set AWS_REGION and AWS_DEFAULT_REGION to this region (shell formats)")
	oldFormat.AddTo(cmd.Flags())
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	// The guard comes first, as in the AWS CLI: a loop must stop before it
	// reads any file or calls any service.
	profile := config.SelectProfile(opts.Profile, opts.Getenv)
	if _, err := export.CheckProfileChain(opts.Getenv(export.ProfileChainEnv), profile); err != nil {
		return err
	}
	c, err := opts.Factory.Credentials(opts.Profile)
	if err != nil {
		return err
	}
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return err
	}
	return export.Write(opts.IO.Out, creds, opts.Format, func(o *export.WriteOptions) { o.Region = opts.Region })
}
