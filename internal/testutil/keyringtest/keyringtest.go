// Package keyringtest gives tests the real OS keyring, or skips them when
// there is none (on Linux: no Secret Service on the D-Bus session bus).
// With SSOKIT_KEYRING_TESTS=1 (CI, inside a dbus-run-session with an
// unlocked gnome-keyring) a keyring that cannot be used fails the test
// instead.
package keyringtest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/ssokit/ssokit/tokencache"
)

// EnvRequire makes Require fail rather than skip.
const EnvRequire = "SSOKIT_KEYRING_TESTS"

// Require returns the OS keyring after writing, reading and deleting a
// probe entry in it; with no usable keyring it skips the test, or fails it
// when EnvRequire is 1.
func Require(tb testing.TB) tokencache.Keyring {
	tb.Helper()
	kr := tokencache.OSKeyring(5 * time.Second)
	b := make([]byte, 8)
	rand.Read(b)
	acct := "probe " + hex.EncodeToString(b)
	err := kr.Set(tokencache.KeyringService, acct, "probe")
	if err == nil {
		var v string
		v, err = kr.Get(tokencache.KeyringService, acct)
		if err == nil && v != "probe" {
			tb.Fatalf("keyring probe: read %q back, want %q", v, "probe")
		}
		if derr := kr.Delete(tokencache.KeyringService, acct); err == nil {
			err = derr
		}
	}
	if err != nil {
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatalf("%s=1 but the OS keyring cannot be used: %v", EnvRequire, err)
		}
		tb.Skipf("no usable OS keyring (%v); set %s=1 to fail instead", err, EnvRequire)
	}
	return kr
}

// Environ is what a child process needs to reach the same keyring: the
// D-Bus session bus and runtime folder, when set.
func Environ() []string {
	var env []string
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
