package fileutil

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestWriteAtomicModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := filepath.Join(tempdir.New(t), "new", ".aws")
	path := filepath.Join(dir, "config")

	if err := WriteAtomic(path, []byte("a")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)

	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(path, []byte("b")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o640)
	got, _ := os.ReadFile(path)
	if string(got) != "b" {
		t.Errorf("content = %q, want %q", got, "b")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file (no temp files left)", len(entries))
	}
}

// A write that fails leaves the old file as it was and no temp file
// behind. The failure must not come from permissions, which root ignores:
// the file's name is 250 bytes long, so the temp file named after it
// (".<name>.tmp-...") is over the 255-byte limit and cannot be created.
func TestWriteAtomicFailureKeepsOldFile(t *testing.T) {
	dir := tempdir.New(t)
	path := filepath.Join(dir, strings.Repeat("c", 250))
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Skipf("the file system refuses a 250-byte name: %v", err)
	}
	err := WriteAtomic(path, []byte("new"))
	if err == nil {
		t.Fatal("want an error when the temp file cannot be created")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("content = %q, want the old content kept", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the old file (no temp files left)", len(entries))
	}
}

// A write whose last step fails, after the new content went into a temp
// file, removes that temp file: here a folder is in the file's place, which
// the rename cannot replace, as root neither.
func TestWriteAtomicFailedRenameLeavesNoTempFile(t *testing.T) {
	dir := tempdir.New(t)
	path := filepath.Join(dir, "credentials")
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomic(path, []byte("new"))
	if err == nil {
		t.Fatal("want an error when a folder is in the file's place")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	if _, err := os.Stat(filepath.Join(path, "inside")); err != nil {
		t.Errorf("the folder in the way was changed: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the folder in the way (no temp files left)", len(entries))
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s mode = %o, want %o", path, got, want)
	}
}

// The helper process increments a counter file under the lock, with a pause
// between read and write that would lose updates without the lock.
func TestMain(m *testing.M) {
	if p := os.Getenv("FILEUTIL_LOCK_HELPER"); p != "" {
		os.Exit(lockHelper(p))
	}
	if code, ok := writerHelper(); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

func lockHelper(path string) int {
	unlock, err := Lock(context.Background(), path)
	if err != nil {
		return 2
	}
	defer unlock()
	if os.Getenv("FILEUTIL_LOCK_HANG") != "" {
		os.WriteFile(path+".held", nil, 0o600)
		time.Sleep(time.Hour)
	}
	b, _ := os.ReadFile(path)
	n, _ := strconv.Atoi(string(b))
	time.Sleep(5 * time.Millisecond)
	if err := WriteAtomic(path, []byte(strconv.Itoa(n+1))); err != nil {
		return 3
	}
	return 0
}

func TestLockSerialisesProcesses(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "counter")
	const procs = 12
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for i := 0; i < procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "FILEUTIL_LOCK_HELPER="+path)
			errs <- cmd.Run()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	if string(b) != strconv.Itoa(procs) {
		t.Errorf("counter = %s after %d locked increments: updates were lost", b, procs)
	}
}

func TestLockOfKilledProcessIsRecovered(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "token.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FILEUTIL_LOCK_HELPER="+path, "FILEUTIL_LOCK_HANG=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path + ".held"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("helper never took the lock")
		}
		time.Sleep(10 * time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	_, err := Lock(ctx, path)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock while held = %v, want a deadline error", err)
	}

	cmd.Process.Kill()
	cmd.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	unlock, err := Lock(ctx, path)
	if err != nil {
		t.Fatalf("Lock after the holder died: %v", err)
	}
	unlock()
}
