package iostreams

import (
	"bytes"
	"strings"
	"testing"
)

func TestCanRedraw(t *testing.T) {
	tests := []struct {
		name string
		term string
		tty  bool
		want bool
	}{
		{"a terminal redraws", "xterm-256color", true, true},
		{"a terminal without TERM redraws", "", true, true},
		{"a dumb terminal does not", "dumb", true, false},
		{"a pipe does not", "xterm-256color", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "TERM" {
					return tc.term
				}
				return ""
			}
			if got := CanRedraw(getenv, tc.tty); got != tc.want {
				t.Errorf("CanRedraw = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSpinnerOnlyWhereALineCanBeRedrawn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tty, draw bool
	}{
		{"a terminal that redraws shows it", true, true},
		{"a dumb terminal shows nothing", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			ios := &IOStreams{ErrOut: &errOut, stderrTTY: tc.tty, stderrRedraw: tc.draw}
			ios.StartSpinner("Listing your AWS accounts")
			ios.StopSpinner()
			got := errOut.String()
			if tc.draw && !strings.Contains(got, " Listing your AWS accounts") {
				t.Errorf("spinner wrote %q, want its message", got)
			}
			if !tc.draw && got != "" {
				t.Errorf("spinner wrote %q on a terminal that cannot redraw a line, want nothing", got)
			}
		})
	}
}
