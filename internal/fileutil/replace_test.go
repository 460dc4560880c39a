package fileutil

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Readers and writers at work on the same file at once: every write
// succeeds, and every read succeeds and sees one whole version, never a
// mix or a part. On Windows the readers' ReadFile shares delete access, so
// that a rename with POSIX semantics replaces the file under them.
func TestReadersAndWritersReplacingOneFile(t *testing.T) {
	waitLonger(t)
	path := filepath.Join(tempdir.New(t), "token.json")
	const readers, writers, writes = 20, 20, 5
	version := func(w int) []byte { return bytes.Repeat([]byte{byte('a' + w)}, 4<<10) }
	if err := WriteAtomic(path, version(0), Secret); err != nil {
		t.Fatal(err)
	}
	var done atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, readers+writers)
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				data, err := ReadFile(path)
				if err != nil {
					errs <- fmt.Errorf("read: %w", err)
					return
				}
				if len(data) != 4<<10 || !bytes.Equal(data, bytes.Repeat(data[:1], len(data))) {
					errs <- fmt.Errorf("a reader saw %d bytes of a mixed or partial file", len(data))
					return
				}
				reads.Add(1)
				// On Windows a rename cannot replace a file while it is
				// open unless the system has POSIX semantics (wine has
				// not), so readers that never pause would starve the
				// writers; programs read the file once per command.
				if runtime.GOOS == "windows" {
					time.Sleep(time.Duration(50+rand.IntN(50)) * time.Millisecond)
				}
			}
		}()
	}
	var writersWG sync.WaitGroup
	for w := 0; w < writers; w++ {
		writersWG.Add(1)
		go func() {
			defer writersWG.Done()
			for i := 0; i < writes; i++ {
				if err := WriteAtomic(path, version(w), Secret); err != nil {
					errs <- fmt.Errorf("write: %w", err)
					return
				}
			}
		}()
	}
	writersWG.Wait()
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if left := tempFiles(t, filepath.Dir(path)); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	t.Logf("%d writes and %d reads", writers*writes, reads.Load())
}
