//go:build !windows

package fileutil

import (
	"os"

	"golang.org/x/sys/unix"
)

// hold takes an exclusive lock on the temp file for as long as this
// process has it open; the kernel drops it when the process dies, which is
// how RemoveLeftovers tells an abandoned temp file from one being written.
func hold(tmp *os.File) error { return unix.Flock(int(tmp.Fd()), unix.LOCK_EX) }

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
// holds it.
func removeIfAbandoned(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	return os.Remove(path) == nil
}

// syncDir makes the rename itself durable; failure only weakens durability
// after a power cut, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
