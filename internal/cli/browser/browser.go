package browser

import (
	"bytes"
	"fmt"
	neturl "net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	clibrowser "github.com/cli/browser"
)

// Opener opens a URL for a person to see.
type Opener interface {
	Open(url string) error
}

// System opens URLs with the command named by the BROWSER environment
// variable when set, and the operating system's default browser otherwise.
//
// What the browser command prints never reaches the terminal: helpers such
// as xdg-open echo the URL they were given, and some URLs (a console
// sign-in) are secrets. When the command fails, its last line is part of
// the error, with the URL taken out.
type System struct {
	// BrowserEnv is the value of $BROWSER.
	BrowserEnv string

	// grace replaces failGrace in tests.
	grace time.Duration
}

// cliBrowser guards the package variables of github.com/cli/browser.
var cliBrowser sync.Mutex

// Open implements Opener.
func (s System) Open(url string) error {
	if s.BrowserEnv != "" {
		// The first command that works wins. One that fails within the
		// grace period is reported, so that a sign-in goes another way
		// instead of waiting for a page nobody sees; one still running then
		// is left to itself: it may be the browser.
		var errs []string
		for _, argv := range browserCommands(s.BrowserEnv, url, listSep(), isFile) {
			if err := s.run(argv); err != nil {
				errs = append(errs, redact(err.Error(), url))
				continue
			}
			return nil
		}
		return fmt.Errorf("open browser with BROWSER=%q: %s", s.BrowserEnv, strings.Join(errs, "; "))
	}

	// A file, not a pipe, collects the helper's output: a browser the
	// helper starts inherits it, and a pipe would keep us waiting until
	// that browser exits.
	out, err := os.CreateTemp("", "ssokit-browser-*.log")
	if err != nil {
		return fmt.Errorf("open browser: %w", err)
	}
	defer func() { out.Close(); os.Remove(out.Name()) }()
	cliBrowser.Lock()
	clibrowser.Stdout, clibrowser.Stderr = out, out
	err = clibrowser.OpenURL(url)
	cliBrowser.Unlock()
	if err != nil {
		said, _ := os.ReadFile(out.Name())
		return helperError(err, said, url)
	}
	return nil
}

// failGrace is how long Open waits for a BROWSER command to fail.
const failGrace = 2 * time.Second

// browserCommands reads BROWSER into the commands to try, in order, each a
// program and its arguments with url in place:
//
//   - a value that is the path of a file is that program, whole, spaces,
//     colons and all (C:\Program Files\Google\Chrome\Application\chrome.exe);
//   - otherwise the value is a list separated by sep (':' on Unix, ';' on
//     Windows), as xdg-utils and Python's webbrowser read it;
//   - each command is split into words at blanks, except inside double or
//     single quotes (no backslash escapes, so Windows paths stay as they
//     are); the longest run of leading words that names a file is the
//     program, so an unquoted path with spaces followed by flags works too;
//   - %s in an argument is replaced by url; without one, url is added last.
func browserCommands(value, url string, sep rune, isFile func(string) bool) [][]string {
	entries := []string{value}
	if !isFile(strings.TrimSpace(value)) {
		entries = strings.Split(value, string(sep))
	}
	var cmds [][]string
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		var words []string
		if isFile(e) {
			words = []string{e}
		} else {
			words = splitWords(e)
			for n := len(words); n > 1; n-- {
				if prog := strings.Join(words[:n], " "); isFile(prog) {
					words = append([]string{prog}, words[n:]...)
					break
				}
			}
		}
		if len(words) == 0 {
			continue
		}
		placed := false
		for i := 1; i < len(words); i++ {
			if strings.Contains(words[i], "%s") {
				words[i] = strings.ReplaceAll(words[i], "%s", url)
				placed = true
			}
		}
		if !placed {
			words = append(words, url)
		}
		cmds = append(cmds, words)
	}
	return cmds
}

// splitWords splits s at blanks outside double and single quotes, which
// group and are removed.
func splitWords(s string) []string {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

// isFile reports whether path names a file (not a folder).
func isFile(path string) bool {
	if path == "" {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// run starts argv and waits up to the grace period for it to fail; its
// output goes nowhere (it could echo the URL).
func (s System) run(argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
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
			return fmt.Errorf("%s: %w", argv[0], err)
		}
	case <-t.C:
	}
	return nil
}

// helperError describes a browser helper that failed: its error and the
// last line it printed, without url.
func helperError(err error, output []byte, url string) error {
	msg := "open browser: " + redact(err.Error(), url)
	lines := strings.Split(strings.TrimSpace(string(bytes.ToValidUTF8(output, nil))), "\n")
	if last := redact(strings.TrimSpace(lines[len(lines)-1]), url); last != "" {
		if r := []rune(last); len(r) > 200 {
			last = string(r[:200]) + "…"
		}
		msg += " (" + last + ")"
	}
	return fmt.Errorf("%s", msg)
}

// redact takes url out of s. When any part of the URL's query (where a
// sign-in token travels) is still there, say in another encoding, s is
// dropped altogether.
func redact(s, url string) string {
	s = strings.ReplaceAll(s, url, "<URL>")
	if u, err := neturl.Parse(url); err == nil && u.RawQuery != "" {
		for _, values := range u.Query() {
			for _, v := range values {
				if len(v) >= 8 && (strings.Contains(s, v) || strings.Contains(s, neturl.QueryEscape(v))) {
					return ""
				}
			}
		}
	}
	return s
}

func listSep() rune {
	if runtime.GOOS == "windows" {
		return ';'
	}
	return ':'
}
