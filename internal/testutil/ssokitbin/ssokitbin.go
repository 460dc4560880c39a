package ssokitbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Package is the import path of the command Path builds.
const Package = "github.com/ssokit/ssokit/cmd/ssokit"

var build struct {
	once sync.Once
	dir  string // the temporary folder holding the binary; Cleanup removes it
	path string
	out  []byte // the go command's output when the build failed
	err  error
}

// Path returns the path of an ssokit binary built from this module,
// building it on the first call.
func Path(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("runs the ssokit binary as a separate process; skipped with -short")
	}
	if bin := os.Getenv("SSOKIT_TEST_BINARY"); bin != "" {
		return bin
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		tb.Skipf("builds the ssokit binary, and the go command is not on PATH: %v", err)
	}
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "ssokit-bin-")
		if build.err != nil {
			return
		}
		name := "ssokit"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		build.path = filepath.Join(build.dir, name)
		build.out, build.err = exec.Command(goBin, "build", "-o", build.path, Package).CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("build %s: %v\n%s", Package, build.err, build.out)
	}
	return build.path
}

// Cleanup removes the binary Path built, if any. Call it at the end of
// TestMain, after m.Run.
func Cleanup() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}
