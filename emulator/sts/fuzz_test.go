package sts

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/emulator/internal/wire"
)

// FuzzParseAuthorization: any header either parses into a complete
// authorization or fails with a 403 STS error.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=ASIAX/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd")
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=")
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header)
		if err != nil {
			var we *wire.Error
			if !errors.As(err, &we) || we.Status != 403 {
				t.Fatalf("parseAuthorization(%q) = %v, want a 403", header, err)
			}
			return
		}
		if a.AccessKeyID == "" || a.Signature == "" || len(a.SignedHeaders) == 0 || !strings.HasPrefix(header, algorithm) {
			t.Fatalf("parseAuthorization(%q) accepted an incomplete header: %+v", header, a)
		}
	})
}
