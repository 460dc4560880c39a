package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// Main runs ssokit with the process's arguments and returns the exit code.
func Main() int {
	f := cmdutil.New()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Run(ctx, f, os.Args[1:])
}

// Run executes one command line against f and returns the exit code.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.ErrOut) // help and usage are for a person: stderr
	root.SetErr(f.IOStreams.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	f.IOStreams.StopSpinner()
	return exitCode(f, cmd, err)
}

func exitCode(f *cmdutil.Factory, cmd *cobra.Command, err error) int {
	if err == nil {
		return cmdutil.ExitOK
	}
	w := f.IOStreams.ErrOut
	var codeErr *cmdutil.ExitCodeError
	var flagErr *cmdutil.FlagError
	var signIn cmdutil.SignInRequired
	switch {
	case errors.As(err, &codeErr):
		return codeErr.Code
	case errors.Is(err, cmdutil.ErrSilent):
		return cmdutil.ExitError
	case errors.Is(err, cmdutil.ErrCancel), errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "cancelled")
		return cmdutil.ExitUsage
	case errors.As(err, &signIn):
		fmt.Fprintf(w, "ssokit: %s\nTo sign in, run: %s\n", err, signIn.SignInCommand())
		return cmdutil.ExitNeedsSignIn
	case errors.As(err, &flagErr), isCobraUsageError(err):
		fmt.Fprintf(w, "ssokit: %s\n", err)
		if cmd != nil {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return cmdutil.ExitUsage
	default:
		fmt.Fprintf(w, "ssokit: %s\n", err)
		return cmdutil.ExitError
	}
}

// isCobraUsageError recognises cobra's own usage errors, which are plain
// errors: an unknown command or a wrong number of arguments.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") ||
		strings.Contains(msg, " arg(s), received ") ||
		strings.HasPrefix(msg, "invalid argument ")
}
