//go:build !windows

package configure

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/ptyterm"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// TestWizardInATerminal runs the built binary in a pseudo-terminal against
// the emulator, types the answers as a person would (filtering the account
// list by typing), and checks the config file written.
func TestWizardInATerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, autoApprove)
	home := tempdir.New(t)
	cmd := exec.Command(bin, "configure", "sso", "--use-device-code")
	cmd.Env = append([]string{
		"HOME=" + home,
		"USERPROFILE=" + home,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"BROWSER=true", // the emulator approves by itself; open nothing
	}, srv.Env()...)
	term := ptyterm.Start(t, cmd)

	term.Expect(t, "SSO session name")
	term.Type(t, "corp\r")
	term.Expect(t, "SSO start URL")
	term.Type(t, srv.StartURL+"\r")
	term.Expect(t, "SSO region")
	term.Type(t, srv.Region+"\r")
	term.Expect(t, "SSO registration scopes")
	term.Type(t, "\r") // the default, sso:account:access
	term.Expect(t, "Where to keep the refresh token")
	term.Type(t, "\r") // the default, file
	term.Expect(t, "Choose an account")
	term.Expect(t, "production (444455556666")
	term.Type(t, "develop")
	time.Sleep(100 * time.Millisecond)
	term.Type(t, "\r")
	term.Expect(t, "Choose a role in development")
	term.Type(t, "Power\r")
	term.Expect(t, "Default client region")
	term.Type(t, "eu-west-1\r")
	term.Expect(t, "Default output format")
	term.Type(t, "\r") // json
	term.Expect(t, "Profile name")
	term.Type(t, "\r") // the suggestion
	term.Expect(t, `Wrote profile "PowerUserAccess-111122223333"`)

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("ssokit exited with %v; the terminal shows:\n%s", err, term.Text())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssokit did not exit; the terminal shows:\n%s", term.Text())
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
	home := tempdir.New(t)
	cmd := exec.Command(bin, "configure", "sso")
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "BROWSER=true"}, srv.Env()...)
	term := ptyterm.Start(t, cmd)
	term.Expect(t, "SSO session name")
	term.Type(t, "\x03")

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("ssokit exited with %v, want exit code 2; the terminal shows:\n%s", err, term.Text())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("ssokit did not exit; the terminal shows:\n%s", term.Text())
	}
	term.Expect(t, "cancelled")
	if _, err := os.Stat(filepath.Join(home, ".aws", "config")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a config file was written after cancelling: %v", err)
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
			home := tempdir.New(t)
			cmd := exec.Command(bin, "configure", "sso")
			cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb", "BROWSER=true"}, srv.Env()...)
			term := ptyterm.Start(t, cmd)
			term.Expect(t, "SSO session name: ")
			term.Type(t, "\r")
			term.Expect(t, "Enter a name for the SSO session, e.g. my-sso\r\n")
			term.Expect(t, "SSO session name: ")
			term.Type(t, tt.key)
			if code := term.Wait(t); code != 2 {
				t.Fatalf("exit code %d, want 2; the terminal shows:\n%s", code, term.Text())
			}
			term.Expect(t, "cancelled")
			if strings.Contains(term.Text(), `""`) || strings.Count(term.Text(), "SSO session name: ") != 2 {
				t.Errorf("the terminal shows:\n%s", term.Text())
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
	home := tempdir.New(t)
	cmd := exec.Command(bin, "configure", "sso", "--use-device-code")
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb", "BROWSER=true"}, srv.Env()...)
	term := ptyterm.Start(t, cmd)
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
		term.Expect(t, step.prompt)
		if strings.HasSuffix(step.prompt, ": ") {
			term.Type(t, step.answer+"\r")
		} else if step.answer != "" {
			term.Expect(t, ": ")
			term.Type(t, step.answer+"\r")
		}
	}
	term.Expect(t, `Wrote profile "PowerUserAccess-111122223333"`)
	if code := term.Wait(t); code != 0 {
		t.Fatalf("exit code %d; the terminal shows:\n%s", code, term.Text())
	}
	got, err := os.ReadFile(filepath.Join(home, ".aws", "config"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "[profile PowerUserAccess-111122223333]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = PowerUserAccess\nregion = eu-west-1\noutput = json\n") {
		t.Errorf("config file:\n%s", got)
	}
}
