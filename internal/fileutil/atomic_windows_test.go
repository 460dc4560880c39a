package fileutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"golang.org/x/sys/windows"
)

// holdOpen opens path as os.Open does, without delete sharing (as the AWS
// CLI's Python and most programs read a file), and closes it after d.
func holdOpen(t *testing.T, path string, d time.Duration) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(d, func() { f.Close() })
	t.Cleanup(func() {
		if timer.Stop() {
			f.Close()
		}
	})
}

// waitLonger lets writers wait up to 30s for a held file, for tests of
// what readers see (not of how long writers wait) on systems whose renames
// cannot replace an open file, where twenty readers at once may hold the
// file past the usual budget on a busy machine.
func waitLonger(t *testing.T) {
	old := renameBudget
	renameBudget = 30 * time.Second
	t.Cleanup(func() { renameBudget = old })
}

// A reader that holds the file a moment without sharing delete makes the
// rename wait; the writer rides it out.
func TestWriterRidesOutAReaderThatDoesNotShareDelete(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "token.json")
	if err := WriteAtomic(path, []byte("old"), Secret); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	holdOpen(t, path, 300*time.Millisecond)
	if err := WriteAtomic(path, []byte("new"), Secret); err != nil {
		t.Fatalf("WriteAtomic while a reader held the file for 300ms: %v", err)
	}
	if got, _ := ReadFile(path); string(got) != "new" {
		t.Errorf("content = %q, want %q", got, "new")
	}
	took := time.Since(start)
	t.Logf("the write took %v", took.Round(time.Millisecond))
	if took < 200*time.Millisecond {
		t.Errorf("the write took %v: the reader did not hold it up, so this test shows nothing", took)
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// A reader that holds the file past the writer's patience: the write fails
// naming the program that holds it (this test's own process here), or,
// where the Restart Manager cannot tell, saying so. The old file stays.
func TestHeldPastTheBudgetNamesTheHolder(t *testing.T) {
	defer func(b time.Duration) { renameBudget = b }(renameBudget)
	renameBudget = 300 * time.Millisecond
	path := filepath.Join(tempdir.New(t), "token.json")
	if err := WriteAtomic(path, []byte("old"), Secret); err != nil {
		t.Fatal(err)
	}
	holdOpen(t, path, 3*time.Second)
	err := WriteAtomic(path, []byte("new"), Secret)
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("WriteAtomic while held = %v, want a *HeldError", err)
	}
	if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "chmod") {
		t.Errorf("error %q should name the file and give no chmod", err)
	}
	self, _ := os.Executable()
	switch {
	case held.Lookup != nil:
		t.Logf("the Restart Manager could not name the holder: %v", err)
		if !strings.Contains(err.Error(), "which program is unknown") {
			t.Errorf("error %q does not say the holder is unknown", err)
		}
	case len(held.Holders) == 0 || held.Holders[0].PID != os.Getpid() ||
		!strings.EqualFold(held.Holders[0].Name, filepath.Base(self)):
		t.Errorf("holders = %+v, want this process (%s, %d)", held.Holders, filepath.Base(self), os.Getpid())
	default:
		t.Logf("error: %v", err)
	}
	if got, _ := ReadFile(path); string(got) != "old" {
		t.Errorf("content = %q, want the old content kept", got)
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

// A new file, and a file with secrets, can be opened by the user and SYSTEM
// alone, whatever the folder grants; the list does not inherit.
func TestSecretFilesArePrivate(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "credentials")
	if err := WriteAtomic(path, []byte("[default]\n")); err != nil {
		t.Fatal(err)
	}
	assertPrivate(t, path)
	if err := WriteAtomic(path, []byte("aws_secret_access_key = s\n"), Secret); err != nil {
		t.Fatal(err)
	}
	assertPrivate(t, path)
}

func assertPrivate(t *testing.T, path string) {
	t.Helper()
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	control, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case control&windows.SE_DACL_PROTECTED != 0:
	case underWine():
		t.Logf("%s: wine does not keep the list's protected flag (%s)", path, sd)
	default:
		t.Errorf("%s: the access list inherits from the folder (%s)", path, sd)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("%s: no access list (%v)", path, err)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	system, _ := windows.CreateWellKnownSid(windows.WinLocalSystemSid)
	want := map[string]bool{user.User.Sid.String(): true, system.String(): true}
	if dacl.AceCount != 2 {
		t.Errorf("%s: %d entries in the access list (%s), want the user's and SYSTEM's", path, dacl.AceCount, sd)
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			t.Fatal(err)
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart)).String()
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || !want[sid] {
			t.Errorf("%s: entry %d lets in %s (type %d), want only the user and SYSTEM", path, i, sid, ace.Header.AceType)
		}
	}
}

// underWine reports whether the test runs under wine, which lacks some of
// Windows' bookkeeping.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// A read-only file is not waited for as if a program held it: the write
// fails at once, saying so.
func TestReadOnlyFileFailsAtOnce(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "config")
	if err := WriteAtomic(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o600)
	start := time.Now()
	err := WriteAtomic(path, []byte("new"))
	var held *HeldError
	if err == nil || errors.As(err, &held) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("WriteAtomic onto a read-only file = %v, want an error saying it is read-only", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the write took %v, want no wait", d)
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}
