//go:build !windows

package prompter

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
)

// fakeTerminal is the far side of a pseudo-terminal: it answers the
// queries a real terminal would (cursor position, background colour) and
// types keys once the prompter has drawn its question.
type fakeTerminal struct {
	master, tty *os.File
	// background is the colour reported when asked; with "" the terminal
	// answers no query.
	background string

	screen syncbuf.Buffer
}

// newFakeTerminal is a terminal with a black background.
func newFakeTerminal(t *testing.T) *fakeTerminal {
	t.Helper()
	return openFakeTerminal(t, "rgb:0000/0000/0000")
}

func openFakeTerminal(t *testing.T, background string) *fakeTerminal {
	t.Helper()
	if testing.Short() {
		t.Skip("drives a pseudo-terminal; skipped with -short")
	}
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal on this system: %v", err)
	}
	if err := pty.Setsize(master, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	ft := &fakeTerminal{master: master, tty: tty, background: background}
	go ft.read()
	t.Cleanup(func() { tty.Close(); master.Close() })
	return ft
}

var (
	cursorQuery = []byte("\x1b[6n")
	bgQuery     = []byte("\x1b]11;?")
)

func (ft *fakeTerminal) read() {
	buf := make([]byte, 4096)
	for {
		n, err := ft.master.Read(buf)
		chunk := buf[:n]
		// Reply in the order asked, as terminals do.
		for rest := chunk; len(rest) > 0 && ft.background != ""; {
			c, b := bytes.Index(rest, cursorQuery), bytes.Index(rest, bgQuery)
			if c < 0 && b < 0 {
				break
			}
			if b < 0 || (c >= 0 && c < b) {
				ft.master.Write([]byte("\x1b[1;1R"))
				rest = rest[c+len(cursorQuery):]
			} else {
				ft.master.Write([]byte("\x1b]11;" + ft.background + "\x1b\\"))
				rest = rest[b+len(bgQuery):]
			}
		}
		ft.screen.Write(chunk)
		if err != nil {
			return
		}
	}
}

// typeAfter waits for text on the screen, then types keys.
func (ft *fakeTerminal) typeAfter(t *testing.T, text, keys string) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if strings.Contains(ft.screen.String(), text) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%q never appeared on the terminal", text)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	// One key per write; an escape sequence (an arrow key) is one key.
	for k := keys; k != ""; {
		n := len(string([]rune(k)[0]))
		if k[0] == '\x1b' && len(k) >= 3 {
			n = 3
		}
		ft.master.Write([]byte(k[:n]))
		k = k[n:]
		time.Sleep(5 * time.Millisecond)
	}
}

func TestHuhPrompter(t *testing.T) {
	tests := []struct {
		name     string
		question string // what appears on the screen before typing
		keys     string
		ask      func(p Prompter) (any, error)
		want     any
		wantErr  error
	}{
		{"typing replaces the default of an input", "Default client region", "eu-west-1\r", func(p Prompter) (any, error) {
			return p.Input("Default client region", "us-east-1", nil)
		}, "eu-west-1", nil},
		{"enter on an empty input takes the default", "Default client region", "\r", func(p Prompter) (any, error) {
			return p.Input("Default client region", "us-east-1", nil)
		}, "us-east-1", nil},
		{"typing filters a select and enter picks the first match", "Choose an account", "prod\r", func(p Prompter) (any, error) {
			return p.Select("Choose an account", []string{"dev (1)", "sandbox (2)", "production (3)"}, 0)
		}, 2, nil},
		{"arrow keys move in a select", "Choose a role", "\x1b[B\x1b[B\r", func(p Prompter) (any, error) {
			return p.Select("Choose a role", []string{"Admin", "PowerUser", "ReadOnly"}, 0)
		}, 2, nil},
		{"y confirms", "Replace it?", "y", func(p Prompter) (any, error) {
			return p.Confirm("Replace it?", false)
		}, true, nil},
		{"ctrl-c cancels", "SSO session name", "\x03", func(p Prompter) (any, error) {
			return p.Input("SSO session name", "", nil)
		}, "", ErrCancelled},
		{"a refused answer keeps the question open with the reason", "Region", "Paris\r\x15eu-west-3\r", func(p Prompter) (any, error) {
			return p.Input("Region", "", func(s string) error {
				if s != "eu-west-3" {
					return errors.New("not an AWS region")
				}
				return nil
			})
		}, "eu-west-3", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFakeTerminal(t)
			p := New(ft.tty, ft.tty, func(string) string { return "xterm-256color" })
			go ft.typeAfter(t, tt.question, tt.keys)
			type result struct {
				v   any
				err error
			}
			done := make(chan result, 1)
			go func() {
				v, err := tt.ask(p)
				done <- result{v, err}
			}()
			select {
			case r := <-done:
				if !errors.Is(r.err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", r.err, tt.wantErr)
				}
				if tt.wantErr == nil && r.v != tt.want {
					t.Errorf("answer = %#v, want %#v", r.v, tt.want)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("the prompt did not return; the terminal shows:\n%q", ft.screen.String())
			}
		})
	}
}

// A filter that matches nothing says so, instead of showing an empty
// list; changing the filter brings the options back.
func TestHuhSelectSaysWhenNothingMatches(t *testing.T) {
	ft := newFakeTerminal(t)
	p := New(ft.tty, ft.tty, func(string) string { return "xterm-256color" })
	done := make(chan int, 1)
	go func() {
		i, _ := p.Select("Choose an account", []string{"dev (1)", "prod (2)"}, 0)
		done <- i
	}()
	ft.typeAfter(t, "Choose an account", "zzz")
	ft.typeAfter(t, "Nothing matches the filter", "\x7f\x7f\x7fprod\r")
	select {
	case i := <-done:
		if i != 1 {
			t.Errorf("chose %d, want 1 (prod)", i)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the select did not return; the terminal shows:\n%q", ft.screen.String())
	}
}

// A reason is drawn under the field, not printed after the form: two
// refusals leave no trail of messages once the answer is taken.
func TestHuhInputReasonIsShownInPlace(t *testing.T) {
	ft := newFakeTerminal(t)
	p := New(ft.tty, ft.tty, func(string) string { return "xterm-256color" })
	done := make(chan error, 1)
	go func() {
		_, err := p.Input("SSO session name", "", func(s string) error {
			if s == "" {
				return errors.New("enter a name for the SSO session")
			}
			return nil
		})
		done <- err
	}()
	ft.typeAfter(t, "SSO session name", "\r")
	ft.typeAfter(t, "enter a name for the SSO session", "corp\r")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the input did not return")
	}
	if strings.Contains(ft.screen.String(), `"": empty`) {
		t.Errorf("the terminal shows an empty answer quoted back:\n%q", ft.screen.String())
	}
}

// Options are drawn in a colour that reads on the terminal's background:
// the form asks for it when it starts, without waiting for the answer, so
// a terminal that never answers gets the question at once, in the colours
// for a dark background.
func TestHuhColoursFollowTheBackground(t *testing.T) {
	t.Setenv("TERM", "xterm-256color") // the colour profile bubbletea draws with
	// dev (1) in a colour, after "> " when it is the one chosen.
	optionColour := regexp.MustCompile(`(> )?\x1b\[38;5;(\d+)mdev \(1\)`)
	for _, tt := range []struct {
		name, background string
		want             string // the 256-colour index of an option not chosen
	}{
		{"a black background", "rgb:0000/0000/0000", "252"},
		{"a white background", "rgb:ffff/ffff/ffff", "235"},
		{"a terminal that answers nothing", "", "252"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ft := openFakeTerminal(t, tt.background)
			p := New(ft.tty, ft.tty, func(string) string { return "xterm-256color" })
			start := time.Now()
			done := make(chan int, 1)
			go func() {
				i, _ := p.Select("Choose an account", []string{"dev (1)", "sandbox (2)"}, 0)
				done <- i
			}()
			ft.typeAfter(t, "sandbox (2)", "")
			// A query that waited for its answer would hold the question
			// for 2 s on a terminal that answers nothing.
			if took := time.Since(start); took > 1500*time.Millisecond {
				t.Errorf("the question took %s to appear", took.Round(time.Millisecond))
			}
			if tt.background != "" {
				ft.typeAfter(t, string(bgQuery), "") // answered as soon as asked
			}
			// Moving down draws dev (1) again as an option not chosen, after
			// the form has read any answer: it comes first on the input.
			drawn := len(ft.screen.String())
			ft.typeAfter(t, "sandbox (2)", "\x1b[B")
			got := ""
			for deadline := time.Now().Add(5 * time.Second); got == "" && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				for _, m := range optionColour.FindAllStringSubmatch(ft.screen.String()[drawn:], -1) {
					if m[1] == "" {
						got = m[2]
						break
					}
				}
			}
			if got != tt.want {
				t.Errorf("option drawn in colour %q, want %s; drawn: %q", got, tt.want, ft.screen.String())
			}
			ft.typeAfter(t, "sandbox (2)", "\r")
			select {
			case i := <-done:
				if i != 1 {
					t.Errorf("chose %d, want 1 (sandbox)", i)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("the select did not return; the terminal shows:\n%q", ft.screen.String())
			}
		})
	}
}
