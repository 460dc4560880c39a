package export

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// TestWriteMatchesTheInstalledAWSCLI feeds the same credentials to the real
// `aws configure export-credentials` (through a credential_process that
// prints them) and to Write, and compares the bytes, for every format both
// know.
func TestWriteMatchesTheInstalledAWSCLI(t *testing.T) {
	cli := awscli.New(t, "http://127.0.0.1:1")
	tests := []struct {
		name  string
		creds aws.Credentials
	}{
		{
			name: "temporary credentials with an expiry",
			creds: aws.Credentials{
				AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalr/K7+MDENG=", SessionToken: "IQoJb3JpZ2luX2Vj//+==",
				CanExpire: true, Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), AccountID: "111122223333",
			},
		},
		{
			name:  "long-term keys",
			creds: aws.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG"},
		},
	}
	type run struct {
		name    string
		profile string
		creds   aws.Credentials
		format  Format
	}
	var runs []run
	config := ""
	// The CLI's own formats (json and ini are ssokit's). fish only exists in
	// newer CLI versions; the peer fixture covers it. Long-term keys print
	// the same lines minus two, so one format suffices for them.
	cliFormats := []Format{FormatProcess, FormatEnv, FormatEnvNoExport, FormatPowerShell, FormatWindowsCmd}
	for i, tt := range tests {
		formats := cliFormats
		if i > 0 {
			formats = []Format{FormatEnv}
		}
		doc := filepath.Join(tempdir.New(t), "creds.json")
		if err := os.WriteFile(doc, ProcessJSON(tt.creds), 0o600); err != nil {
			t.Fatal(err)
		}
		profile := fmt.Sprintf("p%d", i)
		config += fmt.Sprintf("[profile %s]\ncredential_process = cat %s\n", profile, doc)
		for _, format := range formats {
			runs = append(runs, run{tt.name + ", " + string(format), profile, tt.creds, format})
		}
	}
	cli.WriteConfig(config)
	// Each run of the CLI takes about a second of CPU: run them side by side.
	var compared atomic.Int32
	t.Run("each", func(t *testing.T) {
		for _, r := range runs {
			t.Run(r.name, func(t *testing.T) {
				t.Parallel()
				want, stderr, err := cli.Run("configure", "export-credentials", "--profile", r.profile, "--format", string(r.format))
				if err != nil {
					t.Fatalf("aws configure export-credentials --format %s: %v\n%s", r.format, err, stderr)
				}
				var got bytes.Buffer
				if err := Write(&got, r.creds, r.format); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got.String()); diff != "" {
					t.Errorf("--format %s (-aws +ssokit):\n%s", r.format, diff)
				}
				compared.Add(1)
			})
		}
	})
	if n := compared.Load(); int(n) != len(runs) {
		t.Errorf("compared %d of %d outputs with the AWS CLI", n, len(runs))
	}
}
