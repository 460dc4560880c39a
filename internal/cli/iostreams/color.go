package iostreams

// Colour follows https://no-color.org: NO_COLOR set to anything but ""
// turns it off, whatever else is set. Otherwise CLICOLOR_FORCE or
// FORCE_COLOR (set, and not "0") turns it on even when the output is not
// a terminal, e.g. for a pager that shows colour (less -R); and without
// them only a terminal that can show it gets colour: not TERM=dumb.

// ColorWanted decides colour for a stream from the environment read through
// getenv and whether the stream is a terminal.
func ColorWanted(getenv func(string) string, tty bool) bool {
	if getenv("NO_COLOR") != "" {
		return false
	}
	for _, k := range []string{"CLICOLOR_FORCE", "FORCE_COLOR"} {
		if v := getenv(k); v != "" && v != "0" {
			return true
		}
	}
	return tty && getenv("TERM") != "dumb"
}

// ColorEnabled reports whether what is written to Out may be coloured.
func (s *IOStreams) ColorEnabled() bool {
	return s.colorOut && (s.escOut == nil || s.escOut())
}

// SetColorEnabled turns colour on stdout on or off; for tests.
func (s *IOStreams) SetColorEnabled(on bool) { s.colorOut, s.escOut = on, nil }

// ColorScheme is the colours of stdout: each method wraps a string in
// its colour when colour is enabled, and returns it unchanged otherwise.
func (s *IOStreams) ColorScheme() ColorScheme { return ColorScheme{enabled: s.ColorEnabled()} }

// ColorScheme wraps strings in the few colours ssokit uses; its zero value
// colours nothing.
type ColorScheme struct{ enabled bool }

// Red is for what needs attention now (a token about to expire).
func (c ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Yellow is for what will need attention soon.
func (c ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Green is for what is fine.
func (c ColorScheme) Green(s string) string { return c.wrap("32", s) }

func (c ColorScheme) wrap(code, s string) string {
	if !c.enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
