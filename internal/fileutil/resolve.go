package fileutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Resolve returns where a write to path lands: path itself, or the file
// the symbolic link at path points to (a config file kept in a dotfiles
// repository), so that the link stays. A link that leads nowhere, or into
// a loop of links, is a *DanglingLinkError: writing there would replace
// the link with a file, which the AWS CLI refuses to do too.
func Resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		link, _ := os.Readlink(path)
		return "", &DanglingLinkError{Path: path, Target: link, Loop: !errors.Is(err, fs.ErrNotExist)}
	}
	return target, nil
}

// DanglingLinkError is a symbolic link that leads to no file.
type DanglingLinkError struct {
	Path, Target string
	// Loop: the links lead back to each other (or the chain is too long)
	// rather than to a missing file.
	Loop bool
}

func (e *DanglingLinkError) Error() string {
	if e.Loop {
		return fmt.Sprintf("%s is a symbolic link to %s, which leads into a loop of links; point the link at a file, or remove it", e.Path, e.Target)
	}
	return fmt.Sprintf("%s is a symbolic link to %s, which does not exist; create that file, or remove the link", e.Path, e.Target)
}
