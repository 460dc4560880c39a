package tempdir

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// New returns a new folder for tb, removed when tb and its subtests end.
func New(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS != "windows" {
		return tb.TempDir()
	}
	dir, err := os.MkdirTemp("", pattern(tb.Name()))
	if err != nil {
		tb.Fatalf("TempDir: %v", err)
	}
	tb.Cleanup(func() {
		if err := RemoveAll(dir); err != nil {
			tb.Errorf("TempDir cleanup: %v", err)
		}
	})
	return dir
}

// pattern is the test's name made safe for a file name, as t.TempDir
// names its folders.
func pattern(name string) string {
	const keep = 64
	if len(name) > keep {
		name = name[:keep]
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < ' ' {
			return '_'
		}
		return r
	}, name) + "-"
}

// RemoveAll removes dir and what it holds, as os.RemoveAll does, also
// under wine. A file that a child process still holds for an instant
// after the test ends (Windows refuses to delete an open file) is tried
// again for up to two seconds, as t.TempDir does.
func RemoveAll(dir string) error {
	deadline := time.Now().Add(2 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err != nil {
			err = removeEach(dir)
		}
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// removeEach removes the entries under dir one by one, deepest first, and
// then dir.
func removeEach(dir string) error {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil && path == dir {
			return err
		}
		paths = append(paths, path)
		return nil
	})
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var first error
	for _, path := range slices.Backward(paths) {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) && first == nil {
			first = err
		}
	}
	return first
}
