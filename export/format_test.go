package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

// peerFixture is the AWS CLI's own expected outputs of
// `configure export-credentials`, read in place.
var peerFixture = filepath.Join("..", "..", "shared", "conformance", "peers", "aws-cli", "extracted", "export-credentials-expected-outputs.json")

type peerInput struct {
	AccessKey  string  `json:"access_key"`
	SecretKey  string  `json:"secret_key"`
	Token      *string `json:"token"`
	ExpiryTime *string `json:"expiry_time"`
}

type peerCases struct {
	Inputs struct {
		Static    peerInput `json:"static"`
		Temporary peerInput `json:"temporary"`
	} `json:"_inputs"`
	Cases []struct {
		Formatter string          `json:"formatter"`
		Format    string          `json:"format"`
		Static    json.RawMessage `json:"static_credentials_output"`
		Temporary json.RawMessage `json:"temporary_credentials_output"`
	} `json:"cases"`
}

func loadPeerFixture(t *testing.T) peerCases {
	t.Helper()
	data, err := os.ReadFile(peerFixture)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("peer fixture %s not found (shared/ is not checked out beside the module)", peerFixture)
	}
	if err != nil {
		t.Fatal(err)
	}
	var pc peerCases
	if err := json.Unmarshal(data, &pc); err != nil {
		t.Fatalf("%s: %v", peerFixture, err)
	}
	if len(pc.Cases) == 0 {
		t.Fatalf("%s: no cases", peerFixture)
	}
	return pc
}

// credsFrom turns a fixture input into credentials. The real CLI prints the
// expiry with Python's isoformat() ("+00:00", see the fixture's notes)
// where the unit test fed in a "Z" string, so the expected text gets the
// same substitution.
func credsFrom(t *testing.T, in peerInput) (aws.Credentials, func(string) string) {
	t.Helper()
	c := aws.Credentials{AccessKeyID: in.AccessKey, SecretAccessKey: in.SecretKey}
	if in.Token != nil {
		c.SessionToken = *in.Token
	}
	fix := func(s string) string { return s }
	if in.ExpiryTime != nil {
		exp, err := time.Parse(time.RFC3339, *in.ExpiryTime)
		if err != nil {
			t.Fatal(err)
		}
		c.CanExpire, c.Expires = true, exp
		const cliRendering = "2023-01-01T00:00:00+00:00"
		if *in.ExpiryTime != "2023-01-01T00:00:00Z" {
			t.Fatalf("fixture expiry changed to %s: update cliRendering", *in.ExpiryTime)
		}
		fix = func(s string) string { return strings.ReplaceAll(s, *in.ExpiryTime, cliRendering) }
	}
	return c, fix
}

func TestWriteMatchesAWSCLIFixture(t *testing.T) {
	pc := loadPeerFixture(t)
	for _, tc := range pc.Cases {
		for _, kind := range []struct {
			name string
			in   peerInput
			want json.RawMessage
		}{
			{"static", pc.Inputs.Static, tc.Static},
			{"temporary", pc.Inputs.Temporary, tc.Temporary},
		} {
			t.Run(tc.Format+" with "+kind.name+" credentials", func(t *testing.T) {
				format, err := ParseFormat(tc.Format)
				if err != nil {
					t.Fatal(err)
				}
				creds, fix := credsFrom(t, kind.in)
				var out bytes.Buffer
				if err := Write(&out, creds, format); err != nil {
					t.Fatal(err)
				}
				var text string
				if err := json.Unmarshal(kind.want, &text); err == nil {
					if diff := cmp.Diff(fix(text), out.String()); diff != "" {
						t.Errorf("output (-want +got):\n%s", diff)
					}
					return
				}
				// The CLI's test compares the process format as parsed JSON.
				var equiv struct {
					JSON map[string]any `json:"json_equivalent_to"`
				}
				if err := json.Unmarshal(kind.want, &equiv); err != nil || equiv.JSON == nil {
					t.Fatalf("fixture case %s: unexpected shape %s", tc.Formatter, kind.want)
				}
				if exp, ok := equiv.JSON["Expiration"].(string); ok {
					equiv.JSON["Expiration"] = fix(exp)
				}
				var got map[string]any
				if err := json.Unmarshal(out.Bytes(), &got); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, out.String())
				}
				if diff := cmp.Diff(equiv.JSON, got); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestWriteLayouts(t *testing.T) {
	temporary := aws.Credentials{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalr/K7+x", SessionToken: "IQoJ<&>",
		CanExpire: true, Expires: time.Date(2026, 1, 1, 9, 0, 0, 123e6, time.FixedZone("CET", 3600)),
		AccountID: "111122223333",
	}
	static := aws.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret"}
	tests := []struct {
		name   string
		creds  aws.Credentials
		format Format
		want   string
	}{
		{
			name:  "process is the CLI's indented JSON in UTC with +00:00 and no account",
			creds: temporary, format: FormatProcess,
			want: "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n  \"SecretAccessKey\": \"wJalr/K7+x\",\n" +
				"  \"SessionToken\": \"IQoJ<&>\",\n  \"Expiration\": \"2026-01-01T08:00:00+00:00\"\n}\n",
		},
		{
			name:  "json is one line with Z, the account, and nothing HTML-escaped",
			creds: temporary, format: FormatJSON,
			want: `{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJalr/K7+x","SessionToken":"IQoJ<&>","Expiration":"2026-01-01T08:00:00Z","AccountId":"111122223333"}` + "\n",
		},
		{
			name:  "json of static keys has only the version and the keys",
			creds: static, format: FormatJSON,
			want: `{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"secret"}` + "\n",
		},
		{
			name:  "ini has the three credentials-file keys",
			creds: temporary, format: FormatINI,
			want: "aws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = wJalr/K7+x\naws_session_token = IQoJ<&>\n",
		},
		{
			name:  "ini of static keys has no token line",
			creds: static, format: FormatINI,
			want: "aws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n",
		},
		{
			name:  "an expiry that cannot expire is left out",
			creds: aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S", Expires: time.Unix(1, 0)}, format: FormatEnv,
			want: "export AWS_ACCESS_KEY_ID=A\nexport AWS_SECRET_ACCESS_KEY=S\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := Write(&out, tt.creds, tt.format); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteRegion(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}
	region := func(o *WriteOptions) { o.Region = "eu-west-1" }
	want := map[Format]string{
		FormatEnv:        "export AWS_ACCESS_KEY_ID=AKIA\nexport AWS_SECRET_ACCESS_KEY=s\nexport AWS_REGION=eu-west-1\nexport AWS_DEFAULT_REGION=eu-west-1\n",
		FormatPowerShell: "$Env:AWS_ACCESS_KEY_ID=\"AKIA\"\n$Env:AWS_SECRET_ACCESS_KEY=\"s\"\n$Env:AWS_REGION=\"eu-west-1\"\n$Env:AWS_DEFAULT_REGION=\"eu-west-1\"\n",
	}
	for format, w := range want {
		var out bytes.Buffer
		if err := Write(&out, creds, format, region); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, out.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", format, diff)
		}
	}
	for _, format := range []Format{FormatProcess, FormatJSON, FormatINI} {
		var out bytes.Buffer
		var rerr *RegionFormatError
		if err := Write(&out, creds, format, region); !errors.As(err, &rerr) || out.Len() != 0 {
			t.Errorf("%s with a region: err %v, wrote %q; want a *RegionFormatError and nothing written", format, err, out.String())
		}
	}
}

func TestProcessJSONIsWhatSDKsParse(t *testing.T) {
	creds := aws.Credentials{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token",
		CanExpire: true, Expires: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), AccountID: "111122223333",
	}
	// The Go SDK's processcreds reads Expiration as a strict RFC 3339 time.
	var doc struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      *time.Time
		AccountID       string `json:"AccountId"`
	}
	if err := json.Unmarshal(ProcessJSON(creds), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || doc.AccessKeyID != creds.AccessKeyID || doc.SecretAccessKey != creds.SecretAccessKey ||
		doc.SessionToken != creds.SessionToken || doc.AccountID != creds.AccountID {
		t.Errorf("round trip lost fields: %+v", doc)
	}
	if doc.Expiration == nil || !doc.Expiration.Equal(creds.Expires) {
		t.Errorf("Expiration = %v, want %v", doc.Expiration, creds.Expires)
	}
	if n := bytes.Count(ProcessJSON(creds), []byte("\n")); n != 1 {
		t.Errorf("ProcessJSON has %d newlines, want exactly one at the end", n)
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(string(f))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	_, err := ParseFormat("yaml")
	var ufe *UnknownFormatError
	if !errors.As(err, &ufe) {
		t.Fatalf("ParseFormat(yaml) error = %v, want *UnknownFormatError", err)
	}
	want := `unknown format "yaml": use one of process, env, env-no-export, fish, powershell, windows-cmd, json, ini`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if err := Write(&bytes.Buffer{}, aws.Credentials{}, Format("yaml")); !errors.As(err, &ufe) {
		t.Errorf("Write with an unknown format: error = %v, want *UnknownFormatError", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteReportsWriteErrorsWithoutSecrets(t *testing.T) {
	err := Write(failingWriter{}, aws.Credentials{AccessKeyID: "AKIDSECRET", SecretAccessKey: "SECRETKEY"}, FormatEnv)
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Fatalf("error = %v, want the write failure", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error text holds a secret: %v", err)
	}
}

func TestWriteVars(t *testing.T) {
	want := map[Format]string{
		FormatEnv:         "export A=1\nexport B=x y\n",
		FormatEnvNoExport: "A=1\nB=x y\n",
		FormatFish:        "set -gx A \"1\"\nset -gx B \"x y\"\n",
		FormatPowerShell:  "$Env:A=\"1\"\n$Env:B=\"x y\"\n",
		FormatWindowsCmd:  "set A=1\nset B=x y\n",
	}
	for _, f := range ShellFormats() {
		var out bytes.Buffer
		if err := WriteVars(&out, f, "A", "1", "B", "x y"); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[f], out.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f, diff)
		}
	}
	var ufe *UnknownFormatError
	if err := WriteVars(&bytes.Buffer{}, FormatJSON, "A", "1"); !errors.As(err, &ufe) {
		t.Errorf("WriteVars(json) error = %v, want *UnknownFormatError", err)
	}
}
