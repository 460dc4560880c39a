package directory

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTPStep is the RFC 6238 time step used by authenticator apps.
const TOTPStep = 30 * time.Second

// RandomTOTPSecret returns a fresh 160-bit base32 TOTP secret (no padding),
// the form authenticator apps accept.
func RandomTOTPSecret() string {
	key := make([]byte, 20)
	_, _ = rand.Read(key) // never fails since Go 1.24
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
}

// TOTP returns the 6-digit RFC 6238 code (SHA-1, 30 s step) of secret at t.
func TOTP(secret string, t time.Time) (string, error) {
	key, err := DecodeTOTPSecret(secret)
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return hotp(key, uint64(t.Unix())/uint64(TOTPStep/time.Second)), nil
}

// CheckTOTP reports whether code is valid for secret at t, accepting the
// previous and next step too so a slow typist or a skewed clock still works.
func CheckTOTP(secret, code string, t time.Time) bool {
	key, err := DecodeTOTPSecret(secret)
	if err != nil || len(code) != 6 {
		return false
	}
	counter := uint64(t.Unix()) / uint64(TOTPStep/time.Second)
	ok := 0
	for _, c := range []uint64{counter - 1, counter, counter + 1} {
		ok |= subtle.ConstantTimeCompare([]byte(hotp(key, c)), []byte(code))
	}
	return ok == 1
}

func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}
