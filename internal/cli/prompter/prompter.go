package prompter

import (
	"errors"
	"io"
)

// ErrCancelled is returned when the user aborts a prompt (Ctrl-C, Esc).
var ErrCancelled = errors.New("cancelled")

// Prompter asks one question at a time on the terminal.
type Prompter interface {
	// Input asks for a line of text; def is offered as the default answer.
	Input(prompt, def string) (string, error)
	// Select asks to choose one of options (filterable by typing) and
	// returns its index.
	Select(prompt string, options []string, def int) (int, error)
	// Confirm asks a yes/no question.
	Confirm(prompt string, def bool) (bool, error)
}

// New returns the terminal prompter reading in and drawing on out.
func New(in io.Reader, out io.Writer) Prompter {
	return &huhPrompter{in: in, out: out}
}
