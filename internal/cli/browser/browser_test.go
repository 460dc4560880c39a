//go:build !windows

package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
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
	dir := tempdir.New(t)
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

func script(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(tempdir.New(t), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// A BROWSER command that fails at once is reported, so a sign-in goes
// another way; one that keeps running is fine; in a list, the first that
// works wins.
func TestBrowserCommandThatFailsIsReported(t *testing.T) {
	if testing.Short() {
		t.Skip("runs shell scripts as browsers; skipped with -short")
	}
	failing := script(t, "failing-browser", "exit 22")
	running := script(t, "running-browser", "sleep 5")
	working := script(t, "working-browser", "exit 0")
	tests := []struct {
		name, env string
		wantErr   string
	}{
		{"a command that exits with an error", failing, "exit status 22"},
		{"a command that is not installed", "/nonexistent/browser", "no such file"},
		{"a command still running after the grace period", running, ""},
		{"a command that exits at once without error", working, ""},
		{"the next command after one that fails", failing + ":" + working, ""},
		{"every command fails", failing + ":/nonexistent/browser", "failing-browser: exit status 22"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := System{BrowserEnv: tt.env, grace: 300 * time.Millisecond}.Open("http://127.0.0.1:1/authorize")
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("Open took %s", took)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("Open: %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "BROWSER=") {
				t.Errorf("Open: %v, want an error naming BROWSER and saying %q", err, tt.wantErr)
			}
		})
	}
}

// A BROWSER that is the path of a program in a folder with a space in its
// name, as C:\Program Files\... is on Windows, runs that program with the
// URL, unquoted or quoted.
func TestBrowserInAFolderWithASpace(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a shell script as the browser; skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "Program Files", "My Browser")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	got := filepath.Join(t.TempDir(), "got")
	prog := filepath.Join(dir, "open url")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > '"+got+"'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	const url = "http://127.0.0.1:1/authorize?state=abc"
	for _, env := range []string{prog, `"` + prog + `" --new-window`} {
		t.Run(env, func(t *testing.T) {
			os.Remove(got)
			if err := (System{BrowserEnv: env, grace: 2 * time.Second}).Open(url); err != nil {
				t.Fatalf("Open: %v", err)
			}
			// The script exits at once; Open waited for it within the grace.
			data, err := os.ReadFile(got)
			if err != nil {
				t.Fatalf("the browser did not run: %v", err)
			}
			want := url + "\n"
			if strings.Contains(env, "--new-window") {
				want = "--new-window\n" + want
			}
			if string(data) != want {
				t.Errorf("the browser got %q, want %q", data, want)
			}
		})
	}
}
