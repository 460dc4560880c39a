//go:build windows

package fileutil

import (
	"os"
	"time"
)

// rename retries briefly: on Windows a reader holding the target open (an
// antivirus scanner, another tool reading the cache) makes MoveFileEx fail
// with an access error for a moment.
func rename(from, to string) error {
	var err error
	for i := 0; i < 20; i++ {
		if err = os.Rename(from, to); err == nil {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return err
}

func syncDir(string) {}
