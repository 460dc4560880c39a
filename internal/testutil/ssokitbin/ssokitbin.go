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
	goBin := goCommand(tb)
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "ssokit-bin-")
		if build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, binaryName())
		build.out, build.err = exec.Command(goBin, "build", "-o", build.path, Package).CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("build %s: %v\n%s", Package, build.err, build.out)
	}
	return build.path
}

// Build builds an ssokit binary of its own with extra go build flags
// (say -ldflags) into a temporary folder of tb, and returns its path.
// Unlike Path it ignores SSOKIT_TEST_BINARY: the flags are the point.
func Build(tb testing.TB, flags ...string) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs the ssokit binary; skipped with -short")
	}
	goBin := goCommand(tb)
	path := filepath.Join(tb.TempDir(), binaryName())
	args := append(append([]string{"build", "-o", path}, flags...), Package)
	if out, err := exec.Command(goBin, args...).CombinedOutput(); err != nil {
		tb.Fatalf("go %v: %v\n%s", args, err, out)
	}
	return path
}

func goCommand(tb testing.TB) string {
	tb.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		tb.Skipf("builds the ssokit binary, and the go command is not on PATH: %v", err)
	}
	return goBin
}

func binaryName() string {
	if runtime.GOOS == "windows" {
		return "ssokit.exe"
	}
	return "ssokit"
}

// Cleanup removes the binary Path built, if any. Call it at the end of
// TestMain, after m.Run.
func Cleanup() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}
