package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// ProfileEnv is set in the environment of the command `ssokit exec` runs,
// to the profile's name: shell prompts show it, and an exec inside
// another is caught by it.
const ProfileEnv = "SSOKIT_PROFILE"

// Options are the dependencies and flags of `ssokit exec`.
type Options struct {
	IO *iostreams.IOStreams
	// Environ is the environment the child starts from.
	Environ func() []string
	Getenv  func(string) string
	// Factory supplies the config files, the caches and the endpoints.
	Factory *cmdutil.Factory

	Profile string
	// Region, when set, wins over the environment's and the profile's.
	Region string
	// Server hands the child a container credentials endpoint instead of
	// keys.
	Server bool
	// Command is the program and its arguments.
	Command []string
}

// NewCmd builds `ssokit exec`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Environ: f.Environ,
		Getenv:  f.Getenv,
		Factory: f,
	}
	cmd := &cobra.Command{
		Use:   "exec [--profile NAME] [--region REGION] [--server] -- COMMAND [ARG...]",
		Short: "Run a command with a profile's role credentials",
		Long: `Run COMMAND with the temporary role credentials of an SSO profile, or of
an assume-role profile (role_arn) whose source_profile chain ends in one.

The command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID, and AWS_REGION and
AWS_DEFAULT_REGION. The region is --region, else the one the AWS CLI would
use: AWS_REGION, else AWS_DEFAULT_REGION from your environment, else the
profile's region; without --region, a region variable you set is passed on
as it is. AWS_CREDENTIAL_EXPIRATION is the value ssokit export prints (it
ends in +00:00, as the AWS CLI's). Variables that would make the
command use other credentials (AWS_PROFILE, other keys, container or
web-identity settings) are removed.

With --server the command gets no keys: ssokit serves the credentials on a
loopback endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI with a random
AWS_CONTAINER_AUTHORIZATION_TOKEN) and refreshes them before they expire, so
jobs that run longer than one set of credentials keep working.

The command also gets SSOKIT_PROFILE, set to the profile's name, for your
shell prompt. ssokit exec refuses to run inside another: the outer one's
credentials are already in the environment, and mixing two identities is
rarely meant. Unset SSOKIT_PROFILE to do it anyway.

Signals are passed on to the command and ssokit exits with its exit code;
as in a shell, 127 means the command was not found and 126 that it could not
be run.`,
		Example: `  ssokit exec --profile dev -- aws s3 ls
  ssokit exec -p dev --region eu-west-1 -- aws ec2 describe-instances
  ssokit exec --profile dev --server -- terraform apply`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("no command to run: give one after --, e.g. ssokit exec --profile dev -- aws sts get-caller-identity")
			}
			opts.Command = args
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	// Flags after the command belong to it: ssokit exec -p dev aws s3 ls --recursive.
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "profile whose credentials the command gets (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVar(&opts.Region, "region", "", "region the command gets in AWS_REGION and AWS_DEFAULT_REGION (default: the environment's, then the profile's)")
	cmd.Flags().BoolVar(&opts.Server, "server", false, "serve refreshed credentials on a loopback endpoint instead of passing keys")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	if outer := opts.Getenv(ProfileEnv); outer != "" {
		return fmt.Errorf("already inside `ssokit exec` for profile %s (%s=%s is set), whose credentials this environment holds: leave that command first (exit leaves a shell), or unset %s to run one inside the other",
			outer, ProfileEnv, cmdutil.ShellQuote(outer), ProfileEnv)
	}
	c, err := opts.Factory.Credentials(opts.Profile)
	if err != nil {
		return err
	}
	// Fetch once up front in both modes: a sign-in problem is reported by
	// ssokit before the command starts, not by the command halfway through.
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return err
	}
	// The environment's region, if any, wins over this (export.ExecEnv).
	region := c.Region()

	var env []string
	if opts.Server {
		srv := export.NewContainerServer(c.Provider, func(o *export.ContainerOptions) {
			o.OnError = func(err error) {
				opts.IO.ErrPrintf("ssokit: could not refresh the credentials of profile %s: %v\n", c.Profile(), err)
			}
		})
		// The endpoint must outlive a Ctrl-C: the command may still need
		// credentials while it shuts down.
		ep, err := srv.Serve(context.WithoutCancel(ctx), "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ep.Close()
		env = export.ContainerEnv(opts.Environ(), ep.URL, ep.Token, region)
	} else {
		env = export.ExecEnv(opts.Environ(), creds, region)
	}

	if opts.Region != "" {
		env = export.SetRegion(env, opts.Region)
	}
	env = setEnv(env, ProfileEnv, c.Profile())

	code, err := runChild(opts.Command, env, opts.IO.In, opts.IO.Out, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	if code != 0 {
		return &cmdutil.ExitCodeError{Code: code}
	}
	return nil
}

// setEnv sets name to value in env (KEY=VALUE strings), replacing what env
// has for it.
func setEnv(env []string, name, value string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}
