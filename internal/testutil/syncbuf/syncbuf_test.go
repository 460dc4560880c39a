package syncbuf

import (
	"strings"
	"sync"
	"testing"
)

// Writers and a reader at once: run with -race to see it is safe; every
// write lands whole.
func TestConcurrentWritesAndReads(t *testing.T) {
	var b Buffer
	const writers, lines = 4, 100
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range lines {
				b.Write([]byte("line\n"))
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range lines {
			_ = b.String()
		}
	}()
	wg.Wait()
	if got := strings.Count(b.String(), "line\n"); got != writers*lines {
		t.Errorf("%d lines written, want %d", got, writers*lines)
	}
}
