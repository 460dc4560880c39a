package profiles

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
		args    []string
		want    string
		wantErr string
	}{
		"the default output is a table":      {args: nil, want: "table"},
		"--output json":                      {args: []string{"--output", "json"}, want: "json"},
		"-o is short for --output":           {args: []string{"-o", "json"}, want: "json"},
		"an unknown format is a usage error": {args: []string{"--output", "yaml"}, wantErr: `--output "yaml": use one of table, json`},
		"arguments are refused":              {args: []string{"extra"}, wantErr: `unknown command "extra"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := cmdtest.ParseFlags(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var flagErr *cmdutil.FlagError
				if strings.Contains(tt.wantErr, "--output") && !errors.As(err, &flagErr) {
					t.Errorf("err = %T, want a *cmdutil.FlagError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Output != tt.want || got.IO != ios || got.Config == nil {
				t.Errorf("Options = %+v, want Output %q, the factory's streams and a config loader", got, tt.want)
			}
		})
	}
}

const testConfig = `# mine
[default]
region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = us-west-2

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444455556666
sso_role_name = ReadOnly

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = dev

[profile tool]
credential_process = /usr/bin/tool creds

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
sso_registration_scopes = sso:account:access
`

const testCredentials = `[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = secret
`

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
	opts := &Options{IO: ios, Output: "table", Config: func() (*config.Config, error) { return config.Load(paths) }}
	return opts, out, errOut, paths
}

func TestRunTable(t *testing.T) {
	opts, out, errOut, p := setup(t, testConfig, testCredentials)
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"NAME     KIND         ACCOUNT       ROLE      SSO SESSION OR START URL          DEFINED AT",
		"default  static       -             -         -                                 " + p.Config + ":2, " + p.Credentials + ":1",
		"deploy   assume-role  111122223333  deploy    corp (via dev)                    " + p.Config + ":17",
		"dev      sso-session  111122223333  Admin     corp                              " + p.Config + ":5",
		"legacy   sso          444455556666  ReadOnly  https://legacy.awsapps.com/start  " + p.Config + ":11",
		"tool     process      -             -         -                                 " + p.Config + ":21",
		"",
		"SSO SESSION  START URL                       SSO REGION    DEFINED AT",
		"corp         https://corp.awsapps.com/start  eu-central-1  " + p.Config + ":24",
	}, "\n") + "\n"
	if d := cmp.Diff(want, out.String()); d != "" {
		t.Errorf("stdout (-want +got):\n%s", d)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", errOut)
	}
}

func TestRunJSON(t *testing.T) {
	opts, out, _, p := setup(t, testConfig, testCredentials)
	opts.Output = "json"
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	var got map[string][]map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if len(got["profiles"]) != 5 {
		t.Fatalf("%d profiles, want 5", len(got["profiles"]))
	}
	wantDev := map[string]any{
		"name": "dev", "kind": "sso-session", "definedAt": p.Config + ":5", "file": p.Config, "line": float64(5), "alsoAt": []any{},
		"ssoSession": "corp", "ssoStartUrl": nil, "ssoRegion": nil, "ssoAccountId": "111122223333", "ssoRoleName": "Admin", "region": "us-west-2",
		"roleArn": nil, "sourceProfile": nil, "chain": nil,
	}
	if d := cmp.Diff(wantDev, got["profiles"][2]); d != "" {
		t.Errorf("dev (-want +got):\n%s", d)
	}
	wantDeploy := map[string]any{
		"name": "deploy", "kind": "assume-role", "definedAt": p.Config + ":17", "file": p.Config, "line": float64(17), "alsoAt": []any{},
		"ssoSession": nil, "ssoStartUrl": nil, "ssoRegion": nil, "ssoAccountId": nil, "ssoRoleName": nil, "region": nil,
		"roleArn": "arn:aws:iam::111122223333:role/deploy", "sourceProfile": "dev", "chain": []any{"deploy", "dev"},
	}
	if d := cmp.Diff(wantDeploy, got["profiles"][1]); d != "" {
		t.Errorf("deploy (-want +got):\n%s", d)
	}
	if got["profiles"][0]["definedAt"] != p.Config+":2" || cmp.Diff([]any{p.Credentials + ":1"}, got["profiles"][0]["alsoAt"]) != "" {
		t.Errorf("default is defined at %v and %v, want the config file's header, then the credentials file's", got["profiles"][0]["definedAt"], got["profiles"][0]["alsoAt"])
	}
	wantCorp := map[string]any{
		"name": "corp", "startUrl": "https://corp.awsapps.com/start", "region": "eu-central-1", "scopes": []any{"sso:account:access"},
		"definedAt": p.Config + ":24", "file": p.Config, "line": float64(24),
	}
	if d := cmp.Diff([]map[string]any{wantCorp}, got["ssoSessions"]); d != "" {
		t.Errorf("ssoSessions (-want +got):\n%s", d)
	}
}

func TestRunNoFiles(t *testing.T) {
	opts, out, errOut, p := setup(t, "", "")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "No profiles in "+p.Config) ||
		!strings.HasSuffix(errOut.String(), "run: ssokit configure sso\n") {
		t.Errorf("stdout %q, stderr %q; want the hint naming `ssokit configure sso`", out, errOut)
	}
	opts.Output = "json"
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "{\n  \"profiles\": [],\n  \"ssoSessions\": []\n}\n" {
		t.Errorf("json for no files = %q", got)
	}
}

func TestRunUnreadableFile(t *testing.T) {
	opts, _, _, p := setup(t, "region = x\n", "")
	err := run(opts)
	var pe *config.ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), p.Config+":1") {
		t.Errorf("err = %v, want a *config.ParseError at %s:1", err, p.Config)
	}
}

func TestRunNotesProblems(t *testing.T) {
	opts, out, errOut, _ := setup(t, "[profile a]\nregion = x\n[profile a]\nregion = y\n", "")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "a     other") {
		t.Errorf("stdout = %q", out)
	}
	if got, want := errOut.String(), "note: the files have 1 problem the AWS CLI may read differently; run: ssokit doctor\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// On a terminal the tables fit its width: long paths are cut, not wrapped.
func TestRunTableFitsTheTerminal(t *testing.T) {
	opts, out, _, _ := setup(t, testConfig, testCredentials)
	opts.IO.SetTTY(true)
	opts.IO.SetTerminalWidth(80)
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("a line of %d characters on a terminal 80 wide: %q", n, l)
		}
	}
	if !strings.Contains(out.String(), "\ndev      sso-session  111122223333") {
		t.Errorf("the short columns were cut:\n%s", out)
	}
}

// Chains of any depth show where they end; broken ones show what is
// written, up to where they break.
func TestRunShowsChains(t *testing.T) {
	const cfg = `[profile hub]
sso_session = corp
sso_account_id = 123456789011
sso_role_name = readOnly

[profile prod-admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = hub

[profile deep]
role_arn = arn:aws:iam::333333333333:role/ci/Deploy
source_profile = prod-admin

[profile loop]
role_arn = arn:aws:iam::1:role/x
source_profile = loop

[profile lost]
role_arn = not-an-arn
source_profile = ghost

[profile on-static]
role_arn = arn:aws:iam::1:role/y
source_profile = static

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
`
	opts, out, _, _ := setup(t, cfg, "[static]\naws_access_key_id = AKID\naws_secret_access_key = s\n")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			rows[f[0]] = strings.Join(strings.Fields(line)[:len(f)-1], " ")
		}
	}
	for name, want := range map[string]string{
		"prod-admin": "prod-admin assume-role 210987654321 Admin corp (via hub)",
		"deep":       "deep assume-role 333333333333 Deploy corp (via prod-admin -> hub)",
		"loop":       "loop assume-role 1 x -",
		"lost":       "lost assume-role - not-an-arn - (via ghost)",
		"on-static":  "on-static assume-role 1 y - (via static)",
	} {
		if rows[name] != want {
			t.Errorf("row %q, want %q", rows[name], want)
		}
	}
	opts.Output = "json"
	out.Reset()
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Profiles []struct {
			Name  string
			Chain []string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	chains := map[string][]string{}
	for _, p := range doc.Profiles {
		chains[p.Name] = p.Chain
	}
	want := map[string][]string{"hub": nil, "prod-admin": {"prod-admin", "hub"}, "deep": {"deep", "prod-admin", "hub"}, "loop": {"loop"},
		"lost": {"lost", "ghost"}, "on-static": {"on-static", "static"}, "static": nil}
	if d := cmp.Diff(want, chains); d != "" {
		t.Errorf("chains (-want +got):\n%s", d)
	}
}
