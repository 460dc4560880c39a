package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/storage/conformance"
	"github.com/ssokit/ssokit/emulator/storage/sqlite"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) storage.Storage {
		s, err := sqlite.Open(context.Background(), filepath.Join(tempdir.New(t), "emulator.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(tempdir.New(t), "sub", "emulator.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour)
	if err := s.CreateRoleCredentials(ctx, storage.RoleCredentials{AccessKeyID: "ASIA1", SecretAccessKey: "s", Expiration: exp}); err != nil {
		t.Fatal(err)
	}
	key, err := s.GetOrCreateKey(ctx, "k", func() ([]byte, error) { return []byte("first"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetRoleCredentials(ctx, "ASIA1")
	if err != nil || got.SecretAccessKey != "s" || !got.Expiration.Equal(exp) {
		t.Errorf("after reopen: %+v, %v", got, err)
	}
	again, _ := s.GetOrCreateKey(ctx, "k", func() ([]byte, error) { return []byte("second"), nil })
	if string(again) != string(key) {
		t.Errorf("key after reopen = %q, want %q", again, key)
	}
	if runtime.GOOS != "windows" {
		for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s mode = %v, want %v", p, fi.Mode().Perm(), want)
			}
		}
	}
}

func TestOpenRefusesWhatIsNotADatabase(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want an error naming %s", err, path)
	}
}

// TestTwoStoresShareOneFile stands for two emulator processes on one
// database: updates from both are serialised by SQLite's lock (waiting on
// busy_timeout), and none is lost.
func TestTwoStoresShareOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(tempdir.New(t), "shared.db")
	a, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d := storage.DeviceAuth{DeviceCodeKey: "dk", UserCode: "ABCDEFGH", ExpiresAt: time.Now().Add(time.Hour), Status: storage.DevicePending}
	if err := a.CreateDeviceAuth(ctx, d); err != nil {
		t.Fatal(err)
	}
	const perStore = 25
	errs := make(chan error, 2*perStore)
	for _, s := range []*sqlite.Store{a, b} {
		for range perStore {
			go func() {
				errs <- s.UpdateDeviceAuth(ctx, "dk", func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
					d.Interval += time.Second
					return d, nil
				})
			}()
		}
	}
	for range 2 * perStore {
		if err := <-errs; err != nil {
			t.Fatalf("UpdateDeviceAuth: %v", err)
		}
	}
	got, err := b.GetDeviceAuth(ctx, "dk")
	if err != nil {
		t.Fatal(err)
	}
	if got.Interval != 2*perStore*time.Second {
		t.Errorf("Interval = %s after %d updates from two stores, want %s", got.Interval, 2*perStore, 2*perStore*time.Second)
	}
}
