package directory

import (
	"regexp"
	"strings"
	"testing"
)

// The hand-written checks must accept exactly what these patterns accept.
func TestNameChecksMatchTheirPatterns(t *testing.T) {
	accountRE := regexp.MustCompile(`^[0-9]{12}$`)
	nameRE := regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)
	inputs := []string{
		"", "123456789011", "12345678901", "1234567890123", "12345678901a", "１23456789011",
		"readOnly", "AWSReservedSSO_x", "a b", "a/b", "name+=,.@_-", "é", "x\n",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "[profile]", "a;b",
	}
	for _, in := range inputs {
		if got, want := validAccountID(in), accountRE.MatchString(in); got != want {
			t.Errorf("validAccountID(%q) = %v, pattern says %v", in, got, want)
		}
		if got, want := validName(in), nameRE.MatchString(in); got != want {
			t.Errorf("validName(%q) = %v, pattern says %v", in, got, want)
		}
	}
}
