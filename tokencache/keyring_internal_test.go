package tokencache

import (
	"errors"
	"testing"
	"time"
)

// A keyring call that never returns (a Secret Service waiting for a prompt
// no one sees) gives up after the timeout.
func TestKeyringCallGivesUpAfterTheTimeout(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	start := time.Now()
	_, err := osKeyring{timeout: 50 * time.Millisecond}.call(func() (string, error) {
		<-block
		return "", nil
	})
	if !errors.Is(err, ErrKeyringTimeout) {
		t.Fatalf("call = %v, want ErrKeyringTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("call took %s", d)
	}
}
