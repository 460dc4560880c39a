// Package memkeyring is an in-memory tokencache.Keyring for tests of the
// logic around the keyring; tests of the keyring itself use the real one
// (internal/testutil/keyringtest).
package memkeyring

import (
	"maps"
	"sync"

	"github.com/ssokit/ssokit/tokencache"
)

// Keyring holds entries in memory. Err, when set, is returned by every
// call instead, as a keyring that cannot be reached does.
type Keyring struct {
	mu      sync.Mutex
	entries map[string]string // service + "\x00" + account
	Err     error
	// Calls counts the calls made, failed ones included.
	Calls int
}

func key(service, account string) string { return service + "\x00" + account }

func (k *Keyring) Get(service, account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.Calls++
	if k.Err != nil {
		return "", k.Err
	}
	v, ok := k.entries[key(service, account)]
	if !ok {
		return "", tokencache.ErrNotFound
	}
	return v, nil
}

func (k *Keyring) Set(service, account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.Calls++
	if k.Err != nil {
		return k.Err
	}
	if k.entries == nil {
		k.entries = map[string]string{}
	}
	k.entries[key(service, account)] = secret
	return nil
}

func (k *Keyring) Delete(service, account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.Calls++
	if k.Err != nil {
		return k.Err
	}
	if _, ok := k.entries[key(service, account)]; !ok {
		return tokencache.ErrNotFound
	}
	delete(k.entries, key(service, account))
	return nil
}

// Len is the number of entries.
func (k *Keyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.entries)
}

// Secrets is a copy of every entry's secret.
func (k *Keyring) Secrets() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for v := range maps.Values(k.entries) {
		out = append(out, v)
	}
	return out
}
