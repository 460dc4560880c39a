package config

import (
	"errors"
	"strings"
)

var errShellSyntax = errors.New("unbalanced quotes or a trailing backslash")

// shellSplit splits a section header into words the way botocore does (with
// Python's shlex in POSIX mode), so that `[profile "my name"]` names the
// profile "my name" and `[profile "unterminated]` names nothing.
func shellSplit(s string) ([]string, error) {
	if !strings.ContainsAny(s, `'"\`) {
		return strings.FieldsFunc(s, isShellBlank), nil // nearly every header
	}
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isShellBlank(rune(c)):
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errShellSyntax
			}
			i++
			cur.WriteByte(s[i])
			in = true
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errShellSyntax
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				// Inside double quotes a backslash escapes only these.
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\\"$`\n", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errShellSyntax
			}
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// shellQuote quotes a name for a header the way the AWS CLI does when it
// holds blanks: in single quotes, a quote inside written as '"'"'. Names with
// quotes or backslashes are quoted too (the CLI does not, and then cannot
// read its own header back).
func shellQuote(name string) string {
	if !strings.ContainsAny(name, " \t\n\r'\"\\") && name != "" {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", `'"'"'`) + "'"
}

// isShellBlank is what separates words for shlex: not every Unicode space.
func isShellBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
