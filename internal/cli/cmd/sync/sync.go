package sync

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/fileutil"
)

// Options are the dependencies and flags of `ssokit sync`.
type Options struct {
	IO  *iostreams.IOStreams
	Now func() time.Time
	// Factory supplies the config files, the caches and the endpoints.
	Factory *cmdutil.Factory

	// Profiles to write; none means the one the environment picks.
	Profiles []string
	// As is the credentials-file section to write, when it is not the
	// profile's own name; only with one profile.
	As string
	// Force overwrites sections that hold SSO settings or long-term keys.
	Force bool
}

// NewCmd builds `ssokit sync`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Now:     f.Now,
		Factory: f,
	}
	cmd := &cobra.Command{
		Use:   "sync [--profile NAME]... [--as SECTION] [--force]",
		Short: "Write a profile's short-term credentials into the credentials file",
		Long: `Write the temporary role credentials of SSO profiles (or of assume-role
profiles whose source_profile chain ends in one) into the shared
credentials file (~/.aws/credentials, or $AWS_SHARED_CREDENTIALS_FILE), for
tools that cannot use SSO or credential_process.

Each profile is written to the section of the same name, or to --as SECTION:
aws_access_key_id, aws_secret_access_key and aws_session_token are set and
every other line of the file stays as it was. The credentials expire (in an
hour, typically); the same ssokit sync command renews them.

A section that holds SSO settings or long-term access keys is left alone
unless you add --force.`,
		Example: `  ssokit sync --profile dev
  ssokit sync --profile dev --profile prod
  ssokit sync --profile dev --as legacy-tool`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.As != "" {
				if len(opts.Profiles) > 1 {
					return cmdutil.FlagErrorf("--as names one section: use it with a single --profile")
				}
				if err := checkSectionName(opts.As); err != nil {
					return &cmdutil.FlagError{Err: fmt.Errorf("--as: %w", err)}
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Profiles, "profile", "p", nil, "profile to write; repeat for several (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVar(&opts.As, "as", "", "credentials-file section to write (default: the profile's name)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite a section that holds SSO settings or long-term keys")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	cfg, err := opts.Factory.Config()
	if err != nil {
		return err
	}
	paths := cfg.Paths()
	// A credentials file that cannot be written (a link to nowhere, a
	// folder that takes no files) is found before any portal call.
	if err := fileutil.CheckWritable(paths.Credentials); err != nil {
		return err
	}
	profiles := opts.Profiles
	if len(profiles) == 0 {
		profiles = []string{""}
	}
	// Resolve every profile before writing any, so a typo in the last one
	// leaves the file untouched.
	resolved := make([]*cmdutil.Credentials, 0, len(profiles))
	for _, p := range profiles {
		c, err := opts.Factory.Credentials(p)
		if err != nil {
			return err
		}
		resolved = append(resolved, c)
	}
	for _, c := range resolved {
		creds, err := c.Provider.Retrieve(ctx)
		if err != nil {
			return err
		}
		section := opts.As
		if section == "" {
			section = c.Profile()
		}
		err = config.Edit(ctx, paths.Credentials, func(f *config.File) error {
			return writeSection(f, section, creds, opts.Force)
		})
		if err != nil {
			return err
		}
		msg := fmt.Sprintf("Wrote the credentials of profile %s to [%s] in %s", c.Profile(), section, paths.Credentials)
		if creds.CanExpire {
			msg += fmt.Sprintf(", valid until %s (%s from now); to renew them, run: %s",
				creds.Expires.Local().Format("15:04"), roughly(creds.Expires.Sub(opts.Now())), renewCommand(opts, c.Profile()))
		}
		opts.IO.ErrPrintf("%s.\n", msg)
	}
	return nil
}

// renewCommand is the command that writes profile's credentials again,
// into the same section.
func renewCommand(opts *Options, profile string) string {
	cmd := "ssokit sync --profile " + cmdutil.ShellQuote(profile)
	if opts.As != "" {
		cmd += " --as " + cmdutil.ShellQuote(opts.As)
	}
	if opts.Force {
		cmd += " --force"
	}
	return cmd
}

// roughly says d in hours and minutes: "1h", "59m", "2h 5m".
func roughly(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	default:
		return fmt.Sprintf("%dh %dm", h, m)
	}
}
