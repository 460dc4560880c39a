//go:build windows

package fileutil

import (
	"os"
	"time"
)

// hold does nothing on Windows: a file that a process has open cannot be
// deleted by another, so an open temp file is safe from RemoveLeftovers.
func hold(*os.File) error { return nil }

// commit closes the temp file (Windows cannot rename an open file) and
// renames it over target, retrying briefly: a reader holding the target
// open (an antivirus scanner, another tool reading the cache) makes
// MoveFileEx fail with an access error for a moment.
func commit(tmp *os.File, target string) error {
	if err := tmp.Close(); err != nil {
		return err
	}
	var err error
	for i := 0; i < 20; i++ {
		if err = os.Rename(tmp.Name(), target); err == nil {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return err
}

// removeIfAbandoned removes the temp file at path; Windows refuses while a
// live writer has it open.
func removeIfAbandoned(path string) bool { return os.Remove(path) == nil }

func syncDir(string) {}
