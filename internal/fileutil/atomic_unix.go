//go:build !windows

package fileutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// createTemp creates the temp file next to target, mode 0600 (private has
// no meaning here: WriteAtomic sets the mode), and holds it.
func createTemp(dir, target string, _ bool) (*os.File, error) {
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+tempInfix+"*")
	if err != nil {
		return nil, err
	}
	if err := hold(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	return tmp, nil
}

// hold takes an exclusive lock on the temp file for as long as this
// process has it open; the kernel drops it when the process dies, which is
// how RemoveLeftovers tells an abandoned temp file from one being written.
func hold(tmp *os.File) error { return unix.Flock(int(tmp.Fd()), unix.LOCK_EX) }

// checkReplaceable has nothing to refuse: a rename replaces a file
// whatever its mode; the folder's permissions decide.
func checkReplaceable(fs.FileInfo) error { return nil }

// commit renames the temp file over target while still holding it, then
// closes it: a cleaner never sees it unheld under its temp name.
func commit(tmp *os.File, target string) error {
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	_ = tmp.Close() // the data is synced and in place; closing only unlocks
	return nil
}

// removeIfAbandoned removes the temp file at path unless a live process
// holds it. A writer takes hold of its temp file an instant after creating
// it; a young file found unheld may be in that instant, its writer already
// waiting for the lock this cleaner took. So the cleaner lets go and looks
// once more a moment later: a live writer has it by then, a dead one never
// will.
func removeIfAbandoned(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	if fi, err := f.Stat(); err == nil && time.Since(fi.ModTime()) < youngTemp {
		_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		time.Sleep(holdGrace)
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
			return false
		}
	}
	return os.Remove(path) == nil
}

// youngTemp is the age under which an unheld temp file may belong to a
// writer about to take hold of it; holdGrace is how long such a writer is
// given to do so.
const (
	youngTemp = 2 * time.Second
	holdGrace = 20 * time.Millisecond
)

// syncDir makes the rename itself durable; failure only weakens durability
// after a power cut, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
