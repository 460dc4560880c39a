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
	err := p.run(huh.NewSelect[int]().Title(prompt).Options(opts...).Filtering(true).Height(12).Value(&v))
	return v, err
}

func (p *huhPrompter) Confirm(prompt string, def bool) (bool, error) {
	v := def
	err := p.run(huh.NewConfirm().Title(prompt).Value(&v))
	return v, err
}
