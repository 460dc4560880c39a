//go:build windows

package fileutil

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openShared opens path for reading, sharing reading, writing and
// deleting (which covers renaming over it) with other processes.
func openShared(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		// A folder opens only with backup semantics: let os.Open give the
		// error it gives for folders.
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
				return os.Open(path)
			}
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
