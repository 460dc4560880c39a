package export

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

var benchCreds = aws.Credentials{
	AccessKeyID: "ASIAEXAMPLEEXAMPLE12", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	SessionToken: strings.Repeat("IQoJb3JpZ2luX2VjEJr", 42), CanExpire: true, Expires: time.Now().Add(time.Hour), AccountID: "111122223333",
}

// BenchmarkProcessJSON is what `ssokit credential-process` spends on its
// output, on every AWS call of a program configured with it.
func BenchmarkProcessJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ProcessJSON(benchCreds)
	}
}

func BenchmarkWriteEnv(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Write(io.Discard, benchCreds, FormatEnv)
	}
}
