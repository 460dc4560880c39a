package redact

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted is how many characters of a value Quote and Cut show.
const MaxQuoted = 40

// Quote returns s quoted as %q does, cut to its first MaxQuoted
// characters with "…" and its length when longer.
func Quote(s string) string {
	head, n := prefix(s)
	if n <= MaxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(head), n)
}

// Cut returns s unquoted, for text that has brackets of its own (a
// section header), cut like Quote, with control characters and bytes that
// are not UTF-8 escaped as %q escapes them.
func Cut(s string) string {
	head, n := prefix(s)
	var b strings.Builder
	for i, r := range head {
		switch {
		case r == utf8.RuneError:
			fmt.Fprintf(&b, `\x%02x`, head[i])
		case unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ':
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	if n > MaxQuoted {
		fmt.Fprintf(&b, "… (%d characters)", n)
	}
	return b.String()
}

// prefix returns the first MaxQuoted characters of s and how many s has.
func prefix(s string) (head string, n int) {
	n = utf8.RuneCountInString(s)
	if n <= MaxQuoted {
		return s, n
	}
	i, count := 0, 0
	for i = range s {
		if count == MaxQuoted {
			break
		}
		count++
	}
	return s[:i], n
}

// IsSecretKey reports whether a config or credentials key holds a secret
// (aws_secret_access_key, aws_session_token, aws_security_token, and any
// key whose name says secret, password or ends in token), whose value no
// message may show.
func IsSecretKey(key string) bool {
	k := strings.ToLower(strings.TrimSpace(key))
	return strings.Contains(k, "secret") || strings.Contains(k, "password") || strings.HasSuffix(k, "token")
}

// KeyOf is the key a line of a config or credentials file starts with,
// lower-cased: the text before the first '=' or ':', or before the first
// blank when a line has neither ("aws_secret_access_key wJalr…"); "" for a
// line that starts with neither a letter nor a digit.
func KeyOf(line string) string {
	s := strings.TrimLeft(line, " \t")
	end := strings.IndexAny(s, "=: \t")
	if end < 0 {
		end = len(s)
	}
	k := strings.TrimRight(s[:end], " \t")
	if k == "" || strings.IndexFunc(k, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) >= 0 {
		return ""
	}
	return strings.ToLower(k)
}

// Line quotes a line of a config or credentials file for a message: the
// key alone when it is a secret key, a note of its length when the line is
// one long word (a key pasted on a line of its own), else Quote.
func Line(line string) string {
	s := strings.TrimSpace(line)
	if k := KeyOf(s); k != "" && IsSecretKey(k) {
		return strconv.Quote(k) + " (its value not shown)"
	}
	if looksLikeSecret(s) {
		return fmt.Sprintf("a line of %d characters in one word, maybe a key (not shown)", utf8.RuneCountInString(s))
	}
	return Quote(s)
}

// looksLikeSecret: one word of 16 or more characters from the alphabets
// keys and tokens are written in (base64, base64url, hex).
func looksLikeSecret(s string) bool {
	if len(s) < 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("+/=-_", c) >= 0) {
			return false
		}
	}
	return true
}
