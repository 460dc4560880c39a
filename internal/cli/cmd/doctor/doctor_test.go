package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestNewCmdFlags(t *testing.T) {
	tests := map[string]struct {
		args       []string
		env        map[string]string
		want       config.Paths
		wantOutput string
		wantErr    string
	}{
		"the files in the home folder": {
			want:       config.Paths{Config: filepath.Join("/home/u", ".aws", "config"), Credentials: filepath.Join("/home/u", ".aws", "credentials")},
			wantOutput: "table",
		},
		"-o json": {
			args:       []string{"-o", "json"},
			want:       config.Paths{Config: filepath.Join("/home/u", ".aws", "config"), Credentials: filepath.Join("/home/u", ".aws", "credentials")},
			wantOutput: "json",
		},
		"an unknown output format": {args: []string{"--output", "yaml"}, wantErr: `--output "yaml": use one of table, json`},
		"the files named by the environment": {
			env:        map[string]string{"AWS_CONFIG_FILE": "/etc/aws/config", "AWS_SHARED_CREDENTIALS_FILE": "~/creds"},
			want:       config.Paths{Config: "/etc/aws/config", Credentials: filepath.Join("/home/u", "creds")},
			wantOutput: "table",
		},
		"arguments are refused": {args: []string{"extra"}, wantErr: `unknown command "extra"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{
				IOStreams: ios,
				Getenv:    func(k string) string { return tt.env[k] },
				HomeDir:   func() (string, error) { return "/home/u", nil },
			}
			got, err := cmdtest.ParseFlags(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			paths, err := got.Paths()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, paths); d != "" || got.IO != ios {
				t.Errorf("paths (-want +got):\n%s", d)
			}
			if got.Output != tt.wantOutput {
				t.Errorf("Output = %q, want %q", got.Output, tt.wantOutput)
			}
			if got.Exists(filepath.Join(tempdir.New(t), "none")) || !got.Exists(tempdir.New(t)) {
				t.Error("Exists does not tell existing paths from missing ones")
			}
		})
	}
}

func setup(t *testing.T, cfgText, credsText string) (*Options, *bytes.Buffer, *bytes.Buffer, config.Paths) {
	t.Helper()
	dir := tempdir.New(t)
	paths := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	for p, text := range map[string]string{paths.Config: cfgText, paths.Credentials: credsText} {
		if text != "" {
			if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	ios, _, out, errOut := iostreams.Test()
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	return &Options{IO: ios, Paths: func() (config.Paths, error) { return paths, nil }, Exists: exists}, out, errOut, paths
}

func TestRunReportsProblems(t *testing.T) {
	cfg := `[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[sso-session corp]
sso_start_url = http://corp.awsapps.com/start
sso_region = eu-west-1
`
	creds := "[profile old]\naws_access_key_id = a\naws_secret_access_key = b\n\n[sso-user-1]\nsso_start_url =\nsso_region = us-east-2\nsso_account_id = 123456789011\nsso_role_name = readOnly\nregion = us-west-2\n"
	opts, out, errOut, p := setup(t, cfg, creds)
	err := run(opts)
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("err = %v, want cmdutil.ErrSilent (exit code 1, nothing more printed)", err)
	}
	want := strings.Join([]string{
		p.Config + `:7: sso_start_url "http://corp.awsapps.com/start" is not an https URL`,
		"  fix: use the AWS access portal URL from IAM Identity Center, such as https://d-1234567890.awsapps.com/start",
		p.Credentials + `:1: [profile old] in the credentials file: the word profile does not belong there, so the AWS CLI reads a profile named "profile old" and the Go SDK ignores the section`,
		"  fix: rename the section to [old]",
		p.Credentials + `:6: profile "sso-user-1" is configured to use SSO but is missing required configuration: sso_start_url`,
		"  fix: set sso_start_url in [sso-user-1] (" + p.Credentials + ")",
		"3 problems found",
	}, "\n") + "\n"
	if d := cmp.Diff(want, out.String()); d != "" {
		t.Errorf("stdout (-want +got):\n%s", d)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestRunJSON(t *testing.T) {
	opts, out, errOut, p := setup(t, "[profile dev]\nsso_start_url = http://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = r\n", "")
	opts.Output = "json"
	if err := run(opts); !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("err = %v, want cmdutil.ErrSilent (exit code 1)", err)
	}
	type finding struct {
		File, Severity, Message, Fix string
		Line                         int
	}
	var got struct {
		ConfigFile, CredentialsFile string
		Findings                    []finding
	}
	dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not the JSON object: %v\n%s", err, out)
	}
	want := []finding{
		{File: p.Credentials, Severity: "note", Message: "the file does not exist"},
		{File: p.Config, Line: 2, Severity: "error", Message: `sso_start_url "http://corp.awsapps.com/start" is not an https URL`,
			Fix: "use the AWS access portal URL from IAM Identity Center, such as https://d-1234567890.awsapps.com/start"},
	}
	// The profile is also a legacy SSO profile: a note with the migration.
	if n := len(got.Findings); n != 3 || got.Findings[2].Severity != "note" || got.Findings[2].Line != 2 ||
		!strings.HasPrefix(got.Findings[2].Message, `profile "dev" holds sso_start_url itself`) ||
		!strings.HasPrefix(got.Findings[2].Fix, "run: ssokit configure migrate --profile dev, to ") {
		t.Errorf("findings = %+v, want the legacy-profile note last", got.Findings)
	} else {
		got.Findings = got.Findings[:2]
	}
	if d := cmp.Diff(want, got.Findings); d != "" || got.ConfigFile != p.Config || got.CredentialsFile != p.Credentials {
		t.Errorf("findings (-want +got):\n%s\nfiles %s, %s", d, got.ConfigFile, got.CredentialsFile)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q; with --output json the note is in the JSON", errOut)
	}

	// No problems: exit code 0 and an empty list, not null.
	opts, out, _, _ = setup(t, "[default]\nregion = eu-west-1\n", "[default]\n")
	opts.Output = "json"
	if err := run(opts); err != nil {
		t.Fatalf("err = %v, want nil", err)
	}
	if !strings.Contains(out.String(), `"findings": []`) {
		t.Errorf("stdout = %s, want an empty findings list", out)
	}
}

func TestRunNoProblems(t *testing.T) {
	opts, out, errOut, p := setup(t, "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = r\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n", "")
	if err := run(opts); err != nil {
		t.Fatalf("err = %v, want nil (exit code 0)", err)
	}
	if got, want := out.String(), "no problems found in "+p.Config+" and "+p.Credentials+"\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	// The credentials file was not written: a note for the person, on stderr.
	if got, want := errOut.String(), "note: "+p.Credentials+" does not exist\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

func TestRunSyntaxErrorsDoNotHideTheRest(t *testing.T) {
	opts, out, _, p := setup(t, "stray = 1\n[profile a]\nsource_profile = ghost\nrole_arn = arn\n", "")
	if err := run(opts); !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{p.Config + `:1: "stray = 1" comes before the first [section] header`, p.Config + `:3: profile "a" names source_profile "ghost"`, "2 problems found"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestRunNotesLegacyProfiles(t *testing.T) {
	legacy := "[sso-user-1]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 123456789011\nsso_role_name = readOnly\nregion = us-west-2\n"
	t.Run("alone: a note, exit code 0", func(t *testing.T) {
		opts, out, _, p := setup(t, "", legacy)
		if err := run(opts); err != nil {
			t.Fatalf("err = %v, want nil (exit code 0): a legacy profile works", err)
		}
		want := strings.Join([]string{
			p.Credentials + `:2: note: profile "sso-user-1" holds sso_start_url itself instead of naming an [sso-session]: the AWS CLI signs it in with a device code and gets no refresh token, so its user signs in again each time the access token expires (typically after 8 hours)`,
			"  fix: run: ssokit configure migrate --profile sso-user-1, to move sso_start_url and sso_region into an [sso-session NAME] section of " + p.Config + " and set sso_session = NAME in the profile; sign-in then goes through the browser (PKCE) and the token is refreshed without signing in again for as long as the Identity Center session lasts",
			"no problems found in " + p.Config + " and " + p.Credentials + ", 1 note",
		}, "\n") + "\n"
		if d := cmp.Diff(want, out.String()); d != "" {
			t.Errorf("stdout (-want +got):\n%s", d)
		}
	})
	t.Run("with a problem: problems first, exit code 1", func(t *testing.T) {
		opts, out, _, p := setup(t, "[profile 'my dev']\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n[profile b]\nrole_arn = arn\n", legacy)
		if err := run(opts); !errors.Is(err, cmdutil.ErrSilent) {
			t.Fatalf("err = %v, want cmdutil.ErrSilent", err)
		}
		got := out.String()
		for _, want := range []string{
			p.Config + `:5: profile "b" has role_arn but nothing to assume it with`,
			p.Config + `:2: note: profile "my dev" holds sso_start_url itself`,
			"  fix: run: ssokit configure migrate --profile 'my dev', to move",
			p.Credentials + `:2: note: profile "sso-user-1"`,
			"1 problem found, 2 notes\n",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("stdout lacks %q:\n%s", want, got)
			}
		}
		if strings.Index(got, "role_arn") > strings.Index(got, "note:") {
			t.Errorf("the notes come before the problems:\n%s", got)
		}
	})
}
