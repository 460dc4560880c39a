//go:build !windows

package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/ptyterm"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// A command that asks nothing does not query the terminal: on a terminal
// that never answers (a serial console, an expect script, some CI
// pseudo-terminals) a query would hold every command until it timed out,
// and over a slow link it costs a round trip. Only a prompt may ask the
// terminal about itself.
func TestCommandsDoNotQueryTheTerminal(t *testing.T) {
	bin := buildSSOKit(t)
	home := tempdir.New(t)
	queries := map[string]string{
		"background colour": "\x1b]11;?",
		"cursor position":   "\x1b[6n",
	}
	for _, args := range [][]string{{"--version"}, {"status"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{"HOME=" + home, "USERPROFILE=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color"}
			start := time.Now()
			term := ptyterm.StartMute(t, cmd)
			code := term.Wait(t)
			took := time.Since(start)
			if code != 0 {
				t.Errorf("exit code %d; the terminal shows:\n%s", code, term.Text())
			}
			// Waiting for an answer takes 5 s before giving up; a start
			// without a query takes a fraction of a second, and stays
			// well under 4 s on a loaded machine.
			if took > 4*time.Second {
				t.Errorf("took %s on a terminal that answers nothing", took.Round(time.Millisecond))
			}
			for name, q := range queries {
				if strings.Contains(term.Raw(), q) {
					t.Errorf("asked the terminal its %s (%q); drawn: %q", name, q, term.Raw())
				}
			}
		})
	}
}
