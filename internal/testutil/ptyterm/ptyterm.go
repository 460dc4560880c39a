//go:build !windows

package ptyterm

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
)

// Terminal is the far side of a pseudo-terminal running one program.
type Terminal struct {
	cmd *exec.Cmd
	pty *os.File

	raw    syncbuf.Buffer // everything drawn, as drawn
	screen syncbuf.Buffer // everything drawn, escape sequences removed
	seen   int            // how much of screen Expect has consumed; test goroutine only
	done   chan struct{}
	mute   bool // answers no query
}

var (
	ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])`)
	// Queries some terminal libraries send and wait for.
	cursorQuery = []byte("\x1b[6n")
	bgQuery     = []byte("\x1b]11;?")
)

// Start runs cmd in a 120×40 pseudo-terminal; the test is skipped where
// the system has none.
func Start(t *testing.T, cmd *exec.Cmd) *Terminal {
	t.Helper()
	return start(t, cmd, false)
}

// StartMute is Start with a terminal that answers no query, as a serial
// console, an expect script or some CI pseudo-terminals: a program that
// waits for an answer waits until it gives up.
func StartMute(t *testing.T, cmd *exec.Cmd) *Terminal {
	t.Helper()
	return start(t, cmd, true)
}

func start(t *testing.T, cmd *exec.Cmd, mute bool) *Terminal {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("no pseudo-terminal on this system: %v", err)
	}
	term := &Terminal{cmd: cmd, pty: f, done: make(chan struct{}), mute: mute}
	go term.read()
	t.Cleanup(func() { f.Close() })
	return term
}

func (term *Terminal) read() {
	defer close(term.done)
	buf := make([]byte, 4096)
	for {
		n, err := term.pty.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			if !term.mute {
				term.answerQueries(chunk)
			}
			term.raw.Write(chunk)
			term.screen.Write(ansiRE.ReplaceAll(chunk, nil))
		}
		if err != nil {
			return
		}
	}
}

// answerQueries replies to the queries in chunk in the order they were
// asked, as a terminal does: programs read the replies in that order.
func (term *Terminal) answerQueries(chunk []byte) {
	for len(chunk) > 0 {
		c, b := bytes.Index(chunk, cursorQuery), bytes.Index(chunk, bgQuery)
		switch {
		case c < 0 && b < 0:
			return
		case b < 0 || (c >= 0 && c < b):
			term.pty.Write([]byte("\x1b[1;1R"))
			chunk = chunk[c+len(cursorQuery):]
		default:
			term.pty.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\"))
			chunk = chunk[b+len(bgQuery):]
		}
	}
}

// Expect waits until text appears after what earlier Expects consumed.
func (term *Terminal) Expect(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		rest := term.screen.String()[term.seen:]
		if i := strings.Index(rest, text); i >= 0 {
			term.seen += i + len(text)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%q did not appear on the terminal; it shows:\n%s", text, term.screen.String()[term.seen:])
}

// Type types s, a key at a time as a person would.
func (term *Terminal) Type(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if _, err := term.pty.Write([]byte(string(r))); err != nil {
			t.Fatalf("type %q: %v", s, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Text is everything drawn so far, without escape sequences.
func (term *Terminal) Text() string { return term.screen.String() }

// Raw is everything drawn so far, escape sequences (colours) included.
func (term *Terminal) Raw() string { return term.raw.String() }

// Wait waits for the program to end and for what it drew to be read, and
// returns its exit code.
func (term *Terminal) Wait(t *testing.T) int {
	t.Helper()
	waitErr := make(chan error, 1)
	go func() { waitErr <- term.cmd.Wait() }()
	select {
	case err := <-waitErr:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("wait: %v", err)
		}
	case <-time.After(15 * time.Second):
		term.cmd.Process.Kill()
		t.Fatalf("the program did not exit; the terminal shows:\n%s", term.Text())
	}
	select {
	case <-term.done:
	case <-time.After(5 * time.Second):
	}
	return term.cmd.ProcessState.ExitCode()
}
