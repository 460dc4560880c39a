package configure

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
)

// TestAWSCLIUsesConfiguredProfiles checks that the AWS CLI v2 reads the
// profiles the wizard writes, in both forms, and gets role credentials
// with the token ssokit cached while configuring.
func TestAWSCLIUsesConfiguredProfiles(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	for _, legacy := range []bool{false, true} {
		name := map[bool]string{false: "sso-session profile", true: "legacy profile"}[legacy]
		t.Run(name, func(t *testing.T) {
			cli := awscli.New(t, srv.URL)
			e := newTestEnv(t, srv)
			e.home = cli.Home
			e.f.HomeDir = func() (string, error) { return cli.Home, nil }
			opts := flags(srv)
			opts.Factory = e.f
			if legacy {
				opts.Legacy, opts.SSOSession = true, ""
			}
			if err := run(context.Background(), &opts); err != nil {
				t.Fatalf("configure: %v\nstderr: %s", err, e.errOut)
			}
			out, _, err := cli.Run("sts", "get-caller-identity", "--profile", opts.Profile, "--output", "json")
			if err != nil {
				t.Fatal(err)
			}
			var id struct{ Account string }
			if err := json.Unmarshal([]byte(out), &id); err != nil {
				t.Fatalf("aws sts get-caller-identity printed %q: %v", out, err)
			}
			if id.Account != "111122223333" {
				t.Errorf("the CLI got credentials for account %q, want 111122223333", id.Account)
			}
		})
	}
}

// TestAWSCLIGetsTheSameRoleAfterMigrating signs the AWS CLI in with legacy
// profiles (the seed's block in the credentials file, and a commented
// config file with two more sharing its start URL), migrates them, signs
// in to the new sso-session, and checks the CLI gets credentials for the
// same role, now with a refresh token cached, every comment kept.
func TestAWSCLIGetsTheSameRoleAfterMigrating(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	cli := awscli.New(t, srv.URL)
	legacy := func(account, role string) string {
		return "sso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\nsso_account_id = " + account + "\nsso_role_name = " + role + "\n"
	}
	cli.WriteCredentials("; written by the AWS Toolkit for Visual Studio\n[sso-user-1]\n" + legacy(directory.DemoAccount, directory.DemoRole) + "region = us-west-2\n")
	configBefore := "# team profiles\n[profile team-a]\n" + legacy(directory.DemoAccount, directory.DemoRole) +
		"; the same portal\n\n[profile team-b]\n# read-only\n" + legacy(directory.DemoAccount, directory.DemoRole) + "region = eu-west-1\n"
	cli.WriteConfig(configBefore)

	identity := func(profile string) (arn string, err error) {
		out, stderr, err := cli.Run("sts", "get-caller-identity", "--profile", profile, "--output", "json")
		if err != nil {
			return "", fmt.Errorf("%w\n%s", err, stderr)
		}
		var id struct{ Arn string }
		if err := json.Unmarshal([]byte(out), &id); err != nil || id.Arn == "" {
			return "", fmt.Errorf("aws sts get-caller-identity printed %q: %v", out, err)
		}
		return id.Arn, nil
	}
	profiles := []string{"sso-user-1", "team-a", "team-b"}
	if _, stderr, err := cli.Run("sso", "login", "--profile", "sso-user-1", "--no-browser"); err != nil {
		t.Fatalf("aws sso login (legacy): %v\n%s", err, stderr)
	}
	before := map[string]string{}
	for _, p := range profiles {
		arn, err := identity(p)
		if err != nil {
			t.Fatalf("before migrating, profile %s: %v", p, err)
		}
		before[p] = arn
	}
	if tok := readToken(t, cli.SSOTokenFile(srv.StartURL)); tok.RefreshToken != "" {
		t.Errorf("the legacy sign-in cached a refresh token")
	}

	e := newTestEnv(t, srv)
	e.home = cli.Home
	e.f.HomeDir = func() (string, error) { return cli.Home, nil }
	if err := runMigrate(context.Background(), &MigrateOptions{Factory: e.f, Yes: true}); err != nil {
		t.Fatalf("migrate: %v\n%s", err, e.errOut)
	}
	session := sessionNameFor(srv.StartURL)
	if !strings.HasPrefix(session, "d-") {
		t.Errorf("sso-session %q is not named after the directory of %s", session, srv.StartURL)
	}
	for _, want := range []string{"+sso_session = " + session + "\n", "-sso_start_url = " + srv.StartURL + "\n", "+[sso-session " + session + "]\n"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("the diff lacks %q:\n%s", want, e.out)
		}
	}
	configAfter := e.read(t, cli.ConfigFile)
	for _, comment := range []string{"# team profiles\n", "; the same portal\n\n", "# read-only\n"} {
		if !strings.Contains(configAfter, comment) {
			t.Errorf("the comment %q was lost:\n%s", comment, configAfter)
		}
	}
	if creds := e.read(t, cli.CredentialsFile); !strings.HasPrefix(creds, "; written by the AWS Toolkit for Visual Studio\n[sso-user-1]\nsso_session = "+session+"\n") {
		t.Errorf("credentials file:\n%s", creds)
	}

	// The session's token is cached under its name, not the start URL: the
	// legacy sign-in does not carry over.
	if _, err := identity("sso-user-1"); err == nil {
		t.Errorf("the CLI got credentials for the migrated profile without signing in to sso-session %s", session)
	}
	if _, stderr, err := cli.Run("sso", "login", "--sso-session", session, "--no-browser"); err != nil {
		t.Fatalf("aws sso login --sso-session %s: %v\n%s", session, err, stderr)
	}
	for _, p := range profiles {
		arn, err := identity(p)
		if err != nil {
			t.Fatalf("after migrating, profile %s: %v", p, err)
		}
		if arn != before[p] {
			t.Errorf("profile %s: the CLI is %s after migrating, %s before", p, arn, before[p])
		}
	}
	if tok := readToken(t, cli.SSOTokenFile(session)); tok.RefreshToken == "" {
		t.Errorf("the sso-session's sign-in cached no refresh token")
	}
}

func readToken(t *testing.T, path string) (tok struct{ RefreshToken string }) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tok); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tok
}
