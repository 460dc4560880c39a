package configure

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// A file the profile cannot be written into is found before anyone signs
// in: a folder where the file belongs, or a link to nowhere.
func TestRunFindsAnUnwritableFileBeforeSigningIn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, e *testEnv) (path string)
	}{
		{"a folder where the credentials file belongs", func(t *testing.T, e *testEnv) string {
			os.MkdirAll(e.paths.Credentials, 0o700)
			return e.paths.Credentials
		}},
		{"a config file that is a link to nowhere", func(t *testing.T, e *testEnv) string {
			if runtime.GOOS == "windows" {
				t.Skip("symbolic links need privileges on Windows")
			}
			os.MkdirAll(filepath.Dir(e.paths.Config), 0o700)
			os.Symlink(filepath.Join(e.home, "dotfiles", "config"), e.paths.Config)
			return e.paths.Config
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := emulatortest.NewServer(t, autoApprove)
			e := newTestEnv(t, srv)
			path := tc.setup(t, e)
			opts := flags(srv)
			opts.CredentialsFile = true
			opts.Factory = e.f
			err := run(context.Background(), &opts)
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("error = %v, want one naming %s", err, path)
			}
			if n := srv.Count("RegisterClient") + srv.Count("StartDeviceAuthorization"); n != 0 {
				t.Errorf("%d sign-in requests were made before the problem was found", n)
			}
		})
	}
}
