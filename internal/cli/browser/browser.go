package browser

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"

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
}

// Open implements Opener.
func (s System) Open(url string) error {
	if s.BrowserEnv != "" {
		// BROWSER may hold several commands separated by ':' (as xdg and
		// Python's webbrowser read it); the first that starts wins.
		var errs []string
		for _, c := range strings.Split(s.BrowserEnv, string(listSep())) {
			fields := strings.Fields(c)
			if len(fields) == 0 {
				continue
			}
			args := append(fields[1:], url)
			cmd := exec.Command(fields[0], args...)
			cmd.Stdout, cmd.Stderr = s.Stdout, s.Stderr
			if err := cmd.Start(); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			go func() { _ = cmd.Wait() }()
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

func listSep() rune {
	if runtime.GOOS == "windows" {
		return ';'
	}
	return ':'
}
