package fileutil

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// ReadError is a file that exists but cannot be read: a folder stands
// where it belongs, it is a symbolic link into a loop, or the user may
// not read it. Reason and Fix say which, and what to do.
type ReadError struct {
	Path   string
	Err    error
	Reason string // "it is a folder, not a file", or the system's word
	Fix    string
}

// NewReadError explains err, which reading path returned.
func NewReadError(path string, err error) *ReadError {
	e := &ReadError{Path: path, Err: Cause(err), Reason: Cause(err).Error(), Fix: "check the file and the disk it is on"}
	var dangling *DanglingLinkError
	switch fi, statErr := os.Stat(path); {
	case statErr == nil && fi.IsDir():
		e.Reason, e.Fix = "it is a folder, not a file", "move the folder away"
	case errors.As(resolveErr(path), &dangling):
		msg, fix, _ := strings.Cut(dangling.Error(), "; ")
		e.Reason, e.Fix = "it "+strings.TrimPrefix(msg, path+" "), fix
	case errors.Is(err, fs.ErrPermission):
		e.Fix = "make it readable by your user (" + AccessFix(path, false) + ")"
	}
	return e
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("cannot read %s: %s; %s", e.Path, e.Reason, e.Fix)
}

func (e *ReadError) Unwrap() error { return e.Err }

func resolveErr(path string) error {
	_, err := Resolve(path)
	return err
}

// ReadFile reads the whole file at path, as os.ReadFile does, while
// letting writers replace it: on Windows the file is open with delete
// sharing, so a WriteAtomic in another process can rename over it
// meanwhile (os.Open shares only reading and writing).
func ReadFile(path string) ([]byte, error) {
	f, err := openShared(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One read of the known size keeps the file open for as short a time
	// as can be: on Windows a reader that shares no delete access blocks
	// renames until it closes the file.
	size := 0
	if fi, err := f.Stat(); err == nil {
		size = int(fi.Size())
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+512))
	_, err = buf.ReadFrom(f)
	return buf.Bytes(), err
}
