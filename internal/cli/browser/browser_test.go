package browser

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func script(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
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
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
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
