package config

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// writtenProfile is one profile as `ssokit configure` would write it.
type writtenProfile struct {
	name, account, role, region string
}

var writtenProfiles = []writtenProfile{
	{"default", "111122223333", "ReadOnly", "eu-west-1"},
	{"dev", "444455556666", "AdministratorAccess", "us-west-2"},
	{"Mixed.Case-name_1", "777788889999", "Dev+Ops@team", ""},
	{"my dev", "123456789012", "ReadOnly", "ap-south-1"},
	{"it's mine", "123456789012", "Billing", ""},
	{"ünïcode", "123456789012", "ReadOnly", ""},
}

// writeProfiles writes the profiles, an sso-session and a static profile
// with Edit into a config file that already holds a user's lines.
func writeProfiles(t *testing.T) Paths {
	t.Helper()
	dir := tempdir.New(t)
	paths := Paths{
		Config:      writeFile(t, dir, "config", "# mine\n[profile old]\nregion = x # keep\n"),
		Credentials: filepath.Join(dir, "credentials"),
	}
	ctx := context.Background()
	err := Edit(ctx, paths.Config, func(f *File) error {
		s := f.AddSection(SSOSessionHeader("corp"))
		s.Set(KeySSOStartURL, "https://d-1234567890.awsapps.com/start")
		s.Set(KeySSORegion, "eu-central-1")
		s.Set(KeySSORegistrationScopes, "sso:account:access")
		for _, p := range writtenProfiles {
			s := f.AddSection(ProfileHeader(p.name, false))
			s.Set(KeySSOSession, "corp")
			s.Set(KeySSOAccountID, p.account)
			s.Set(KeySSORoleName, p.role)
			if p.region != "" {
				s.Set(KeyRegion, p.region)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = Edit(ctx, paths.Credentials, func(f *File) error {
		s := f.AddSection(ProfileHeader("static user", true))
		s.Set(KeyAccessKeyID, "AKIDEXAMPLE")
		s.Set(KeySecretAccessKey, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// What Edit writes, botocore reads the same way this package does.
func TestWrittenFilesReadByBotocore(t *testing.T) {
	paths := writeProfiles(t)
	results := runOracle(t, []oracleCase{{Name: "written", Config: paths.Config, Credentials: paths.Credentials}})
	if results[0].Error != "" {
		t.Fatalf("botocore cannot read what Edit wrote: %s (%s)", results[0].Error, results[0].Cause)
	}
	c, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	d := dump(c)
	if diff := cmp.Diff(norm(results[0].Profiles), d["profiles"]); diff != "" {
		t.Errorf("profiles (-botocore +ours):\n%s", diff)
	}
	if diff := cmp.Diff(norm(results[0].SSOSessions), d["sso_sessions"]); diff != "" {
		t.Errorf("sso-sessions (-botocore +ours):\n%s", diff)
	}
	for _, p := range writtenProfiles {
		s, err := c.ResolveSSO(p.name, nil)
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		if s.AccountID != p.account || s.RoleName != p.role || s.SessionName != "corp" || s.ProfileRegion != p.region {
			t.Errorf("%s resolved as %+v", p.name, s)
		}
	}
}

// What Edit writes, the Go SDK reads as well, for every profile name it can
// express: it splits a header at the first blank and knows no quotes, so
// names with blanks or quotes are for the AWS CLI and botocore only.
func TestWrittenFilesReadByGoSDK(t *testing.T) {
	paths := writeProfiles(t)
	c, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	load := func(name string) (awsconfig.SharedConfig, error) {
		return awsconfig.LoadSharedConfigProfile(context.Background(), name, func(o *awsconfig.LoadSharedConfigOptions) {
			o.ConfigFiles = []string{paths.Config}
			o.CredentialsFiles = []string{paths.Credentials}
		})
	}
	for _, p := range writtenProfiles {
		if strings.ContainsAny(p.name, " '") {
			continue
		}
		got, err := load(p.name)
		if err != nil {
			t.Errorf("Go SDK, profile %q: %v", p.name, err)
			continue
		}
		want, err := c.ResolveSSO(p.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.SSOSession == nil {
			t.Errorf("Go SDK, profile %q: no sso-session", p.name)
			continue
		}
		g := SSO{Profile: p.name, SessionName: got.SSOSessionName, StartURL: got.SSOSession.SSOStartURL, Region: got.SSOSession.SSORegion,
			Scopes: want.Scopes, AccountID: got.SSOAccountID, RoleName: got.SSORoleName, ProfileRegion: got.Region}
		if d := cmp.Diff(want, g, ignoreEndpoints); d != "" {
			t.Errorf("profile %q (-ours +Go SDK):\n%s", p.name, d)
		}
	}
	static, err := load("static user")
	if err != nil || static.Credentials.AccessKeyID != "AKIDEXAMPLE" {
		t.Errorf("Go SDK, static user: %+v, %v", static.Credentials, err)
	}
	old, err := load("old")
	if err != nil || old.Region != "x" {
		// The Go SDK strips the inline comment; botocore keeps it.
		t.Errorf("Go SDK, the user's profile: region %q, %v", old.Region, err)
	}
}
