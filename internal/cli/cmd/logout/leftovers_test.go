package logout

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Temp files that interrupted writes left behind (a killed login, refresh
// or sync) hold whole tokens and keys: logout removes them too, also when
// there is no token to sign out of, and leaves other files alone.
func TestLogoutRemovesLeftoverTempFiles(t *testing.T) {
	e := newEnv(t)
	aws := filepath.Join(e.home, ".aws")
	leftovers := []string{
		filepath.Join(e.cache.Dir(), ".0123456789abcdef0123456789abcdef01234567.json.tmp-1234"),
		filepath.Join(aws, "cli", "cache", ".0521d1f6a6c4e68f9e18540309367cc3cccb6305.json.tmp-77"),
		filepath.Join(aws, ".credentials.tmp-99"),
	}
	for _, p := range leftovers {
		e.write(p, `{"accessToken": "leftover", "refreshToken": "leftover"}`)
	}
	kept := filepath.Join(aws, "credentials.tmp-5") // not one of ours
	e.write(kept, "x")

	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, All: true}); err != nil {
		t.Fatalf("run: %v\n%s", err, e.errOut)
	}
	for _, p := range leftovers {
		if exists(p) {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("%s was removed: %v", kept, err)
	}
}
