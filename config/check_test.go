package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckFindsEveryKindOfProblem(t *testing.T) {
	// Copies at 0600: a checkout leaves the files readable by all, which is
	// a problem of its own here (see TestCheckFileModes).
	dir := t.TempDir()
	paths := Paths{
		Config:      writeFile(t, dir, "doctor_config", string(mustRead(t, filepath.Join("testdata", "doctor_config")))),
		Credentials: writeFile(t, dir, "doctor_credentials", string(mustRead(t, filepath.Join("testdata", "doctor_credentials")))),
	}
	type found struct {
		At   string
		What string // a distinctive part of the message
	}
	want := []found{
		{"doctor_config:4", "[profile default] and [default] at line 2 both define profile \"default\""},
		{"doctor_config:9", "region is set again in [profile dup] (first at line 8)"},
		{"doctor_config:11", "[profile dup] appears again (first at line 7)"},
		{"doctor_config:15", "profile \"mixed\" has both static keys and SSO keys"},
		{"doctor_config:23", "[profile half] has aws_access_key_id but no aws_secret_access_key"},
		{"doctor_config:26", "the specified sso-session does not exist: \"missing\""},
		{"doctor_config:32", "the value for sso_region is inconsistent between profile \"mismatch\" (us-east-1) and sso-session \"corp\""},
		{"doctor_config:35", "sso_start_url \"http://corp.awsapps.com/start\" is not an https URL"},
		{"doctor_config:40", "names source_profile \"ghost\", which is defined in neither file"},
		{"doctor_config:42", "the header [profile \"open] has an unclosed quote"},
		{"doctor_config:43", "[dev] in the config file is not a profile"},
		{"doctor_config:44", "the header [profile a b] is not \"profile NAME\""},
		{"doctor_config:50", "the source_profile chain of profile \"loopa\" comes back to it"},
		{"doctor_config:54", "the source_profile chain of profile \"loopb\" comes back to it"},
		{"doctor_config:57", "profile \"norole\" has source_profile or credential_source but no role_arn"},
		{"doctor_config:60", "profile \"nosource\" has role_arn but nothing to assume it with"},
		{"doctor_config:65", "profile \"both\" has both source_profile and credential_source"},
		{"doctor_config:75", "sso_account_id \"12345\" is not a 12-digit AWS account ID"},
		{"doctor_config:79", "profile \"longrole\" has an empty role_arn"},
		{"doctor_config:81", "profile \"longrole\": duration_seconds \"1h\" is not a whole number of seconds"},
		{"doctor_credentials:1", "[profile dev] in the credentials file: the word profile does not belong there"},
		{"doctor_credentials:5", "[sso-session corp] in the credentials file"},
		{"doctor_credentials:9", "[lonely] has aws_secret_access_key but no aws_access_key_id"},
	}
	problems := Check(paths)
	var got []found
	for _, p := range problems {
		if p.Fix == "" {
			t.Errorf("%s: %s: no fix", p.Location, p.Message)
		}
		f := found{At: filepath.Base(p.Location.File) + ":" + itoa(p.Location.Line), What: p.Message}
		for _, w := range want {
			if w.At == f.At && strings.Contains(p.Message, w.What) {
				f.What = w.What
			}
		}
		got = append(got, f)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestCheckCleanFilesAndSyntax(t *testing.T) {
	clean := Paths{Config: filepath.Join("testdata", "typical_config"), Credentials: filepath.Join(t.TempDir(), "missing")}
	if ps := Check(clean); len(ps) != 0 {
		t.Errorf("typical_config: %v", ps)
	}
	dir := t.TempDir()
	cfg := writeFile(t, dir, "config", "region = x\n[default]\noops\n")
	ps := Check(Paths{Config: cfg})
	if len(ps) != 2 || ps[0].Location.Line != 1 || ps[1].Location.Line != 3 {
		t.Errorf("syntax problems = %v, want lines 1 and 3", ps)
	}
}

func TestCheckFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix modes")
	}
	dir := t.TempDir()
	creds := writeFile(t, dir, "credentials", "[default]\naws_access_key_id = a\naws_secret_access_key = b\n")
	cfg := writeFile(t, dir, "config", "[default]\nregion = x\n")
	for _, p := range []string{creds, cfg} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The config file holds no secrets, so its mode does not matter.
	ps := Check(Paths{Config: cfg, Credentials: creds})
	if len(ps) != 1 || ps[0].Location != (Location{File: creds}) || !strings.Contains(ps[0].Message, "mode 0644") || ps[0].Fix != "run: chmod 600 "+creds {
		t.Errorf("problems = %v, want one about %s's mode", ps, creds)
	}
	os.Chmod(creds, 0o600)
	if ps := Check(Paths{Config: cfg, Credentials: creds}); len(ps) != 0 {
		t.Errorf("problems = %v, want none at 0600", ps)
	}
}

// A credentials file without keys (empty, what an editor creates, or
// only settings) is no problem at any mode; one whose only secret sits on
// a line the AWS CLI cannot read still counts as holding secrets.
func TestCheckModeOnlyForFilesWithSecrets(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix modes")
	}
	for _, tc := range []struct {
		name, content string
		wantMode      bool
	}{
		{"an empty file", "", false},
		{"blank lines and comments", "\n# my keys go here\n\n", false},
		{"an SSO profile in the credentials file", "[sso-user]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 123456789011\nsso_role_name = readOnly\n", false},
		{"an access key id alone", "[p]\naws_access_key_id = AKIAEXAMPLE\n", false},
		{"a session token", "[p]\naws_session_token = tok\n", true},
		{"a secret on a malformed line", "[p]\naws_secret_access_key wJalrXUtnFEMI\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			creds := writeFile(t, dir, "credentials", tc.content)
			os.Chmod(creds, 0o644)
			var modeProblems []Problem
			for _, p := range Check(Paths{Credentials: creds}) {
				if strings.Contains(p.Message, "holds secret keys") {
					modeProblems = append(modeProblems, p)
				}
			}
			if got := len(modeProblems) > 0; got != tc.wantMode {
				t.Errorf("mode problems = %v, want one: %v", modeProblems, tc.wantMode)
			}
		})
	}
}

func TestLegacySSONotes(t *testing.T) {
	dir := t.TempDir()
	paths := Paths{
		Config: filepath.Join("testdata", "typical_config"),
		Credentials: writeFile(t, dir, "credentials", "[static]\naws_access_key_id = a\naws_secret_access_key = b\n\n"+
			"[sso-user-1]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 123456789011\nsso_role_name = readOnly\nregion = us-west-2\n\n"+
			"[broken]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_account_id = 123456789011\n"),
	}
	type found struct{ Profile, At string }
	var got []found
	for _, n := range LegacySSONotes(paths) {
		got = append(got, found{n.Profile, filepath.Base(n.Location.File) + ":" + itoa(n.Location.Line)})
		for _, want := range []string{"device code", "no refresh token", "signs in again"} {
			if !strings.Contains(n.Message, want) {
				t.Errorf("%s: message %q does not say %q", n.Profile, n.Message, want)
			}
		}
		if !strings.Contains(n.Fix, "[sso-session NAME]") || strings.Contains(n.Fix, "ssokit") {
			t.Errorf("%s: fix %q should say what to change, and name no command", n.Profile, n.Fix)
		}
	}
	// The sso-session profiles, the static one and the legacy profile that
	// does not resolve (a problem Check reports) get no note.
	want := []found{{"legacy", "typical_config:8"}, {"sso-user-1", "credentials:6"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	if ps := Check(Paths{Config: paths.Config}); len(ps) != 0 {
		t.Errorf("a legacy profile is not a problem, but Check found %v", ps)
	}
}
