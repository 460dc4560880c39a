package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// A credentials file someone made readable by others ends 0600 once sync
// has written keys into it, and so does the role-credential cache entry,
// as the AWS CLI creates both.
func TestSyncLeavesSecretFilesPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	env := signedin.New(t)
	os.Chmod(env.CredentialsPath, 0o644)
	cacheDir := credentials.DefaultCacheDir(env.Home)
	f, _, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	paths := []string{env.CredentialsPath}
	entries, _ := os.ReadDir(cacheDir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			paths = append(paths, filepath.Join(cacheDir, e.Name()))
		}
	}
	if len(paths) < 2 {
		t.Fatalf("no role-credential cache entry in %s", cacheDir)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", p, fi.Mode().Perm())
		}
	}
}

// A credentials file that is a symbolic link is written where it points,
// and stays a link; a link that leads nowhere is refused, naming it, and
// left as it was.
func TestSyncThroughSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	env := signedin.New(t)
	real := filepath.Join(env.Home, "dotfiles", "aws-credentials")
	os.MkdirAll(filepath.Dir(real), 0o700)
	os.Rename(env.CredentialsPath, real)
	if err := os.Symlink(real, env.CredentialsPath); err != nil {
		t.Fatal(err)
	}
	f, _, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(env.CredentialsPath); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced by a file")
	}
	section(t, real, signedin.Profile)

	os.Remove(real)
	f, _, _ = cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile))
	var dangling *fileutil.DanglingLinkError
	if !errors.As(err, &dangling) || !strings.Contains(err.Error(), env.CredentialsPath) || !strings.Contains(err.Error(), real) {
		t.Fatalf("sync through a dangling link: %v, want a *DanglingLinkError naming the link and its target", err)
	}
	if fi, err := os.Lstat(env.CredentialsPath); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the dangling link was replaced")
	}
	if _, err := os.Lstat(real); !errors.Is(err, os.ErrNotExist) {
		t.Error("the link's target was created")
	}
}
