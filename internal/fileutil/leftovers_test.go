package fileutil

import (
	"bytes"
	"errors"
	"fmt"
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

// writerHelper runs in a child process (see TestMain): with
// FILEUTIL_WRITE_LOOP it writes large files to the path over and over,
// announcing the first write; with FILEUTIL_HOLD_TEMP it creates a temp
// file next to the path, holds it as a writer does and waits to be killed;
// with FILEUTIL_WRITE_COUNT it writes that many small files.
func writerHelper() (code int, ok bool) {
	switch {
	case os.Getenv("FILEUTIL_WRITE_LOOP") != "":
		path := os.Getenv("FILEUTIL_WRITE_LOOP")
		data := bytes.Repeat([]byte("secret-line\n"), 1<<19) // 6 MiB
		for i := 0; ; i++ {
			if err := WriteAtomic(path, data, Secret); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3, true
			}
			if i == 0 {
				os.WriteFile(path+".started", nil, 0o600)
			}
		}
	case os.Getenv("FILEUTIL_HOLD_TEMP") != "":
		path := os.Getenv("FILEUTIL_HOLD_TEMP")
		tmp, err := createTemp(filepath.Dir(path), path, true)
		if err != nil {
			return 2, true
		}
		tmp.WriteString("half a token")
		os.WriteFile(path+".held", []byte(tmp.Name()), 0o600)
		time.Sleep(time.Hour)
		return 0, true
	case os.Getenv("FILEUTIL_WRITE_COUNT") != "":
		path := os.Getenv("FILEUTIL_WRITE_COUNT")
		n, _ := strconv.Atoi(os.Getenv("FILEUTIL_WRITES"))
		for i := 0; i < n; i++ {
			// Half the writes go to a file of their own, half to one all
			// processes share: every writer also cleans the folder.
			target := path
			if i%2 == 0 {
				target = fmt.Sprintf("%s-%d-%d", path, os.Getpid(), i)
			}
			if err := WriteAtomic(target, []byte(strconv.Itoa(i)), Secret); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3, true
			}
		}
		return 0, true
	}
	return 0, false
}

func helper(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func waitForFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if isTempName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestTempNames(t *testing.T) {
	for name, want := range map[string]bool{
		".credentials.tmp-123456":   true,
		".abc.json.tmp-9":           true,
		"credentials.tmp-123":       false, // the Go SDK's, not ours
		".credentials.tmp-":         false,
		".credentials.tmp-12a":      false,
		".tmp-123":                  false,
		"credentials":               false,
		".credentials.lock":         false,
		".config.tmp-1.tmp-2":       true,
		".x.tmp-123456789012345678": true,
		".credentials.probe-42":     true,
		".credentials.probe-":       false,
	} {
		if got := isTempName(name); got != want {
			t.Errorf("isTempName(%q) = %v, want %v", name, got, want)
		}
	}
}

// A temp file nobody holds (its writer died) is removed by the next
// write in the folder; one that a live writer holds is left alone until
// that writer dies.
func TestNextWriterRemovesLeftoversOfDeadWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process; skipped with -short")
	}
	dir := tempdir.New(t)
	path := filepath.Join(dir, "credentials")
	dead := filepath.Join(dir, ".credentials.tmp-4242")
	if err := os.WriteFile(dead, []byte("aws_secret_access_key = leftover"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := helper(t, "FILEUTIL_HOLD_TEMP="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	waitForFile(t, path+".held")
	held, _ := os.ReadFile(path + ".held")

	if err := WriteAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dead writer's temp file is still there (%v)", err)
	}
	if _, err := os.Stat(string(held)); err != nil {
		t.Errorf("the live writer's temp file was removed: %v", err)
	}

	cmd.Process.Kill()
	cmd.Wait()
	if n := RemoveLeftovers(dir); n != 1 {
		t.Errorf("RemoveLeftovers after the writer died removed %d files, want 1", n)
	}
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// Killed at any moment of a write, a writer leaves the old file or the new
// one, never a part of either; whatever temp file it leaves is readable
// by its owner alone, whatever the target's mode, and the next write
// removes it.
func TestKilledWriterLeavesNoReadableSecretBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	dir := tempdir.New(t)
	path := filepath.Join(dir, "credentials")
	want := bytes.Repeat([]byte("secret-line\n"), 1<<19)
	leftovers := 0
	for trial := 0; trial < 10; trial++ {
		os.WriteFile(path, []byte("old"), 0o644)
		os.Chmod(path, 0o644)
		os.Remove(path + ".started")
		cmd := helper(t, "FILEUTIL_WRITE_LOOP="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitForFile(t, path+".started")
		time.Sleep(time.Duration(trial*7) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("trial %d: the file holds %d bytes (%v), want the whole new content", trial, len(got), err)
		}
		assertMode(t, path, 0o600)
		for _, name := range tempFiles(t, dir) {
			leftovers++
			assertMode(t, filepath.Join(dir, name), 0o600)
		}
		if err := WriteAtomic(path, []byte("next")); err != nil {
			t.Fatal(err)
		}
		if left := tempFiles(t, dir); len(left) != 0 {
			t.Fatalf("trial %d: temp files left after the next write: %v", trial, left)
		}
	}
	t.Logf("%d of 10 kills left a temp file behind; the next write removed each", leftovers)
}

// Writers in several processes, each also cleaning the folder, never
// remove each other's temp files: every write succeeds.
func TestConcurrentWritersAndCleanersAllSucceed(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "token.json")
	const procs, writes = 8, 60
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for i := 0; i < procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := helper(t, "FILEUTIL_WRITE_COUNT="+path, "FILEUTIL_WRITES="+strconv.Itoa(writes))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("%v: %s", err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

func TestSecretWritesEndPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	path := filepath.Join(tempdir.New(t), "credentials")
	if err := os.WriteFile(path, []byte("[default]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	if err := WriteAtomic(path, []byte("[default]\nregion = x\n")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o644)
	if err := WriteAtomic(path, []byte("aws_secret_access_key = s\n"), Secret); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
}

// A symbolic link is written through and stays a link; one that leads
// nowhere or into a loop is refused, and nothing is written.
func TestWriteThroughSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := tempdir.New(t)
	real := filepath.Join(dir, "dotfiles", "credentials")
	os.MkdirAll(filepath.Dir(real), 0o700)
	os.WriteFile(real, []byte("old"), 0o600)
	link := filepath.Join(dir, "credentials")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new" {
		t.Errorf("target holds %q, want %q", got, "new")
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}

	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	loopA, loopB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Symlink(loopB, loopA)
	os.Symlink(loopA, loopB)
	for _, tc := range []struct {
		path, want string
		loop       bool
	}{{dangling, "does not exist", false}, {loopA, "loop", true}} {
		err := WriteAtomic(tc.path, []byte("secret"))
		var de *DanglingLinkError
		if !errors.As(err, &de) || de.Loop != tc.loop || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("WriteAtomic(%s) = %v, want a *DanglingLinkError saying %q", tc.path, err, tc.want)
		}
		if fi, err := os.Lstat(tc.path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link", tc.path)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the dangling link's target was created")
	}
}

func TestErrorsNameThePathOnce(t *testing.T) {
	dir := tempdir.New(t)
	path := filepath.Join(dir, "token.json")
	os.Mkdir(path, 0o700)
	err := WriteAtomic(path, []byte("x"))
	if !errors.Is(err, ErrIsFolder) || strings.Count(err.Error(), path) != 1 {
		t.Errorf("WriteAtomic onto a folder = %v, want ErrIsFolder naming the path once", err)
	}
}
