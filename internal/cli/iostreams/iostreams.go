package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// IOStreams holds the three standard streams and what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	// stderrRedraw: stderr is a terminal that can redraw a line, for the
	// spinner and progress bars (CanRedraw).
	stderrRedraw bool
	// colorOut: what is written to Out may be coloured (ColorWanted).
	colorOut bool
	// escOut and escErr turn on escape-code handling of the console on
	// stdout and stderr, once, when colour or a redraw first needs it, and
	// report whether it is on; nil where nothing needs turning on.
	escOut, escErr func() bool
	// termWidth measures the terminal on stdout: its columns, or 0.
	termWidth func() int

	mu      sync.Mutex
	spinner *spinner
}

// System returns streams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	stdoutTTY, stderrTTY := isTerminal(os.Stdout), isTerminal(os.Stderr)
	s := &IOStreams{
		In:           os.Stdin,
		Out:          os.Stdout,
		ErrOut:       os.Stderr,
		stdinTTY:     isTerminal(os.Stdin),
		stdoutTTY:    stdoutTTY,
		stderrTTY:    stderrTTY,
		stderrRedraw: CanRedraw(os.Getenv, stderrTTY),
		colorOut:     ColorWanted(os.Getenv, stdoutTTY),
		termWidth: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
	}
	if stdoutTTY {
		s.escOut = sync.OnceValue(func() bool { return enableEscapes(os.Stdout) })
	}
	if stderrTTY {
		s.escErr = sync.OnceValue(func() bool { return enableEscapes(os.Stderr) })
	}
	return s
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams backed by buffers, none of them a terminal.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY marks all three streams as terminals or not; for tests.
func (s *IOStreams) SetTTY(tty bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY, s.stderrRedraw = tty, tty, tty, tty
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanRedrawStderr reports whether stderr is a terminal that can redraw a
// line in place (a spinner, a progress bar).
func (s *IOStreams) CanRedrawStderr() bool {
	return s.stderrRedraw && (s.escErr == nil || s.escErr())
}

// CanRedraw decides whether a stream can show a spinner or a progress bar:
// a terminal that can return to the start of a line and clear it, so not
// TERM=dumb (Emacs shells and the like, which show the control characters
// instead).
func CanRedraw(getenv func(string) string, tty bool) bool {
	return tty && getenv("TERM") != "dumb"
}

// DefaultWidth is the width assumed for a terminal that cannot tell its
// own.
const DefaultWidth = 80

// TerminalWidth is how many columns the terminal on stdout has: its own
// count, else DefaultWidth. Asked when stdout is not a terminal, it is
// DefaultWidth too; callers decide whether to fit output that is not
// shown on a terminal (see IsStdoutTTY).
func (s *IOStreams) TerminalWidth() int {
	if s.stdoutTTY && s.termWidth != nil {
		if w := s.termWidth(); w > 0 {
			return w
		}
	}
	return DefaultWidth
}

// SetTerminalWidth fixes the width TerminalWidth reports on a terminal;
// for tests.
func (s *IOStreams) SetTerminalWidth(w int) { s.termWidth = func() int { return w } }

// CanPrompt reports whether a person can answer questions: stdin and stderr
// are both terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }

// ErrPrintf writes to ErrOut (stderr): messages meant for a person, never data.
// It stops a running spinner first, so the two do not interleave.
func (s *IOStreams) ErrPrintf(format string, a ...any) {
	s.StopSpinner()
	fmt.Fprintf(s.ErrOut, format, a...)
}

// StartSpinner shows msg with a spinner on stderr when it can redraw a line
// (CanRedrawStderr), and does nothing otherwise. A later StartSpinner
// replaces the message.
func (s *IOStreams) StartSpinner(msg string) {
	if !s.CanRedrawStderr() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spinner != nil {
		s.spinner.stop()
	}
	s.spinner = startSpinner(s.ErrOut, msg)
}

// StopSpinner removes the spinner, if any.
func (s *IOStreams) StopSpinner() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spinner != nil {
		s.spinner.stop()
		s.spinner = nil
	}
}

type spinner struct {
	done chan struct{}
	wg   sync.WaitGroup
}

func startSpinner(w io.Writer, msg string) *spinner {
	sp := &spinner{done: make(chan struct{})}
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	sp.wg.Add(1)
	go func() {
		defer sp.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r%s %s", frames[i%len(frames)], msg)
			select {
			case <-sp.done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return sp
}

func (sp *spinner) stop() {
	close(sp.done)
	sp.wg.Wait()
}
