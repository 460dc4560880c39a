package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/login"

	"github.com/ssokit/ssokit/internal/cli/prompter"
	"github.com/ssokit/ssokit/internal/redact"
)

// Exit codes, mapped from errors by internal/cli/app.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2 // bad flags or arguments, or cancelled by the user
	ExitNeedsSignIn = 3 // the SSO session is missing or expired
)

// ErrCancel means the user cancelled (Ctrl-C or declined a prompt).
var ErrCancel = prompter.ErrCancelled

// ErrSilent means the command already told the user what went wrong and
// only the exit code is left to set.
var ErrSilent = errors.New("silent error")

// FlagError is a usage mistake: bad or missing flags or arguments.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, a ...any) error {
	return &FlagError{Err: fmt.Errorf(format, a...)}
}

// OutputError is the usage error for an -o/--output value the command does
// not have, in the same words for every command, listing those it has.
func OutputError[F ~string](value string, formats ...F) error {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return FlagErrorf("--output %s: use one of %s", redact.Quote(value), strings.Join(names, ", "))
}

// ExitCodeError carries an exact exit code, e.g. the code of a child process
// run by `ssokit exec`. Nothing is printed for it unless Err says why, as
// when the command cannot be found (127) or run (126).
type ExitCodeError struct {
	Code int
	Err  error
}

func (e *ExitCodeError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

func (e *ExitCodeError) Unwrap() error { return e.Err }

// Exit codes of a command that could not be started, as a shell reports
// them.
const (
	ExitCannotRun = 126 // found, but not executable
	ExitNotFound  = 127 // no such command
)

// SignInCommand returns the exact command that signs in again when err
// means the user has to sign in (a *login.SignInRequiredError in its
// chain), naming the profile or the sso-session it is about.
func SignInCommand(err error) (string, bool) {
	var need *login.SignInRequiredError
	if !errors.As(err, &need) {
		return "", false
	}
	if need.Profile != "" {
		return "ssokit login --profile " + ShellQuote(need.Profile), true
	}
	return "ssokit login --sso-session " + ShellQuote(need.Session), true
}

// ShellQuote leaves plain words alone and single-quotes anything a shell
// would split or expand, so that a command in a hint can be pasted as is
// (PowerShell reads such a word alike unless it holds a quote).
func ShellQuote(s string) string { return export.Quote(export.FormatEnv, s) }
