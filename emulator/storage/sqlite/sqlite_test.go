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
)

func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) storage.Storage {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "emulator.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "emulator.db")
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
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want an error naming %s", err, path)
	}
}
