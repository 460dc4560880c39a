package prompter

import (
	"errors"
	"io"
)

// ErrCancelled is returned when the user aborts a prompt: Ctrl-C, Esc, or
// the end of input (Ctrl-D).
var ErrCancelled = errors.New("cancelled")

// Prompter asks one question at a time on the terminal.
type Prompter interface {
	// Input asks for a line of text; def is offered as the default answer.
	// check, when not nil, refuses an answer with the reason to show: the
	// question stays, with the reason in place of the last one.
	Input(prompt, def string, check func(string) error) (string, error)
	// Select asks to choose one of options (filterable by typing) and
	// returns its index.
	Select(prompt string, options []string, def int) (int, error)
	// Confirm asks a yes/no question.
	Confirm(prompt string, def bool) (bool, error)
}

// New returns the terminal prompter reading in and drawing on out. On a
// terminal that cannot move its cursor (TERM=dumb: Emacs shells, screen
// readers) it asks line by line instead of drawing forms.
func New(in io.Reader, out io.Writer, getenv func(string) string) Prompter {
	if getenv("TERM") == "dumb" {
		return newLinePrompter(in, out)
	}
	return &huhPrompter{in: in, out: out}
}
