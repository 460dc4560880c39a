package pyjson

import "testing"

// Expected values are what Python 3's json.dumps(s) prints.
func TestAppendString(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"printable ASCII and slashes stay", "https://a.awsapps.com/start", `"https://a.awsapps.com/start"`},
		{"quotes and backslashes are escaped", `a"b\c`, `"a\"b\\c"`},
		{"control characters use the short forms", "\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"other controls use \\u", "\x01\x7f", `"\u0001\u007f"`},
		{"HTML characters stay (encoding/json escapes them)", "<&>", `"<&>"`},
		{"non-ASCII is escaped in lowercase hex", "é€", `"\u00e9\u20ac"`},
		{"above the BMP becomes a surrogate pair", "😀", `"\ud83d\ude00"`},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", `"a\ufffdb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendString(nil, tt.in)); got != tt.want {
				t.Errorf("AppendString(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
