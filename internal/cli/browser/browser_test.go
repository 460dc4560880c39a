//go:build !windows

package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The test binary doubles as a browser helper (xdg-open, open): with
// helperEnv set it prints its argument as xdg-open does when it cannot
// open anything, and fails.
const helperEnv = "SSOKIT_BROWSER_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		fmt.Printf("opening %s\n", strings.Join(os.Args[1:], " "))
		fmt.Fprintf(os.Stderr, "xdg-open: no method available for opening '%s'\n", strings.Join(os.Args[1:], " "))
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// helperOnPath puts the test binary on PATH under the names the system
// helper is looked up by, and nothing else.
func helperOnPath(t *testing.T) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"xdg-open", "open"} {
		if err := os.Symlink(exe, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot link the helper: %v", err)
		}
	}
	t.Setenv("PATH", dir)
	t.Setenv(helperEnv, "1")
}

const secretURL = "https://signin.aws.amazon.com/federation?Action=login&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=s3cr3t-t0ken-value-that-is-long"

// A helper that echoes the URL it was given must not carry it on: the
// error says what failed without the URL, and nothing reaches the
// terminal (System has no writer to pass the output to).
func TestSystemKeepsTheHelpersOutputOffTheTerminal(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("the system helper is looked up on PATH only on Linux and macOS")
	}
	helperOnPath(t)
	err := System{}.Open(secretURL)
	if err == nil {
		t.Fatal("Open succeeded; want the helper's failure")
	}
	if strings.Contains(err.Error(), "SigninToken") || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("the error carries the URL: %v", err)
	}
	if want := "open browser: exit status 3 (xdg-open: no method available for opening '<URL>')"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestHelperError(t *testing.T) {
	tests := []struct {
		name   string
		output string
		want   string
	}{
		{"the last line is shown with the URL taken out", "starting\nno method for '" + secretURL + "'\n", "open browser: exit status 3 (no method for '<URL>')"},
		{"no output adds nothing", "", "open browser: exit status 3"},
		{"a token in another encoding drops the line", "cannot open s3cr3t-t0ken-value-that-is-long\n", "open browser: exit status 3"},
		{"a long line is cut", strings.Repeat("x", 300), "open browser: exit status 3 (" + strings.Repeat("x", 200) + "…)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := helperError(fmt.Errorf("exit status 3"), []byte(tt.output), secretURL)
			if got.Error() != tt.want {
				t.Errorf("helperError = %q, want %q", got, tt.want)
			}
		})
	}
}
