package fileutil

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Lock takes an exclusive lock on path+".lock" for the calling process and
// returns the function that releases it. It waits until ctx is done. The lock
// file is left in place (removing it would race with a waiting process); the
// lock itself dies with the process that held it.
func Lock(ctx context.Context, path string) (unlock func(), err error) {
	lockPath := path + ".lock"
	dir := filepath.Dir(lockPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create folder for lock %s: %w", lockPath, explain(err, dir))
	}
	fl := flock.New(lockPath, flock.SetPermissions(0o600))
	ok, err := fl.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, explain(err, dir))
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w", lockPath, ctx.Err())
	}
	return func() { _ = fl.Unlock() }, nil
}
