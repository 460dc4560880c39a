package credentials

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Whatever a cache file holds, reading it never panics, and a hit always
// has keys and an expiry.
func FuzzReadCache(f *testing.F) {
	f.Add([]byte(`{"ProviderType": "sso", "Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-01-01T09:00:00Z"}}`))
	f.Add([]byte(`{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2020-01-23T20:48:59UTC"}}`))
	f.Add([]byte(`{"Credentials": null}`))
	f.Add([]byte(`[]`))
	dir := tempdir.New(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "entry.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		creds, ok := readCache(path)
		if ok && (creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.Expires.IsZero() || !creds.CanExpire) {
			t.Errorf("a hit with missing parts: %+v", creds)
		}
	})
}

// The hand-written Python-style JSON decodes, with encoding/json, to exactly
// the strings that went in: the escaping is valid JSON for every input.
func FuzzCacheRoundTrip(f *testing.F) {
	f.Add("ASIA", "se/cr\"et\\", "tok\u2028en😀\x00\x7f", "111122223333")
	f.Fuzz(func(t *testing.T, key, secret, token, account string) {
		for _, s := range []string{key, secret, token, account} {
			if !utf8.ValidString(s) {
				t.Skip("credentials are text")
			}
		}
		in := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token, AccountID: account,
			CanExpire: true, Expires: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
		var e cacheEntry
		if err := json.Unmarshal(marshalCache(in), &e); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, marshalCache(in))
		}
		c := e.Credentials
		if e.ProviderType != "sso" || c.AccessKeyID != key || c.SecretAccessKey != secret || c.SessionToken != token || c.AccountID != account {
			t.Errorf("round trip changed the values: %+v", e)
		}
	})
}
