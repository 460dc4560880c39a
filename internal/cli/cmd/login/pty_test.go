//go:build !windows

package login

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/ptyterm"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/tokencache"
)

// In a terminal, drawn forms or line by line (TERM=dumb), login --all asks
// before each sign-in: s skips the first session, Enter signs in to the
// second.
func TestLoginAllAsksInATerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	for _, term := range []string{"xterm-256color", "dumb"} {
		t.Run("TERM="+term, func(t *testing.T) {
			home := t.TempDir()
			config := filepath.Join(home, ".aws", "config")
			if err := os.MkdirAll(filepath.Dir(config), 0o700); err != nil {
				t.Fatal(err)
			}
			cfg := fmt.Sprintf("[sso-session first]\nsso_start_url = %[1]s\nsso_region = %[2]s\n\n[sso-session second]\nsso_start_url = %[1]s\nsso_region = %[2]s\n", srv.StartURL, srv.Region)
			if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "login", "--all", "--use-device-code", "--no-browser")
			cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=" + term}, srv.Env()...)
			tty := ptyterm.Start(t, cmd)
			tty.Expect(t, `[1/2] sso-session "first"`)
			tty.Expect(t, `Press Enter to sign in to sso-session "first" (`+srv.StartURL+"), s to skip")
			tty.Type(t, "s\r")
			tty.Expect(t, "Skipped.")
			tty.Expect(t, `[2/2] sso-session "second"`)
			tty.Expect(t, `Press Enter to sign in to sso-session "second"`)
			tty.Type(t, "\r")
			tty.Expect(t, `Signed in to `+srv.StartURL+` as session "second"`)
			tty.Expect(t, "Sessions: 1 signed in, 1 skipped.")
			if code := tty.Wait(t); code != 0 {
				t.Fatalf("exit code %d; the terminal shows:\n%s", code, tty.Text())
			}
			cache := tokencache.New(tokencache.DefaultDir(home))
			if _, err := cache.LoadToken("first"); err == nil {
				t.Error("the skipped session has a token")
			}
			if _, err := cache.LoadToken("second"); err != nil {
				t.Errorf("no token for the second session: %v", err)
			}
		})
	}
}
