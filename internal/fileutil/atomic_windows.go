//go:build windows

package fileutil

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// createTemp creates the temp file next to target and opens it for
// writing, renaming and deleting, shared with readers but not with
// deleters: a cleaner's DeleteFile fails while this process has it open,
// which is how RemoveLeftovers tells a live writer's temp file from an
// abandoned one. The file is born with an access list granting only the
// user and SYSTEM when private is set; otherwise it inherits its folder's.
func createTemp(dir, target string, private bool) (*os.File, error) {
	var sa *windows.SecurityAttributes
	if private {
		sd, err := privateDescriptor()
		if err != nil {
			return nil, err
		}
		sa = &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	}
	prefix := filepath.Join(dir, "."+filepath.Base(target)+tempInfix)
	for try := 0; ; try++ {
		name := prefix + strconv.FormatUint(uint64(rand.Uint32()), 10)
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, err
		}
		h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE|windows.DELETE,
			windows.FILE_SHARE_READ, sa, windows.CREATE_NEW, windows.FILE_ATTRIBUTE_NORMAL, 0)
		if errors.Is(err, windows.ERROR_FILE_EXISTS) && try < 100 {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(h), name), nil
	}
}

// privateDescriptor is the security descriptor of a file only its user
// (and SYSTEM, which backs up and scans files on the user's behalf, as it
// may in a user's profile folder) can open: the Windows counterpart of mode
// 0600. It names the user's SID rather than OWNER RIGHTS because a file
// created from an elevated prompt is owned by the Administrators group,
// which would then be let in too. The list is protected: the folder's
// entries are not inherited.
var privateDescriptor = sync.OnceValues(func() (*windows.SECURITY_DESCRIPTOR, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("find the current user: %w", err)
	}
	return windows.SecurityDescriptorFromString("D:P(A;;FA;;;" + user.User.Sid.String() + ")(A;;FA;;;SY)")
})

// commit renames the open temp file over target through its own handle,
// so no other process can remove it under its temp name before, then
// closes it. A target that another program holds open without sharing
// delete (the AWS CLI or an SDK reading it, a scanner) refuses for a
// while: the rename is tried again with growing pauses for up to
// renameBudget; if it still refuses, the error names that program when
// Windows can tell.
func commit(tmp *os.File, target string) error {
	err := retryHeld(func() error { return renameHandle(windows.Handle(tmp.Fd()), target) })
	if err != nil {
		if isHeld(err) {
			err = heldError(target, err)
		}
		return err
	}
	_ = tmp.Close() // the data is synced and in place
	return nil
}

// checkReplaceable refuses a read-only file (fi, nil when there is none):
// Windows does not let a rename replace one, whoever holds it, and the
// refusal reads as a held file's, which commit would wait out in vain.
func checkReplaceable(fi fs.FileInfo) error {
	if fi != nil && fi.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("the file is read-only: %w", windows.ERROR_ACCESS_DENIED)
	}
	return nil
}

// renameBudget is how long commit keeps trying to replace a target that
// another program holds; the first pause is firstPause, each next one
// about twice as long, with jitter so that writers in several processes
// do not retry in step.
var (
	renameBudget = 5 * time.Second
	firstPause   = 2 * time.Millisecond
)

const maxPause = 50 * time.Millisecond

func retryHeld(op func() error) error {
	deadline := time.Now().Add(renameBudget)
	pause := firstPause
	for {
		err := op()
		if err == nil || !isHeld(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause/2 + rand.N(pause))
		pause = min(2*pause, maxPause)
	}
}

// isHeld reports errors that mean another process has the file open in a
// way that forbids replacing it.
func isHeld(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

// renameHandle renames the file open as h to target, replacing it. It asks
// first for POSIX semantics, under which a target open by readers that
// share delete is replaced at once; systems and file systems without them
// (FAT, older Windows, wine) get the classic rename.
func renameHandle(h windows.Handle, target string) error {
	err := setRenameInfo(h, windows.FileRenameInfoEx, fileRenameReplaceIfExists|fileRenamePosixSemantics, target)
	if err == nil || isHeld(err) {
		return err
	}
	return setRenameInfo(h, windows.FileRenameInfo, 1, target)
}

const (
	fileRenameReplaceIfExists = 0x1
	fileRenamePosixSemantics  = 0x2
)

// fileRenameInfo is FILE_RENAME_INFO; its first field is the BOOLEAN
// ReplaceIfExists for FileRenameInfo and the Flags for FileRenameInfoEx.
type fileRenameInfo struct {
	Flags          uint32
	RootDirectory  windows.Handle
	FileNameLength uint32
	FileName       [1]uint16
}

func setRenameInfo(h windows.Handle, class, flags uint32, target string) error {
	name, err := windows.UTF16FromString(target)
	if err != nil {
		return err
	}
	size := int(unsafe.Offsetof(fileRenameInfo{}.FileName)) + 2*len(name)
	buf := make([]uint64, (size+7)/8) // aligned for the handle field
	info := (*fileRenameInfo)(unsafe.Pointer(&buf[0]))
	info.Flags = flags
	info.FileNameLength = uint32(2 * (len(name) - 1))
	copy(unsafe.Slice(&info.FileName[0], len(name)), name)
	return windows.SetFileInformationByHandle(h, class, (*byte)(unsafe.Pointer(info)), uint32(size))
}

// removeIfAbandoned removes the temp file at path; Windows refuses while a
// live writer has it open, as createTemp shares it with readers only.
func removeIfAbandoned(path string) bool { return os.Remove(path) == nil }

func syncDir(string) {}
