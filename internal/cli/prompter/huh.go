package prompter

import (
	"errors"
	"io"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
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
// field takes the default. A refused answer keeps the field open with the
// reason under it, replaced at each try.
func (p *huhPrompter) Input(prompt, def string, check func(string) error) (string, error) {
	var v string
	answer := func(s string) string {
		if s = strings.TrimSpace(s); s == "" {
			return def
		}
		return s
	}
	in := huh.NewInput().Title(prompt).Placeholder(def).Value(&v)
	if check != nil {
		in = in.Validate(func(s string) error { return check(answer(s)) })
	}
	err := p.run(in)
	return answer(v), err
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
	err := p.run(filteredSelect{sel})
	return v, err
}

func (p *huhPrompter) Confirm(prompt string, def bool) (bool, error) {
	v := def
	err := p.run(huh.NewConfirm().Title(prompt).Value(&v))
	return v, err
}

// noMatch is shown under a filter that matches no option.
const noMatch = "Nothing matches the filter: Backspace to change it, Esc to clear it."

// filteredSelect is a huh select that says so when its filter matches no
// option, where huh shows an empty list.
type filteredSelect struct{ *huh.Select[int] }

func (s filteredSelect) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := s.Select.Update(msg)
	return s, cmd
}

func (s filteredSelect) View() string {
	v := s.Select.View()
	if _, ok := s.Hovered(); !ok {
		v = noMatch + "\n" + v
	}
	return v
}
