package prompter

import (
	"errors"
	"io"
	"strings"

	"github.com/charmbracelet/huh"
)

type huhPrompter struct {
	in  io.Reader
	out io.Writer
}

func (p *huhPrompter) run(field huh.Field) error {
	err := huh.NewForm(huh.NewGroup(field)).
		WithInput(p.in).
		WithOutput(p.out).
		WithShowHelp(false).
		Run()
	if errors.Is(err, huh.ErrUserAborted) {
		return ErrCancelled
	}
	return err
}

// Input shows def as a placeholder, not as text in the field: typing then
// replaces the default instead of appending to it, and Enter on an empty
// field takes the default.
func (p *huhPrompter) Input(prompt, def string) (string, error) {
	var v string
	err := p.run(huh.NewInput().Title(prompt).Placeholder(def).Value(&v))
	v = strings.TrimSpace(v)
	if v == "" {
		v = def
	}
	return v, err
}

func (p *huhPrompter) Select(prompt string, options []string, def int) (int, error) {
	opts := make([]huh.Option[int], len(options))
	for i, o := range options {
		opts[i] = huh.NewOption(o, i)
	}
	v := def
	// Filtering is on from the start so typing narrows the list at once;
	// huh then draws the filter where the title was, so the question goes
	// in the description too, which stays in view.
	sel := huh.NewSelect[int]().Title(prompt).Description(prompt).Options(opts...).Filtering(true).Value(&v)
	if len(options) > 10 {
		// Long lists scroll instead of filling the screen.
		sel = sel.Height(14)
	}
	err := p.run(sel)
	return v, err
}

func (p *huhPrompter) Confirm(prompt string, def bool) (bool, error) {
	v := def
	err := p.run(huh.NewConfirm().Title(prompt).Value(&v))
	return v, err
}
