package credentials_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// The built ssokit binary, shared by every test of this package that runs
// it as a separate process (credential_process is always one).
var ssokitBin struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// buildSSOKit builds cmd/ssokit once per test binary and returns its path.
func buildSSOKit(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs the ssokit binary; skipped in -short mode")
	}
	if _, err := exec.LookPath("go"); err != nil {
		tb.Skip("the go tool is not on PATH to build ssokit")
	}
	ssokitBin.once.Do(func() {
		ssokitBin.dir, ssokitBin.err = os.MkdirTemp("", "ssokit-bin-")
		if ssokitBin.err != nil {
			return
		}
		ssokitBin.path = filepath.Join(ssokitBin.dir, "ssokit"+exeSuffix())
		ssokitBin.out, ssokitBin.err = goBuild(ssokitBin.path, "github.com/ssokit/ssokit/cmd/ssokit")
	})
	if ssokitBin.err != nil {
		tb.Fatalf("build ssokit: %v\n%s", ssokitBin.err, ssokitBin.out)
	}
	return ssokitBin.path
}

// goBuild runs `go build -o out pkg` with CGO off, as releases are built.
func goBuild(out string, pkg ...string) ([]byte, error) {
	cmd := exec.Command("go", append([]string{"build", "-o", out}, pkg...)...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd.CombinedOutput()
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

func TestMain(m *testing.M) {
	code := m.Run()
	if ssokitBin.dir != "" {
		os.RemoveAll(ssokitBin.dir)
	}
	os.Exit(code)
}
