package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

var newCreds = aws.Credentials{AccessKeyID: "ASIANEW", SecretAccessKey: "newsecret", SessionToken: "newtoken", CanExpire: true}

// The fixture's lines, so each case can say which ones change.
const (
	fixtureHead       = "# Shared credentials, edited by hand.\n\n"
	fixtureDefault    = "[default]\naws_access_key_id = AKIALONGTERMKEY\naws_secret_access_key = longtermsecret\n\n"
	fixtureDevComment = "; temporary keys from an earlier sync\n"
	fixtureDev        = "[dev]\nregion = eu-west-1   # kept\naws_access_key_id=ASIAOLD\naws_secret_access_key=oldsecret\naws_session_token=oldtoken\naws_security_token=oldtoken\nx_custom = stays\n\n"
	fixtureToolkit    = "[toolkit]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n\n"
	fixtureUnrelated  = "[unrelated]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\naws_session_token = othertoken\n"
)

func TestWriteSection(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "credentials.ini"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fixtureHead + fixtureDefault + fixtureDevComment + fixtureDev + fixtureToolkit + fixtureUnrelated; got != string(fixture) {
		t.Fatalf("testdata/credentials.ini changed; update the constants:\n%s", cmp.Diff(got, string(fixture)))
	}
	tests := []struct {
		name     string
		section  string
		force    bool
		crlf     bool
		want     string
		conflict string
	}{
		{
			name:    "earlier temporary keys are replaced in place and nothing else changes",
			section: "dev",
			want: fixtureHead + fixtureDefault + fixtureDevComment +
				"[dev]\nregion = eu-west-1   # kept\naws_access_key_id=ASIANEW\naws_secret_access_key=newsecret\naws_session_token=newtoken\nx_custom = stays\n\n" +
				fixtureToolkit + fixtureUnrelated,
		},
		{
			name:    "a new section goes at the end after a blank line",
			section: "legacy-tool",
			want: fixtureHead + fixtureDefault + fixtureDevComment + fixtureDev + fixtureToolkit + fixtureUnrelated +
				"\n[legacy-tool]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n",
		},
		{
			name:     "long-term keys are kept without --force",
			section:  "default",
			conflict: "long-term access keys",
		},
		{
			name:    "long-term keys are replaced with --force",
			section: "default", force: true,
			want: fixtureHead +
				"[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n\n" +
				fixtureDevComment + fixtureDev + fixtureToolkit + fixtureUnrelated,
		},
		{
			name:     "a section holding SSO settings is kept without --force",
			section:  "toolkit",
			conflict: "SSO settings (sso_session, sso_account_id, sso_role_name)",
		},
		{
			name:    "Windows line endings stay Windows line endings",
			section: "dev", crlf: true,
			want: fixtureHead + fixtureDefault + fixtureDevComment +
				"[dev]\nregion = eu-west-1   # kept\naws_access_key_id=ASIANEW\naws_secret_access_key=newsecret\naws_session_token=newtoken\nx_custom = stays\n\n" +
				fixtureToolkit + fixtureUnrelated,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := string(fixture)
			want := tt.want
			if tt.crlf {
				before = strings.ReplaceAll(before, "\n", "\r\n")
				want = strings.ReplaceAll(want, "\n", "\r\n")
			}
			path := filepath.Join(tempdir.New(t), "credentials")
			if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
				t.Fatal(err)
			}
			err := config.Edit(context.Background(), path, func(f *config.File) error {
				return writeSection(f, tt.section, newCreds, tt.force)
			})
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if tt.conflict != "" {
				var ce *ConflictError
				if !errors.As(err, &ce) {
					t.Fatalf("error = %v, want *ConflictError", err)
				}
				if !strings.Contains(err.Error(), tt.conflict) || !strings.Contains(err.Error(), path+":") || !strings.Contains(err.Error(), "--force") {
					t.Errorf("message %q should name %q, the file and line, and --force", err, tt.conflict)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("message carries a secret: %v", err)
				}
				if diff := cmp.Diff(before, string(got)); diff != "" {
					t.Errorf("file changed after a refusal (-before +after):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteSectionIntoAMissingFile(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "aws", "credentials")
	err := config.Edit(context.Background(), path, func(f *config.File) error {
		return writeSection(f, "dev", newCreds, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "[dev]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestCheckSectionName(t *testing.T) {
	for name, ok := range map[string]bool{
		"dev": true, "my tool": true, "default": true,
		"": false, " dev": false, "dev]": false, "a#b": false, "a\nb": false, "profile dev": false, "sso-session x": false,
	} {
		if err := checkSectionName(name); (err == nil) != ok {
			t.Errorf("checkSectionName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}
