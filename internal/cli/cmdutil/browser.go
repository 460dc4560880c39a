package cmdutil

import (
	"runtime"
)

// NoBrowserError means no browser can be opened on this machine.
type NoBrowserError struct {
	// Reason says why, e.g. "this is an SSH session".
	Reason string
}

func (e *NoBrowserError) Error() string { return "no browser can be opened here (" + e.Reason + ")" }

// BrowserUnavailable returns a *NoBrowserError when no browser can work on
// this machine (SSH, no display), and nil when one may.
func (f *Factory) BrowserUnavailable() error {
	if why := noBrowserReason(f.Getenv, runtime.GOOS); why != "" {
		return &NoBrowserError{Reason: why}
	}
	return nil
}

// OpenBrowser is how every command opens a page for the person: not at all
// where no browser can work (a *NoBrowserError), else with f.Browser, which
// keeps the browser helper's output off the terminal. Sign-ins choose
// their flow with the same test first (SignInOptions).
func (f *Factory) OpenBrowser(url string) error {
	if err := f.BrowserUnavailable(); err != nil {
		return err
	}
	return f.Browser.Open(url)
}

// opener makes a function a login.Opener.
type opener func(url string) error

func (o opener) Open(url string) error { return o(url) }

// noBrowserReason explains why no browser can open on this machine, or
// returns "". An explicit BROWSER is trusted: the person chose it.
func noBrowserReason(getenv func(string) string, goos string) string {
	if getenv("BROWSER") != "" {
		return ""
	}
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" {
		return "this is an SSH session"
	}
	switch goos {
	case "darwin", "windows", "ios", "android":
		return ""
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "no graphical display: DISPLAY and WAYLAND_DISPLAY are not set"
	}
	return ""
}
