package app

import (
	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/internal/cli/cmd/accounts"
	"github.com/ssokit/ssokit/internal/cli/cmd/configure"
	"github.com/ssokit/ssokit/internal/cli/cmd/console"
	"github.com/ssokit/ssokit/internal/cli/cmd/credentialprocess"
	"github.com/ssokit/ssokit/internal/cli/cmd/demo"
	"github.com/ssokit/ssokit/internal/cli/cmd/doctor"
	"github.com/ssokit/ssokit/internal/cli/cmd/emulator"
	"github.com/ssokit/ssokit/internal/cli/cmd/exec"
	"github.com/ssokit/ssokit/internal/cli/cmd/export"
	"github.com/ssokit/ssokit/internal/cli/cmd/login"
	"github.com/ssokit/ssokit/internal/cli/cmd/logout"
	"github.com/ssokit/ssokit/internal/cli/cmd/populate"
	"github.com/ssokit/ssokit/internal/cli/cmd/profiles"
	"github.com/ssokit/ssokit/internal/cli/cmd/serve"
	"github.com/ssokit/ssokit/internal/cli/cmd/status"
	"github.com/ssokit/ssokit/internal/cli/cmd/sync"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// NewRootCmd builds the command tree. Every command is listed here, once.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "ssokit <command>",
		Short: "Get AWS credentials through AWS IAM Identity Center (AWS SSO)",
		Long: `ssokit signs you in to AWS IAM Identity Center (formerly AWS SSO) and hands
temporary role credentials to the programs you run. It reads and writes the
same ~/.aws/config, ~/.aws/credentials and caches as the AWS CLI and SDKs.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		return cmdutil.CheckFlagLengths(cmd.Flags())
	}

	for _, c := range []*cobra.Command{
		// Commands are added here as they are built.
		login.NewCmd(f, nil),
		logout.NewCmd(f, nil),
		status.NewCmd(f, nil),
		profiles.NewCmd(f, nil),
		doctor.NewCmd(f, nil),
		credentialprocess.NewCmd(f, nil),
		export.NewCmd(f, nil),
		exec.NewCmd(f, nil),
		serve.NewCmd(f, nil),
		sync.NewCmd(f, nil),
		console.NewCmd(f, nil),
		emulator.NewCmd(f, nil),
		configure.NewCmd(f, nil),
		accounts.NewCmd(f, nil),
		populate.NewCmd(f, nil),
		demo.NewCmd(f, Run, nil),
	} {
		root.AddCommand(c)
	}
	return root
}
