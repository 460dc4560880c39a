package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Messages about the files quote at most a short prefix of a line, and
// never the value of a secret key, whatever the line looks like: they end
// up in terminals and CI logs.
func TestProblemsNeverQuoteSecretsOrWholeLines(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	huge := strings.Repeat("x", 10<<20)
	for _, tc := range []struct {
		name, data string
	}{
		{"a secret key without =", "[default]\naws_secret_access_key " + secret + "\n"},
		{"a session token without =", "[default]\naws_session_token\t" + secret + "\n"},
		{"a secret before any section", "aws_secret_access_key = " + secret + "\n[default]\n"},
		{"a secret pasted on a line of its own", "[default]\n" + secret + "\n"},
		{"a secret under an empty key", "[default]\naws_secret_access_key =\n  " + secret + " x\n"},
		{"a 10 MB line", "[default]\n" + huge + "\n"},
		{"a 10 MB header", "[" + huge + "\n"},
		{"a 10 MB section name", "[profile " + huge + "]\nregion = x\n[profile " + huge + "]\nregion = y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/h/.aws/credentials", []byte(tc.data))
			f := parse("/h/.aws/credentials", []byte(tc.data))
			c := build(Paths{Credentials: "/h/.aws/credentials"}, [2]*File{parse("", nil), f})
			texts := []string{}
			if err != nil {
				texts = append(texts, err.Error())
			}
			for _, p := range append(f.problems, c.warnings...) {
				texts = append(texts, p.String())
			}
			if len(texts) == 0 {
				t.Fatal("no problem reported")
			}
			for _, text := range texts {
				if strings.Contains(text, secret[:10]) {
					t.Errorf("message shows the secret: %s", text)
				}
				if len(text) > 600 {
					t.Errorf("message is %d bytes long: %.200s…", len(text), text)
				}
				if !strings.Contains(text, "/h/.aws/credentials") {
					t.Errorf("message does not name the file: %s", text)
				}
			}
		})
	}
}

// A folder where a file belongs is said once, with what to do: not "read
// X: read X: is a directory".
func TestReadErrorsNameThePathOnceWithAFix(t *testing.T) {
	dir := tempdir.New(t)
	cfg := filepath.Join(dir, "config")
	if err := os.Mkdir(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Paths{Config: cfg})
	var re *fileutil.ReadError
	if !errors.As(err, &re) || strings.Count(err.Error(), cfg) != 1 || !strings.Contains(err.Error(), "it is a folder, not a file; move the folder away") {
		t.Errorf("Load = %v, want a *ReadError naming the file once, with the fix", err)
	}
	ps := Check(Paths{Config: cfg})
	if len(ps) != 1 || ps[0].Message != "cannot read the file: it is a folder, not a file" || !strings.HasPrefix(ps[0].Fix, "move the folder away") {
		t.Errorf("Check = %v", ps)
	}
}
