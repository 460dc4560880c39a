package oidc

import (
	"strings"
	"testing"
)

func TestVerifyPKCE(t *testing.T) {
	// RFC 7636 appendix B.
	const verifier, challenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	tests := []struct {
		name, verifier, challenge string
		want                      bool
	}{
		{"the RFC 7636 example", verifier, challenge, true},
		{"one character off", verifier[:42] + "j", challenge, false},
		{"the challenge given as the verifier (plain method)", challenge, challenge, false},
		{"a verifier shorter than 43 characters", verifier[:42], challenge, false},
		{"a verifier longer than 128 characters", string(make([]byte, 129)), challenge, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyPKCE(tt.verifier, tt.challenge); got != tt.want {
				t.Errorf("VerifyPKCE = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRedirectURIAllowed(t *testing.T) {
	cli := []string{"http://127.0.0.1/oauth/callback"}
	tests := []struct {
		name       string
		registered []string
		uri        string
		want       bool
	}{
		{"the CLI's port-less registration matches any port", cli, "http://127.0.0.1:50123/oauth/callback", true},
		{"and no port at all", cli, "http://127.0.0.1/oauth/callback", true},
		{"another path does not match", cli, "http://127.0.0.1:50123/other", false},
		{"another loopback name does not match", cli, "http://localhost:50123/oauth/callback", false},
		{"https on loopback does not match http", cli, "https://127.0.0.1:50123/oauth/callback", false},
		{"a host that starts with 127.0.0.1 does not match", cli, "http://127.0.0.1.evil.com/oauth/callback", false},
		{"userinfo does not smuggle a host", cli, "http://127.0.0.1@evil.com/oauth/callback", false},
		{"IPv6 loopback matches on any port", []string{"http://[::1]/cb"}, "http://[::1]:8080/cb", true},
		{"localhost matches on any port", []string{"http://localhost/cb"}, "http://localhost:9/cb", true},
		{"a remote https URI must match exactly", []string{"https://app.example.com/cb"}, "https://app.example.com/cb", true},
		{"a remote https URI on another port does not match", []string{"https://app.example.com/cb"}, "https://app.example.com:444/cb", false},
		{"a fragment never matches", cli, "http://127.0.0.1:5/oauth/callback#x", false},
		{"nothing registered", nil, "http://127.0.0.1:5/oauth/callback", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedirectURIAllowed(tt.registered, tt.uri); got != tt.want {
				t.Errorf("RedirectURIAllowed(%v, %q) = %v, want %v", tt.registered, tt.uri, got, tt.want)
			}
		})
	}
}

func TestUserCodes(t *testing.T) {
	for typed, want := range map[string]string{
		"BCDF-GHJK":   "BCDFGHJK",
		"bcdf-ghjk":   "BCDFGHJK",
		" bcdf ghjk ": "BCDFGHJK",
		"bcdfghjk":    "BCDFGHJK",
	} {
		if got := NormalizeUserCode(typed); got != want {
			t.Errorf("NormalizeUserCode(%q) = %q, want %q", typed, got, want)
		}
	}
	seen := map[string]bool{}
	for range 200 {
		c := newUserCode()
		if len(c) != 8 || NormalizeUserCode(FormatUserCode(c)) != c {
			t.Fatalf("user code %q does not round-trip through FormatUserCode", c)
		}
		for _, r := range c {
			if !strings.ContainsRune(userCodeAlphabet, r) {
				t.Fatalf("user code %q has %q, outside the alphabet", c, r)
			}
		}
		seen[c] = true
	}
	if len(seen) < 195 {
		t.Errorf("200 user codes gave only %d distinct values", len(seen))
	}
}

func TestSplitScopes(t *testing.T) {
	for in, want := range map[string]int{
		"sso:account:access":                      1,
		"sso:account:access codewhisperer:a":      2,
		"sso:account:access,codewhisperer:a":      2,
		"sso:account:access, codewhisperer:a,,  ": 2,
		"": 0,
	} {
		if got := splitScopes(in); len(got) != want {
			t.Errorf("splitScopes(%q) = %q, want %d scopes", in, got, want)
		}
	}
}
