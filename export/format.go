package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ssokit/ssokit/internal/redact"
)

// Format names an output shape for Write.
type Format string

// The formats Write knows. The first six are the AWS CLI's
// `configure export-credentials --format` values and print exactly what it
// prints.
const (
	FormatProcess     Format = "process"       // indented credential_process JSON, as the CLI prints it
	FormatEnv         Format = "env"           // export AWS_ACCESS_KEY_ID=...
	FormatEnvNoExport Format = "env-no-export" // AWS_ACCESS_KEY_ID=...
	FormatFish        Format = "fish"          // set -gx AWS_ACCESS_KEY_ID "..."
	FormatPowerShell  Format = "powershell"    // $Env:AWS_ACCESS_KEY_ID="..."
	FormatWindowsCmd  Format = "windows-cmd"   // set AWS_ACCESS_KEY_ID=...
	FormatJSON        Format = "json"          // one-line credential_process JSON with AccountId, see ProcessJSON
	FormatINI         Format = "ini"           // aws_access_key_id = ... lines for a credentials-file section
)

// Formats lists every Format, the default (process) first.
func Formats() []Format {
	return []Format{FormatProcess, FormatEnv, FormatEnvNoExport, FormatFish, FormatPowerShell, FormatWindowsCmd, FormatJSON, FormatINI}
}

// UnknownFormatError is returned by ParseFormat for a name that is not a
// Format.
type UnknownFormatError struct{ Name string }

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown format %s: use one of %s", redact.Quote(e.Name), FormatList(Formats()...))
}

// FormatList names formats for a person: "process, env, ...".
func FormatList(formats ...Format) string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ParseFormat returns the Format called name.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == name {
			return f, nil
		}
	}
	return "", &UnknownFormatError{Name: name}
}

// lineFormats are the formats that print one variable per line; the value
// is the line with %s for the name and the value.
var lineFormats = map[Format]string{
	FormatEnv:         "export %s=%s\n",
	FormatEnvNoExport: "%s=%s\n",
	FormatFish:        "set -gx %s \"%s\"\n",
	FormatPowerShell:  "$Env:%s=\"%s\"\n",
	FormatWindowsCmd:  "set %s=%s\n",
}

// WriteOptions adjust Write. Every field is optional.
type WriteOptions struct {
	// Region, when set, adds AWS_REGION and AWS_DEFAULT_REGION after the
	// credentials. Only the ShellFormats have a place for it.
	Region string
}

// RegionFormatError is returned by Write for a region asked of a format
// that holds no variables.
type RegionFormatError struct{ Format Format }

func (e *RegionFormatError) Error() string {
	return fmt.Sprintf("format %s has no region variables: only %s do", e.Format, FormatList(ShellFormats()...))
}

// Write prints creds to w in format. The session token and expiration
// appear only when creds has them. Values are written as they are, without
// escaping, as the AWS CLI does: credentials never hold quotes or blanks.
func Write(w io.Writer, creds aws.Credentials, format Format, optFns ...func(*WriteOptions)) error {
	var o WriteOptions
	for _, fn := range optFns {
		fn(&o)
	}
	if _, vars := lineFormats[format]; o.Region != "" && !vars {
		return &RegionFormatError{Format: format}
	}
	var b bytes.Buffer
	switch format {
	case FormatProcess:
		b.Write(cliProcessJSON(creds))
	case FormatJSON:
		b.Write(ProcessJSON(creds))
	case FormatINI:
		fmt.Fprintf(&b, "aws_access_key_id = %s\n", creds.AccessKeyID)
		fmt.Fprintf(&b, "aws_secret_access_key = %s\n", creds.SecretAccessKey)
		if creds.SessionToken != "" {
			fmt.Fprintf(&b, "aws_session_token = %s\n", creds.SessionToken)
		}
	default:
		vars := []string{EnvAccessKeyID, creds.AccessKeyID, EnvSecretAccessKey, creds.SecretAccessKey}
		if creds.SessionToken != "" {
			vars = append(vars, EnvSessionToken, creds.SessionToken)
		}
		if exp, ok := cliExpiration(creds); ok {
			vars = append(vars, EnvCredentialExpiration, exp)
		}
		if o.Region != "" {
			vars = append(vars, EnvRegion, o.Region, EnvDefaultRegion, o.Region)
		}
		if err := appendVars(&b, format, vars); err != nil {
			return err
		}
	}
	// One write, so a reader of a pipe never sees half a document.
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write credentials: %w", err)
	}
	return nil
}

// ShellFormats are the formats WriteVars knows: one variable per line.
func ShellFormats() []Format {
	return []Format{FormatEnv, FormatEnvNoExport, FormatFish, FormatPowerShell, FormatWindowsCmd}
}

// WriteVars prints environment variables (name, value, name, value...) in
// one of the ShellFormats, the way Write prints credentials.
func WriteVars(w io.Writer, format Format, nameValues ...string) error {
	var b bytes.Buffer
	if err := appendVars(&b, format, nameValues); err != nil {
		return err
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write variables: %w", err)
	}
	return nil
}

func appendVars(b *bytes.Buffer, format Format, nameValues []string) error {
	line, ok := lineFormats[format]
	if !ok {
		return &UnknownFormatError{Name: string(format)}
	}
	for i := 0; i+1 < len(nameValues); i += 2 {
		fmt.Fprintf(b, line, nameValues[i], nameValues[i+1])
	}
	return nil
}

// cliExpiration renders the expiry as the AWS CLI's export-credentials
// does (Python's datetime.isoformat() of an aware UTC time):
// "2026-01-01T09:00:00+00:00". It is the AWS_CREDENTIAL_EXPIRATION of every
// variable ssokit sets, printed or passed to a child, so both agree.
func cliExpiration(creds aws.Credentials) (string, bool) {
	if !creds.CanExpire || creds.Expires.IsZero() {
		return "", false
	}
	return creds.Expires.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05-07:00"), true
}

// processExpiration renders the expiry in the credential_process writer
// rule's form: "2026-01-01T09:00:00Z".
func processExpiration(creds aws.Credentials) (string, bool) {
	if !creds.CanExpire || creds.Expires.IsZero() {
		return "", false
	}
	return creds.Expires.UTC().Format("2006-01-02T15:04:05Z"), true
}

// processDocument is the credential_process output, in the order and with
// the names every SDK reads.
type processDocument struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
	AccountID       string `json:"AccountId,omitempty"`
}

// ProcessJSON is the document a credential_process prints: one line of JSON
// with Version 1, the keys, the token and account when known, and the
// expiration as YYYY-MM-DDTHH:MM:SSZ, then a newline.
func ProcessJSON(creds aws.Credentials) []byte {
	doc := processDocument{
		Version:         1,
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
		AccountID:       creds.AccountID,
	}
	doc.Expiration, _ = processExpiration(creds)
	return encodeJSON(doc, "")
}

// cliProcessJSON is `aws configure export-credentials --format process`:
// two-space indent, no AccountId, the CLI's expiration form.
func cliProcessJSON(creds aws.Credentials) []byte {
	doc := processDocument{
		Version:         1,
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}
	doc.Expiration, _ = cliExpiration(creds)
	return encodeJSON(doc, "  ")
}

// encodeJSON encodes v followed by a newline, leaving <, > and & as they
// are, as Python's json.dumps does.
func encodeJSON(v any, indent string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		// Only strings and an int: encoding cannot fail.
		panic(err)
	}
	return b.Bytes()
}
