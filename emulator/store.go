package emulator

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/storage/memory"
	"github.com/ssokit/ssokit/emulator/storage/sqlite"
)

// Store kinds accepted by OpenStore.
const (
	StoreSQLite = "sqlite"
	StoreMemory = "memory"
)

// OpenStore opens the store of kind ("sqlite", the default when empty, or
// "memory"); path is the SQLite file and is ignored for memory.
func OpenStore(ctx context.Context, kind, path string) (storage.Storage, error) {
	switch kind {
	case StoreMemory:
		return memory.New(), nil
	case StoreSQLite, "":
		if path == "" {
			return nil, fmt.Errorf("the sqlite store needs a database path")
		}
		return sqlite.Open(ctx, path)
	default:
		return nil, fmt.Errorf("unknown store %q: use %s or %s", kind, StoreSQLite, StoreMemory)
	}
}

// DefaultDBPath is where the SQLite store lives under a user cache folder.
func DefaultDBPath(cacheDir string) string {
	return filepath.Join(cacheDir, "ssokit", "emulator.db")
}

// DefaultCAPath is where Launch writes the CA certificate of a TLS emulator
// under a user cache folder.
func DefaultCAPath(cacheDir string) string {
	return filepath.Join(cacheDir, "ssokit", "emulator-ca.pem")
}
