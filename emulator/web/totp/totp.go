package totp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

const (
	// Step is how long one code stays current.
	Step = 30 * time.Second
	// Digits is the length of a code.
	Digits = 6
	// Skew is how many steps before or after the current one Verify also
	// accepts, so a clock a little off or a code typed at the end of its
	// window still works.
	Skew = 1
)

// ErrBadSecret reports a secret that is not valid base32.
var ErrBadSecret = errors.New("totp secret is not valid base32")

// Code returns the code for secret at time t.
func Code(secret string, t time.Time) (string, error) {
	key, err := decode(secret)
	if err != nil {
		return "", err
	}
	return code(key, counter(t), Digits), nil
}

// Verify reports whether code is the code for secret at t or within Skew
// steps of it. A malformed secret never verifies.
func Verify(secret, code string, t time.Time) bool {
	key, err := decode(secret)
	if err != nil {
		return false
	}
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != Digits {
		return false
	}
	now := counter(t)
	ok := 0
	// Every candidate is compared, in constant time, so the time taken
	// does not tell which step matched.
	for d := -Skew; d <= Skew; d++ {
		want := codeAt(key, now, d)
		ok |= subtle.ConstantTimeCompare([]byte(want), []byte(code))
	}
	return ok == 1
}

func codeAt(key []byte, now uint64, delta int) string {
	c := now + uint64(int64(delta))
	if delta < 0 && now < uint64(-delta) {
		c = 0
	}
	return code(key, c, Digits)
}

func counter(t time.Time) uint64 {
	s := t.Unix()
	if s < 0 {
		return 0
	}
	return uint64(s) / uint64(Step/time.Second)
}

// code is RFC 4226 HOTP: HMAC the big-endian counter, pick 4 bytes at the
// offset named by the low nibble of the last byte, drop the sign bit.
func code(key []byte, c uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], c)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, v%mod)
}

func decode(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(secret), " ", ""))
	s = strings.TrimRight(s, "=")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, ErrBadSecret
	}
	return key, nil
}
