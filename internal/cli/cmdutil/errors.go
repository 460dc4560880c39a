package cmdutil

import (
	"errors"
	"fmt"

	"github.com/ssokit/ssokit/internal/cli/prompter"
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

// ExitCodeError carries an exact exit code, e.g. the code of a child process
// run by `ssokit exec`. Nothing is printed for it.
type ExitCodeError struct{ Code int }

func (e *ExitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// SignInRequired is implemented by errors that mean the user has to sign in
// (again). SignInCommand returns the exact command to run.
type SignInRequired interface {
	error
	SignInCommand() string
}
