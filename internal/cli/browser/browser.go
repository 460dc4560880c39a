package browser

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"

	clibrowser "github.com/cli/browser"
)

// Opener opens a URL for a person to see.
type Opener interface {
	Open(url string) error
}

// System opens URLs with the command named by the BROWSER environment
// variable when set, and the operating system's default browser otherwise.
type System struct {
	// BrowserEnv is the value of $BROWSER.
	BrowserEnv string
	// Stdout and Stderr receive the browser command's output, so it never
	// lands on our stdout.
	Stdout, Stderr io.Writer

	// grace replaces failGrace in tests.
	grace time.Duration
}

// failGrace is how long Open waits for a BROWSER command to fail. One that
// cannot show the page (not installed, no display, a script whose request
// for the page failed) exits with an error at once; Open then reports it,
// so that a sign-in goes another way instead of waiting for an answer
// from a page nobody sees. A browser still running after it is fine.
const failGrace = 2 * time.Second

// Open implements Opener.
func (s System) Open(url string) error {
	if s.BrowserEnv != "" {
		// BROWSER may hold several commands separated by ':' (as xdg and
		// Python's webbrowser read it); the first that works wins.
		var errs []string
		for _, c := range strings.Split(s.BrowserEnv, string(listSep())) {
			fields := strings.Fields(c)
			if len(fields) == 0 {
				continue
			}
			if err := s.run(fields, url); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			return nil
		}
		return fmt.Errorf("open browser with BROWSER=%q: %s", s.BrowserEnv, strings.Join(errs, "; "))
	}
	clibrowser.Stdout, clibrowser.Stderr = s.Stdout, s.Stderr
	if err := clibrowser.OpenURL(url); err != nil {
		return fmt.Errorf("open browser: %w", err)
	}
	return nil
}

// run starts the command with url and waits up to the grace period for it
// to fail; a command still running then is left to itself.
func (s System) run(fields []string, url string) error {
	cmd := exec.Command(fields[0], append(fields[1:], url)...)
	cmd.Stdout, cmd.Stderr = s.Stdout, s.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	grace := s.grace
	if grace <= 0 {
		grace = failGrace
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case err := <-exited:
		if err != nil {
			return fmt.Errorf("%s: %w", fields[0], err)
		}
	case <-t.C:
	}
	return nil
}

func listSep() rune {
	if runtime.GOOS == "windows" {
		return ';'
	}
	return ':'
}
