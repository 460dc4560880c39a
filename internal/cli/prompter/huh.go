package prompter

import (
	"errors"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

type huhPrompter struct {
	in  io.Reader
	out io.Writer
}

func (p *huhPrompter) run(field huh.Field) error {
	bg := new(background)
	err := huh.NewForm(huh.NewGroup(askBackground{field, bg})).
		WithTheme(huh.ThemeFunc(bg.theme)).
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

func (s filteredSelect) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
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

// background is what the terminal said of its background colour. Until
// it answers, and if it never does, it is taken to be dark, as most are.
type background struct{ light bool }

// theme is huh's Charm theme for the background, with options drawn in
// light grey on a dark background and dark grey on a light one (huh's
// own theme has the two the other way round, which leaves options nearly
// invisible).
func (bg *background) theme(bool) *huh.Styles {
	s := huh.ThemeCharm(!bg.light)
	fg := lipgloss.LightDark(!bg.light)(lipgloss.Color("235"), lipgloss.Color("252"))
	for _, f := range []*huh.FieldStyles{&s.Focused, &s.Blurred} {
		f.Option = f.Option.Foreground(fg)
		f.UnselectedOption = f.UnselectedOption.Foreground(fg)
	}
	return s
}

// askBackground asks the terminal for its background colour when the
// question is shown. The answer comes while the form runs, and the form
// is drawn again in its colours: a terminal that does not answer delays
// nothing.
type askBackground struct {
	huh.Field
	bg *background
}

func (f askBackground) Focus() tea.Cmd {
	return tea.Batch(f.Field.Focus(), tea.RequestBackgroundColor)
}

func (f askBackground) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	if c, ok := msg.(tea.BackgroundColorMsg); ok {
		f.bg.light = !c.IsDark()
	}
	m, cmd := f.Field.Update(msg)
	if field, ok := m.(huh.Field); ok {
		f.Field = field
	}
	return f, cmd
}
