package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/redact"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Main runs ssokit with the process's arguments and returns the exit code.
//
// SIGTERM (kill, a service manager, a CI job's timeout) and SIGHUP (the
// terminal closed) stop ssokit as Ctrl-C does: the context is cancelled, a
// file being written is finished or removed, and the exit code is 2. A
// second signal ends the process at once; the temp file of a write it cuts
// short is removed by the next write in that folder. A signal that comes
// once the command is done changes nothing: the handler stays until the
// process exits.
func Main() int {
	f := cmdutil.New()
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return Run(ctx, f, os.Args[1:])
}

// stopSignals are the signals that cancel a command.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Run executes one command line against f and returns the exit code.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	// What was asked for (help, usage, the version, a completion script)
	// is output: `ssokit completion bash > f` and `ssokit --help | less`
	// must work. Errors stay on stderr.
	root.SetOut(f.IOStreams.Out)
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
	switch {
	case errors.As(err, &codeErr):
		if codeErr.Err != nil {
			fmt.Fprintf(w, "ssokit: %s\n", codeErr.Err)
		}
		return codeErr.Code
	case errors.Is(err, cmdutil.ErrSilent):
		return cmdutil.ExitError
	case errors.Is(err, cmdutil.ErrCancel), errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "cancelled")
		return cmdutil.ExitUsage
	}
	if signIn, ok := cmdutil.SignInCommand(err); ok {
		fmt.Fprintf(w, "ssokit: %s\nTo sign in, run: %s\n", err, signIn)
		return cmdutil.ExitNeedsSignIn
	}
	fmt.Fprintf(w, "ssokit: %s\n", err)
	if h := hint(err, f.Shell()); h != "" {
		fmt.Fprintln(w, h)
	}
	if errors.As(err, &flagErr) || isCobraUsageError(err) {
		// A profile or sso-session named wrong is fixed by another name,
		// which the hint and the error give, not by the command's flags.
		if cmd != nil && !cmdutil.MisnamedError(err) {
			fmt.Fprintf(w, "Run `%s --help` for usage.\n", cmd.CommandPath())
		}
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitError
}

// hint is what to do about err with ssokit's own commands, or "", with
// shell commands in shell's syntax. The library packages report facts; the
// advice is added here, once.
func hint(err error, shell export.Format) string {
	var (
		notFound    *config.ProfileNotFoundError
		notSSO      *config.NotSSOProfileError
		parse       *config.ParseError
		notAssigned *credentials.RoleNotAssignedError
		noRole      *credentials.NoRoleError
		listen      *login.ListenError
		incomplete  *login.IncompleteError
		unsupported *config.UnsupportedSourceError
		assumeRole  *credentials.AssumeRoleError
		needMFA     *credentials.MFACodeRequiredError
		keyring     *tokencache.KeyringError
		storageEnv  *config.TokenStorageEnvError
	)
	switch {
	case errors.As(err, &notFound) && notFound.NearMiss == nil:
		return profileHint(shell, notFound.Profile, notFound.Source, notFound.Similar,
			"Run `ssokit profiles` to list the profiles, or add one with `ssokit configure sso`.")
	case errors.As(err, &notSSO):
		return profileHint(shell, notSSO.Profile, notSSO.Source, nil,
			"Choose an SSO profile (`ssokit profiles` lists them), or add one with `ssokit configure sso`.")
	case errors.As(err, &parse) && len(parse.Problems) > 1:
		return "Run `ssokit doctor` to list every problem."
	case errors.As(err, &notAssigned), errors.As(err, &noRole):
		return "`ssokit accounts` lists the accounts and roles you can use."
	case errors.As(err, &listen) && listen.Setting != "":
		return fmt.Sprintf("Free port %d, change ssokit_callback_port in [sso-session %s] (or remove it to use any free port), or sign in with --use-device-code.", listen.Port, hintQuote(listen.Session))
	case errors.As(err, &listen):
		return "Choose another --port, or sign in with --use-device-code."
	case errors.As(err, &incomplete):
		return "Run `ssokit configure sso` to set them."
	case errors.As(err, &unsupported):
		return "ssokit starts role chains from SSO credentials only: point the chain's last source_profile at an SSO profile (`ssokit profiles` shows the chains), or use the AWS CLI for this profile."
	case errors.As(err, &assumeRole) && assumeRole.Denied():
		return "The role's trust policy must allow the role before it in the chain, with the external_id and MFA code it asks for; `ssokit profiles` shows the chain."
	case errors.As(err, &keyring):
		return fmt.Sprintf("SSO session %s keeps its refresh token in the OS keyring (%s = keyring). Unlock the keyring or start it (on Linux: a Secret Service such as GNOME Keyring or KWallet on the D-Bus session bus), or keep the secrets in ~/.aws/sso/cache instead: set %s = file in [sso-session %s] (and unset %s if it says keyring).",
			hintQuote(keyring.Key), config.KeySSOKitTokenStorage, config.KeySSOKitTokenStorage, hintQuote(keyring.Key), config.EnvTokenStorage)
	case errors.As(err, &storageEnv):
		return fmt.Sprintf("Set %s to file or keyring, or unset it.", config.EnvTokenStorage)
	case errors.As(err, &needMFA):
		return fmt.Sprintf("In a terminal, run `ssokit export --profile %s` once to enter the code: the credentials it caches serve the next runs for up to an hour.", cmdutil.ShellQuote(needMFA.Profile))
	}
	return ""
}

// hintQuote quotes a name for a hint as a shell would take it, or, when it
// is too long to be useful there, cut short as every message cuts values.
func hintQuote(s string) string {
	if utf8.RuneCountInString(s) > redact.MaxQuoted {
		return redact.Quote(s)
	}
	return cmdutil.ShellQuote(s)
}

// profileHint says what to do about a profile that cannot be used: the
// names it was probably meant to be, where the name came from when that
// was not the command line, and otherwise what.
func profileHint(shell export.Format, profile string, source config.ProfileSource, similar []string, otherwise string) string {
	var lines []string
	if len(similar) > 0 {
		quoted := make([]string, len(similar))
		for i, s := range similar {
			quoted[i] = hintQuote(s)
		}
		lines = append(lines, "Did you mean "+strings.Join(quoted, " or ")+"?")
	}
	switch source {
	case config.SourceEnvProfile, config.SourceEnvDefaultProfile:
		lines = append(lines, fmt.Sprintf("%s=%s is set in your environment: set it to another profile, unset it (%s), or name one with --profile.",
			source, hintQuote(profile), export.UnsetCommand(shell, string(source))))
	case config.SourceDefault:
		lines = append(lines, "Name a profile with --profile or AWS_PROFILE, or add a [default] profile.")
	}
	if len(similar) == 0 {
		lines = append(lines, otherwise)
	}
	return strings.Join(lines, "\n")
}

// isCobraUsageError recognises cobra's own usage errors, which are plain
// errors: an unknown command or a wrong number of arguments.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") ||
		strings.Contains(msg, " arg(s), received ") ||
		strings.HasPrefix(msg, "invalid argument ")
}
