package exec

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestRunChildReturnsTheExitCode(t *testing.T) {
	for _, code := range []int{0, 1, 7, 255} {
		var out, errOut bytes.Buffer
		env := append(os.Environ(), helperEnv+"=exit")
		got, err := runChild(helperArgv(t, strconv.Itoa(code)), env, strings.NewReader(""), &out, &errOut)
		if err != nil {
			t.Fatal(err)
		}
		if got != code {
			t.Errorf("exit code %d, want %d", got, code)
		}
		if want := "exiting with " + strconv.Itoa(code) + "\n"; errOut.String() != want {
			t.Errorf("child stderr = %q, want %q", errOut.String(), want)
		}
	}
}

// A command that cannot be found or run exits as in a shell, 127 or 126,
// with a message saying what is wrong.
func TestRunChildCommandThatCannotRun(t *testing.T) {
	dir := tempdir.New(t)
	notExecutable := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notExecutable, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pathDir := tempdir.New(t)
	if err := os.WriteFile(filepath.Join(pathDir, "ssokit-test-tool"), []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", pathDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	tests := []struct {
		name     string
		command  string
		wantCode int
		wantMsg  string
	}{
		{"a name not in PATH", "ssokit-no-such-command", 127, `command "ssokit-no-such-command" not found in PATH: check its spelling or give its full path`},
		{"a path to nothing", filepath.Join(dir, "missing"), 127, "not found: there is no such file"},
		{"a file that is not executable", notExecutable, 126, "is not executable: make it executable (chmod +x) or run it with its interpreter"},
		{"a folder", dir, 126, "is a folder, not a program"},
		{"a name in PATH that is not executable", "ssokit-test-tool", 126, `command "ssokit-test-tool" is ` + filepath.Join(pathDir, "ssokit-test-tool") + ", which is not executable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && tt.wantCode == 126 {
				t.Skip("Windows has no executable bit")
			}
			_, err := runChild([]string{tt.command}, nil, nil, io.Discard, io.Discard)
			var ce *cmdutil.ExitCodeError
			if !errors.As(err, &ce) || ce.Code != tt.wantCode {
				t.Fatalf("error = %#v, want exit code %d", err, tt.wantCode)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("message = %q, want it to say %q", err, tt.wantMsg)
			}
		})
	}
}
