package tokencache

import (
	"encoding/json"
	"testing"
)

// Whatever a token file holds, parsing never panics, and a token that
// parses is written back as JSON that parses to the same token.
func FuzzParseToken(f *testing.F) {
	for _, seed := range []string{
		`{"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", "accessToken": "at", "expiresAt": "2026-01-01T08:00:00Z", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2026-04-01T00:00:00Z", "refreshToken": "r"}`,
		`{"accessToken": "at", "expiresAt": "2019-10-26T05:19:09UTC", "scopes": ["a"], "x": {"y": [1, 2.5e3, null]}}`,
		`{"accessToken": "\u00e9\ud83d\ude80", "expiresAt": "2026-01-01T08:00:00.123+02:00"}`,
		`{"accessToken": "at"`,
		`[]`, `null`, ``, `{}`, `{"accessToken": 1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := parseToken(data, true)
		if err != nil {
			return
		}
		out, err := tok.marshal()
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("written back invalid JSON: %s", out)
		}
		again, err := parseToken(out, true)
		if err != nil {
			t.Fatalf("written back unreadable: %v\n%s", err, out)
		}
		if again.AccessToken != tok.AccessToken || !again.ExpiresAt.Equal(tok.ExpiresAt.Truncate(1e9)) || again.RefreshToken != tok.RefreshToken || len(again.extra) != len(tok.extra) {
			t.Fatalf("round trip changed the token:\n%+v\n%+v", tok, again)
		}
	})
}
