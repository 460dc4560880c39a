package portal

import "testing"

// FuzzPageToken: decoding never panics, and a token that decodes is the
// one encodeToken makes for that offset (tokens are canonical).
func FuzzPageToken(f *testing.F) {
	f.Add(encodeToken(20))
	f.Add("bzox")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		n, err := decodeToken(tok)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("decodeToken(%q) = %d", tok, n)
		}
		if back, err := decodeToken(encodeToken(n)); err != nil || back != n {
			t.Fatalf("offset %d does not round-trip: %d, %v", n, back, err)
		}
	})
}
