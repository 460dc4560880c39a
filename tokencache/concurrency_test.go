package tokencache

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Readers racing a writer see the old token or the new one, never a torn
// file: no read may fail or warn.
func TestReadersNeverSeeAHalfWrittenToken(t *testing.T) {
	c, warnings := newCache(t)
	var mu sync.Mutex
	c.opts.Warn = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		*warnings = append(*warnings, fmt.Sprintf(format, args...))
	}
	base := date("2026-01-01T08:00:00Z")
	save := func(i int) error {
		return c.SaveToken("s", &Token{
			StartURL: "https://d-1.awsapps.com/start", Region: "us-east-1",
			AccessToken: fmt.Sprintf("token-%04d", i), ExpiresAt: base.Add(time.Duration(i) * time.Second),
			ClientID: "cid", ClientSecret: "cs", RefreshToken: fmt.Sprintf("rt-%d", i),
		})
	}
	if err := save(0); err != nil {
		t.Fatal(err)
	}
	const writes = 50
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				tok, err := c.LoadToken("s")
				if err != nil {
					errs <- err
					return
				}
				var i int
				if _, err := fmt.Sscanf(tok.AccessToken, "token-%04d", &i); err != nil || !tok.ExpiresAt.Equal(base.Add(time.Duration(i)*time.Second)) {
					errs <- fmt.Errorf("inconsistent token %+v", tok)
					return
				}
				// On Windows a rename cannot replace a file while it is
				// open unless the system has POSIX semantics (wine has
				// not), so readers that never pause would starve the
				// writer; programs read the cache once per command.
				if runtime.GOOS == "windows" {
					time.Sleep(10 * time.Millisecond)
				}
			}
		}()
	}
	for i := 1; i <= writes; i++ {
		if err := save(i); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(*warnings) != 0 {
		t.Errorf("warnings: %q", *warnings)
	}
	if _, err := c.LoadToken("s"); errors.Is(err, ErrNotFound) {
		t.Error("the token is gone")
	}
}

func BenchmarkLoadToken(b *testing.B) {
	c := New(tempdir.New(b))
	tok := &Token{
		StartURL: "https://my-sso-portal.awsapps.com/start", Region: "us-east-1", AccessToken: "at-opaque",
		ExpiresAt: date("2026-01-01T08:00:00Z"), ClientID: "cl", ClientSecret: "cs",
		RegistrationExpiresAt: date("2026-04-01T00:00:00Z"), RefreshToken: "rt",
	}
	if err := c.SaveToken("my-sso", tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.LoadToken("my-sso"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveToken(b *testing.B) {
	c := New(tempdir.New(b))
	tok := &Token{
		StartURL: "https://my-sso-portal.awsapps.com/start", Region: "us-east-1", AccessToken: "at-opaque",
		ExpiresAt: date("2026-01-01T08:00:00Z"), ClientID: "cl", ClientSecret: "cs",
		RegistrationExpiresAt: date("2026-04-01T00:00:00Z"), RefreshToken: "rt",
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.SaveToken("my-sso", tok); err != nil {
			b.Fatal(err)
		}
	}
}
