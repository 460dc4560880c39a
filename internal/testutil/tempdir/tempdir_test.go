package tempdir

import (
	"os"
	"path/filepath"
	"testing"
)

// The folder, with files and folders in it (one read-only), is gone once
// the test that asked for it ends.
func TestFolderIsRemovedWhenTheTestEnds(t *testing.T) {
	var dir string
	t.Run("user", func(t *testing.T) {
		dir = New(t)
		inner := filepath.Join(dir, "a", "b")
		if err := os.MkdirAll(inner, 0o700); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{filepath.Join(dir, "top"), filepath.Join(inner, "deep")} {
			if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(filepath.Join(inner, "deep"), 0o400); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there after its test ended (%v)", dir, err)
	}
}

// removeEach, the way around a failing os.RemoveAll, removes a tree on
// its own.
func TestRemoveEach(t *testing.T) {
	dir, err := os.MkdirTemp("", "tempdir-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, "x", "y"), 0o700)
	os.WriteFile(filepath.Join(dir, "x", "y", "z"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, "x", "w"), nil, 0o600)
	if err := removeEach(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", dir, err)
	}
}
