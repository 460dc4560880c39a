package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// A credentials file readable by others is a problem only when it holds
// keys: an empty one, as an editor creates it, passes (exit 0) and is
// never said to hold secret keys.
func TestWorldReadableFilesWithAndWithoutKeys(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	for _, tc := range []struct {
		name, creds string
		wantProblem bool
	}{
		{"an empty credentials file", "", false},
		{"a credentials file with a region only", "[default]\nregion = us-east-1\n", false},
		{"a credentials file with keys", "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s3cr3t\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tempdir.New(t)
			paths := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
			os.WriteFile(paths.Config, []byte("[default]\nregion = us-east-1\n"), 0o644)
			os.WriteFile(paths.Credentials, []byte(tc.creds), 0o644)
			os.Chmod(paths.Config, 0o644)
			os.Chmod(paths.Credentials, 0o644)
			ios, _, out, errOut := iostreams.Test()
			err := run(&Options{IO: ios, Paths: func() (config.Paths, error) { return paths, nil }, Exists: func(string) bool { return true }})
			text := out.String() + errOut.String()
			if tc.wantProblem {
				if !errors.Is(err, cmdutil.ErrSilent) || !strings.Contains(text, "holds secret keys") || !strings.Contains(text, "chmod 600 "+paths.Credentials) {
					t.Errorf("doctor = %v, output:\n%s\nwant the mode reported with its fix", err, text)
				}
				return
			}
			if err != nil || strings.Contains(text, "secret") || !strings.Contains(text, "no problems found") {
				t.Errorf("doctor = %v, output:\n%s\nwant no problem", err, text)
			}
		})
	}
}
