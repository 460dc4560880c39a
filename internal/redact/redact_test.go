package redact

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"dev":                       `"dev"`,
		"":                          `""`,
		"a\nb":                      `"a\nb"`,
		strings.Repeat("x", 40):     `"` + strings.Repeat("x", 40) + `"`,
		strings.Repeat("x", 100000): `"` + strings.Repeat("x", 40) + `"… (100000 characters)`,
		strings.Repeat("é", 41):     `"` + strings.Repeat("é", 40) + `"… (41 characters)`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%.20q) = %.80s, want %.80s", in, got, want)
		}
	}
}

func TestCut(t *testing.T) {
	for in, want := range map[string]string{
		`profile "my profile"`:  `profile "my profile"`,
		"a\x1b]0;title\x07b":    `a\x1b]0;title\ab`,
		"bad\xffbyte":           `bad\xffbyte`,
		strings.Repeat("h", 50): strings.Repeat("h", 40) + "… (50 characters)",
		"tab\there":             `tab\there`,
	} {
		if got := Cut(in); got != want {
			t.Errorf("Cut(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineNeverShowsASecret(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for _, line := range []string{
		"aws_secret_access_key " + secret,
		"aws_secret_access_key=" + secret,
		"  AWS_SECRET_ACCESS_KEY : " + secret,
		"aws_session_token\t" + secret,
		"aws_security_token " + secret,
		"my_password " + secret,
		secret,
		"  " + secret + "  ",
	} {
		got := Line(line)
		if strings.Contains(got, secret[:8]) {
			t.Errorf("Line(%q) = %q shows the secret", line, got)
		}
	}
	if got := Line("region us-east-1"); got != `"region us-east-1"` {
		t.Errorf("Line of a harmless line = %q, want it quoted whole", got)
	}
	if got := Line(strings.Repeat("a b ", 1<<20)); len(got) > 80 {
		t.Errorf("Line of a 4 MB line is %d bytes long", len(got))
	}
}

func TestIsSecretKey(t *testing.T) {
	for k, want := range map[string]bool{
		"aws_secret_access_key":   true,
		"aws_session_token":       true,
		"aws_security_token":      true,
		"AWS_Session_Token":       true,
		"aws_access_key_id":       false,
		"web_identity_token_file": false,
		"sso_session":             false,
		"region":                  false,
	} {
		if got := IsSecretKey(k); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", k, got, want)
		}
	}
}
