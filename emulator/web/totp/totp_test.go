package totp

import (
	"encoding/base32"
	"testing"
	"time"
)

// The SHA-1 vectors of RFC 6238 appendix B. The RFC prints 8 digits; a
// 6-digit code is the same number modulo 10^6, i.e. its last six digits.
func TestCodeMatchesRFC6238Vectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		got, err := Code(secret, time.Unix(tt.unix, 0))
		if err != nil {
			t.Fatalf("Code(%d): %v", tt.unix, err)
		}
		if got != tt.want {
			t.Errorf("Code at %d = %s, want %s", tt.unix, got, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	now := time.Unix(1_700_000_000, 0)
	at := func(d time.Duration) string {
		c, err := Code(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name   string
		secret string
		code   string
		want   bool
	}{
		{"the current code is accepted", secret, at(0), true},
		{"the previous step's code is accepted", secret, at(-Step), true},
		{"the next step's code is accepted", secret, at(Step), true},
		{"a code two steps old is refused", secret, at(-2 * Step), false},
		{"a code two steps ahead is refused", secret, at(2 * Step), false},
		{"spaces a person types are ignored", secret, at(0)[:3] + " " + at(0)[3:], true},
		{"a lower-case secret with padding works", "jbswy3dpehpk3pxp====", at(0), true},
		{"a short code is refused", secret, at(0)[:5], false},
		{"an empty code is refused", secret, "", false},
		{"a malformed secret never verifies", "not base32!", at(0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.code, now); got != tt.want {
				t.Errorf("Verify(%q, %q) = %v, want %v", tt.secret, tt.code, got, tt.want)
			}
		})
	}
}

func TestCodeRejectsBadSecret(t *testing.T) {
	for _, s := range []string{"", "1", "!!!!"} {
		if _, err := Code(s, time.Now()); err != ErrBadSecret {
			t.Errorf("Code(%q) error = %v, want ErrBadSecret", s, err)
		}
	}
}
