package app

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// `ssokit exec` exits as a shell does when the command cannot be found
// (127) or run (126), and says why on stderr.
func TestExecCommandThatCannotRun(t *testing.T) {
	env := signedin.New(t)
	notExecutable := filepath.Join(t.TempDir(), "script.sh")
	if err := os.WriteFile(notExecutable, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		command  string
		wantCode int
		wantErr  string
	}{
		{"ssokit-no-such-command", 127, `ssokit: command "ssokit-no-such-command" not found in PATH: check its spelling or give its full path` + "\n"},
		{notExecutable, 126, "ssokit: command \"" + notExecutable + "\" is not executable: make it executable (chmod +x) or run it with its interpreter\n"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.command), func(t *testing.T) {
			if runtime.GOOS == "windows" && tt.wantCode == 126 {
				t.Skip("Windows has no executable bit")
			}
			f, out, errOut := cmdtest.SignedIn(env)
			code := Run(context.Background(), f, []string{"exec", "--profile", signedin.Profile, "--", tt.command})
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if errOut.String() != tt.wantErr {
				t.Errorf("stderr = %q, want %q", errOut, tt.wantErr)
			}
			if out.Len() > 0 || strings.Contains(errOut.String(), "exit status") {
				t.Errorf("stdout = %q, stderr = %q", out, errOut)
			}
		})
	}
}

// The AWS_CREDENTIAL_EXPIRATION a command run by `ssokit exec` gets is the
// value `ssokit export` prints for the same credentials, in the AWS CLI's
// form (+00:00).
func TestExecExpirationIsWhatExportPrints(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs /bin/sh")
	}
	env := signedin.New(t)
	run := func(args ...string) string {
		t.Helper()
		f, out, errOut := cmdtest.SignedIn(env)
		if code := Run(context.Background(), f, args); code != 0 {
			t.Fatalf("%v: exit code %d: %s", args, code, errOut)
		}
		return out.String()
	}
	exported := run("export", "-p", signedin.Profile, "-o", "env-no-export")
	_, want, _ := strings.Cut(exported, "AWS_CREDENTIAL_EXPIRATION=")
	want = strings.TrimSpace(want)
	got := run("exec", "-p", signedin.Profile, "--", "/bin/sh", "-c", `printf %s "$AWS_CREDENTIAL_EXPIRATION"`)
	if got != want || !strings.HasSuffix(got, "+00:00") {
		t.Errorf("exec passes AWS_CREDENTIAL_EXPIRATION=%q, export prints %q; want the same, ending in +00:00", got, want)
	}
}
