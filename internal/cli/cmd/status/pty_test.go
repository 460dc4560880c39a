//go:build !windows

package status

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/ptyterm"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/tokencache"
)

// sgrRE matches a colour (or other character attribute) escape code.
var sgrRE = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// In a terminal, a token with 10 minutes left shows its time in red;
// NO_COLOR and a dumb terminal show it plain, and so does a pipe.
func TestTimeLeftIsRedInATerminal(t *testing.T) {
	bin := ssokitbin.Path(t)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "[sso-session soon]\nsso_start_url = https://soon.awsapps.com/start\nsso_region = eu-west-1\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	tok := &tokencache.Token{AccessToken: "at", ExpiresAt: time.Now().Add(10*time.Minute + 30*time.Second).UTC().Truncate(time.Second)}
	if err := tokencache.New(tokencache.DefaultDir(home)).SaveToken("soon", tok); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "USERPROFILE=" + home, "PATH=" + os.Getenv("PATH")}
	for _, tc := range []struct {
		name string
		env  []string
		red  bool
	}{
		{"a colour terminal", []string{"TERM=xterm-256color"}, true},
		{"NO_COLOR", []string{"TERM=xterm-256color", "NO_COLOR=1"}, false},
		{"a dumb terminal", []string{"TERM=dumb"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "status")
			cmd.Env = append(env, tc.env...)
			term := ptyterm.Start(t, cmd)
			if code := term.Wait(t); code != 0 {
				t.Fatalf("exit code %d; the terminal shows:\n%s", code, term.Text())
			}
			raw := term.Raw()
			if !strings.Contains(term.Text(), "10m left") {
				t.Fatalf("no time left shown:\n%s", raw)
			}
			if got := strings.Contains(raw, "\x1b[31m10m left\x1b[0m"); got != tc.red {
				t.Errorf("time left in red: %v, want %v; drawn: %q", got, tc.red, raw)
			}
			if !tc.red && sgrRE.MatchString(raw) {
				t.Errorf("colour codes drawn without colour: %q", raw)
			}
		})
	}
	t.Run("a pipe", func(t *testing.T) {
		cmd := exec.Command(bin, "status")
		cmd.Env = append(env, "TERM=xterm-256color")
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "10m left") || strings.Contains(string(out), "\x1b") {
			t.Errorf("status | cat = %q, %v; want the time left without escape codes", out, err)
		}
	})
}
