//go:build !windows

package fileutil

import "os"

func rename(from, to string) error { return os.Rename(from, to) }

// syncDir makes the rename itself durable; failure only weakens durability
// after a power cut, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
