package fileutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// WriteOptions are the optional settings of WriteAtomic.
type WriteOptions struct {
	// Secret means the data holds keys or tokens: the file ends mode 0600
	// whatever the mode of the file it replaces, as the AWS CLI creates
	// such files.
	Secret bool
}

// Secret is the WriteAtomic option for a file that holds secrets.
func Secret(o *WriteOptions) { o.Secret = true }

// ErrIsFolder means a folder stands where a file belongs.
var ErrIsFolder = errors.New("a folder is where the file belongs")

// WriteAtomic replaces path with data so that readers see either the old
// content or the new, never a mix. The folder is created 0700 when missing;
// a new file gets mode 0600 and an existing one keeps its mode (with Secret,
// it ends 0600). A symbolic link at path is followed, and stays. On
// Windows a new file, or one written with Secret, gets an access list for
// the user and SYSTEM alone; a target that another program holds open is
// waited for, and a *HeldError names the program if the wait runs out.
//
// The data goes first into a temp file of mode 0600 next to the target
// (".NAME.tmp-DIGITS"), which this process holds until it is renamed; temp
// files that writers which died left behind (they may hold secrets) are
// removed first.
func WriteAtomic(path string, data []byte, optFns ...func(*WriteOptions)) error {
	var o WriteOptions
	for _, fn := range optFns {
		if fn != nil {
			fn(&o)
		}
	}
	target, fi, err := prepare(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	mode := fs.FileMode(0o600)
	if fi != nil && !o.Secret {
		mode = fi.Mode().Perm()
	}
	// On Windows a new file, or one with secrets, is private to the user
	// through its access list; one that exists gets its folder's.
	private := fi == nil || o.Secret
	RemoveLeftovers(dir)
	if err := checkReplaceable(fi); err != nil {
		return fmt.Errorf("write %s: %w", target, explain(err, dir))
	}
	// A temp file removed by a cleaner in the instant between its creation
	// and this process taking hold of it is written again.
	for attempt := 1; ; attempt++ {
		err = writeTemp(dir, target, data, mode, private)
		if !errors.Is(err, fs.ErrNotExist) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", target, explain(err, dir))
	}
	syncDir(dir)
	return nil
}

// prepare finds where a write to path lands (following a link), creates
// its folder, and returns the file's info, nil when there is no file yet;
// a folder in the file's place is ErrIsFolder.
func prepare(path string) (target string, fi fs.FileInfo, err error) {
	if target, err = Resolve(path); err != nil {
		return "", nil, err
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("create folder %s: %w", dir, explain(err, dir))
	}
	switch fi, err = os.Stat(target); {
	case err == nil && fi.IsDir():
		return "", nil, fmt.Errorf("write %s: %w", target, ErrIsFolder)
	case errors.Is(err, fs.ErrNotExist):
		return target, nil, nil
	case err != nil:
		return "", nil, fmt.Errorf("write %s: %w", target, Cause(err))
	}
	return target, fi, nil
}

// writeTemp writes data into a new temp file in dir and renames it to
// target. On failure the temp file is gone.
func writeTemp(dir, target string, data []byte, mode fs.FileMode, private bool) error {
	tmp, err := createTemp(dir, target, private)
	if err != nil {
		return Cause(err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return Cause(err)
	}
	if err := tmp.Sync(); err != nil {
		return Cause(err)
	}
	// The mode is widened, if at all, only once the data is complete.
	if mode != 0o600 {
		if err := tmp.Chmod(mode); err != nil && !isUnsupported(err) {
			return Cause(err)
		}
	}
	if err := commit(tmp, target); err != nil {
		return Cause(err)
	}
	ok = true
	return nil
}

// Cause strips the path an *fs.PathError (or *os.LinkError,
// *os.SyscallError) repeats, for messages that already name the file:
// "read X: is a directory", not "read X: read X: is a directory".
func Cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	case errors.As(err, &se):
		return se.Err
	}
	return err
}

// isUnsupported reports chmod errors from file systems (and Windows) that do
// not keep Unix modes; the write itself can still go ahead.
func isUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported)
}

// CheckWritable reports whether WriteAtomic(path) can succeed now: a
// link at path leads somewhere, the folder exists (it is created, as
// WriteAtomic would) and takes new files, and no folder stands where the
// file belongs. Commands check before work that would be lost if the
// file could not be written, such as a sign-in.
func CheckWritable(path string) error {
	target, _, err := prepare(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(target)
	probe, err := os.CreateTemp(dir, "."+filepath.Base(target)+probeInfix+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", target, explain(err, dir))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// explain is Cause(err), saying what to check when it is a permission
// error: the folder dir must be the user's and writable.
func explain(err error, dir string) error {
	var held *HeldError
	if errors.As(err, &held) {
		return held
	}
	if errors.Is(err, fs.ErrPermission) {
		return &PermissionError{Dir: dir, Err: Cause(err)}
	}
	return Cause(err)
}

// PermissionError is a folder the user may not write in.
type PermissionError struct {
	Dir string
	Err error
}

func (e *PermissionError) Error() string {
	see := "see ls -ld " + e.Dir
	if runtime.GOOS == "windows" {
		see = AccessFix(e.Dir, true)
	}
	return fmt.Sprintf("%v: the folder %s must be yours and writable (%s)", e.Err, e.Dir, see)
}

func (e *PermissionError) Unwrap() error { return e.Err }
