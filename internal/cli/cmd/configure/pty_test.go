//go:build !windows

package configure

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
)

// terminal is the far side of a pseudo-terminal running one program: it
// records what the program draws, answers the terminal queries a real
// terminal would (cursor position, background colour), and types keys.
type terminal struct {
	pty *os.File

	screen syncbuf.Buffer // everything drawn, escape sequences removed
	seen   int            // how much of screen expect has consumed; test goroutine only
	done   chan struct{}
}

var (
	ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])`)
	// Queries some terminal libraries send and wait for.
	cursorQuery = []byte("\x1b[6n")
	bgQuery     = []byte("\x1b]11;?")
)

func startTerminal(t *testing.T, cmd *exec.Cmd) *terminal {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("no pseudo-terminal on this system: %v", err)
	}
	term := &terminal{pty: f, done: make(chan struct{})}
	go term.read()
	t.Cleanup(func() { f.Close() })
	return term
}

func (term *terminal) read() {
	defer close(term.done)
	buf := make([]byte, 4096)
	for {
		n, err := term.pty.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			term.answerQueries(chunk)
			term.screen.Write(ansiRE.ReplaceAll(chunk, nil))
		}
		if err != nil {
			return
		}
	}
}

// answerQueries replies to the queries in chunk in the order they were
// asked, as a terminal does: programs read the replies in that order.
func (term *terminal) answerQueries(chunk []byte) {
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

// expect waits until text appears after what earlier expects consumed.
func (term *terminal) expect(t *testing.T, text string) {
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

// typeKeys types s, a key at a time as a person would.
func (term *terminal) typeKeys(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if _, err := term.pty.Write([]byte(string(r))); err != nil {
			t.Fatalf("type %q: %v", s, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (term *terminal) text() string {
	return term.screen.String()
}

// TestWizardInATerminal runs the built binary in a pseudo-terminal against
// the emulator, types the answers as a person would (filtering the account
// list by typing), and checks the config file written.
func TestWizardInATerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, autoApprove)
	home := t.TempDir()
	cmd := exec.Command(bin, "configure", "sso", "--use-device-code")
	cmd.Env = append([]string{
		"HOME=" + home,
		"USERPROFILE=" + home,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"BROWSER=true", // the emulator approves by itself; open nothing
	}, srv.Env()...)
	term := startTerminal(t, cmd)

	term.expect(t, "SSO session name")
	term.typeKeys(t, "corp\r")
	term.expect(t, "SSO start URL")
	term.typeKeys(t, srv.StartURL+"\r")
	term.expect(t, "SSO region")
	term.typeKeys(t, srv.Region+"\r")
	term.expect(t, "SSO registration scopes")
	term.typeKeys(t, "\r") // the default, sso:account:access
	term.expect(t, "Where to keep the refresh token")
	term.typeKeys(t, "\r") // the default, file
	term.expect(t, "Choose an account")
	term.expect(t, "production (444455556666")
	term.typeKeys(t, "develop")
	time.Sleep(100 * time.Millisecond)
	term.typeKeys(t, "\r")
	term.expect(t, "Choose a role in development")
	term.typeKeys(t, "Power\r")
	term.expect(t, "Default client region")
	term.typeKeys(t, "eu-west-1\r")
	term.expect(t, "Default output format")
	term.typeKeys(t, "\r") // json
	term.expect(t, "Profile name")
	term.typeKeys(t, "\r") // the suggestion
	term.expect(t, `Wrote profile "PowerUserAccess-111122223333"`)

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("ssokit exited with %v; the terminal shows:\n%s", err, term.text())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssokit did not exit; the terminal shows:\n%s", term.text())
	}

	got, err := os.ReadFile(filepath.Join(home, ".aws", "config"))
	if err != nil {
		t.Fatal(err)
	}
	want := "[sso-session corp]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_registration_scopes = sso:account:access\n\n" +
		"[profile PowerUserAccess-111122223333]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("config file (-want +got):\n%s", diff)
	}
}

// TestWizardCancelledInATerminal presses Ctrl-C at the first question: the
// wizard stops with exit code 2 and writes nothing.
func TestWizardCancelledInATerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, autoApprove)
	home := t.TempDir()
	cmd := exec.Command(bin, "configure", "sso")
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "BROWSER=true"}, srv.Env()...)
	term := startTerminal(t, cmd)
	term.expect(t, "SSO session name")
	term.typeKeys(t, "\x03")

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("ssokit exited with %v, want exit code 2; the terminal shows:\n%s", err, term.text())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssokit did not exit; the terminal shows:\n%s", term.text())
	}
	term.expect(t, "cancelled")
	if _, err := os.Stat(filepath.Join(home, ".aws", "config")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a config file was written after cancelling: %v", err)
	}
}

// waitExit waits for the program in term to end and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd, term *terminal) int {
	t.Helper()
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("wait: %v", err)
		}
		return cmd.ProcessState.ExitCode()
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssokit did not exit; the terminal shows:\n%s", term.text())
		return 0
	}
}

// On a terminal that cannot draw (TERM=dumb, as in Emacs), the wizard asks
// line by line and can be left: Ctrl-C and Ctrl-D cancel with exit code 2
// instead of asking again, and an empty answer is refused in words.
func TestWizardOnADumbTerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, autoApprove)
	for _, tt := range []struct {
		name, key string
	}{
		{"Ctrl-C", "\x03"},
		{"Ctrl-D", "\x04"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			cmd := exec.Command(bin, "configure", "sso")
			cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb", "BROWSER=true"}, srv.Env()...)
			term := startTerminal(t, cmd)
			term.expect(t, "SSO session name: ")
			term.typeKeys(t, "\r")
			term.expect(t, "Enter a name for the SSO session, e.g. my-sso\r\n")
			term.expect(t, "SSO session name: ")
			term.typeKeys(t, tt.key)
			if code := waitExit(t, cmd, term); code != 2 {
				t.Fatalf("exit code %d, want 2; the terminal shows:\n%s", code, term.text())
			}
			term.expect(t, "cancelled")
			if strings.Contains(term.text(), `""`) || strings.Count(term.text(), "SSO session name: ") != 2 {
				t.Errorf("the terminal shows:\n%s", term.text())
			}
			if _, err := os.Stat(filepath.Join(home, ".aws", "config")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a config file was written after cancelling: %v", err)
			}
		})
	}
}

// The whole wizard works line by line on a dumb terminal: a filter that
// matches nothing says so, and the account and role chosen are echoed.
func TestWizardOnADumbTerminalWritesTheProfile(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, autoApprove)
	home := t.TempDir()
	cmd := exec.Command(bin, "configure", "sso", "--use-device-code")
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb", "BROWSER=true"}, srv.Env()...)
	term := startTerminal(t, cmd)
	for _, step := range []struct{ prompt, answer string }{
		{"SSO session name: ", "corp"},
		{"SSO start URL: ", srv.StartURL},
		{"SSO region: ", srv.Region},
		{"SSO registration scopes [sso:account:access]: ", ""},
		{"keyring: in the OS keyring", ""},
		{"Number, or text to narrow the list [1]: ", ""},
		{"Number, or text to narrow the list [1]: ", "staging"},
		{"Nothing matches \"staging\"; try other text, or a number from the list.", "develop"},
		{"Account: development (111122223333)", ""},
		{"Number, or text to narrow the list [1]: ", "Power"},
		{"Role: PowerUserAccess", ""},
		{"Default client region [" + srv.Region + "]: ", "eu-west-1"},
		{"Number, or text to narrow the list [1]: ", ""},
		{"Profile name [PowerUserAccess-111122223333]: ", ""},
	} {
		term.expect(t, step.prompt)
		if strings.HasSuffix(step.prompt, ": ") {
			term.typeKeys(t, step.answer+"\r")
		} else if step.answer != "" {
			term.expect(t, ": ")
			term.typeKeys(t, step.answer+"\r")
		}
	}
	term.expect(t, `Wrote profile "PowerUserAccess-111122223333"`)
	if code := waitExit(t, cmd, term); code != 0 {
		t.Fatalf("exit code %d; the terminal shows:\n%s", code, term.text())
	}
	got, err := os.ReadFile(filepath.Join(home, ".aws", "config"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "[profile PowerUserAccess-111122223333]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n") {
		t.Errorf("config file:\n%s", got)
	}
}
