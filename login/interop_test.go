package login_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

var awscliConfig = `[profile dev]
sso_session = my-sso
sso_account_id = ` + directory.DemoAccount + `
sso_role_name = ` + directory.DemoRole + `
region = us-east-1

[sso-session my-sso]
sso_start_url = %s
sso_region = %s
sso_registration_scopes = sso:account:access
`

// A token ssokit signed in with is what the AWS CLI uses: it gets role
// credentials with it and never asks to sign in.
func TestAWSCLIUsesTheTokenSsokitSavedIn(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf(awscliConfig, srv.StartURL, srv.Region))
	s := &setup{srv: srv, cache: tokencache.New(tokencache.DefaultDir(cli.Home)), msgs: &syncbuf.Buffer{}}
	sso := s.session()
	sso.Scopes = []string{"sso:account:access"}
	if _, err := login.NewSession(sso, s.opts, func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := counts(srv, "RegisterClient", "CreateToken", "StartDeviceAuthorization")

	out, _, err := cli.Run("configure", "export-credentials", "--profile", "dev", "--format", "env")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "AWS_SESSION_TOKEN=") {
		t.Errorf("the CLI printed no credentials:\n%s", out)
	}
	if got := srv.Count("GetRoleCredentials"); got != 1 {
		t.Errorf("GetRoleCredentials = %d, want 1 (with ssokit's token)", got)
	}
	if after := counts(srv, "RegisterClient", "CreateToken", "StartDeviceAuthorization"); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the CLI signed in or refreshed again: OIDC requests went from %v to %v", before, after)
	}
}

// A token `aws sso login` saved is what ssokit uses, and ssokit refreshes it
// with the CLI's client registration when it nears expiry.
func TestSsokitUsesAndRefreshesTheAWSCLIToken(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf(awscliConfig, srv.StartURL, srv.Region))
	if _, errOut, err := cli.Run("sso", "login", "--profile", "dev", "--no-browser"); err != nil {
		t.Fatalf("aws sso login: %v\n%s", err, errOut)
	}
	s := &setup{srv: srv, cache: tokencache.New(tokencache.DefaultDir(cli.Home)), msgs: &syncbuf.Buffer{}}
	sso := s.session()
	sso.Scopes = []string{"sso:account:access"}
	registered, created := srv.Count("RegisterClient"), srv.Count("CreateToken")

	cliTok, err := login.NewSession(sso, s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("Token with the CLI's token cached: %v", err)
	}
	if srv.Count("CreateToken") != created {
		t.Error("ssokit called CreateToken although the CLI's token was fresh")
	}

	s.now = cliTok.ExpiresAt.Add(-5 * time.Minute)
	tok, err := login.NewSession(sso, s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("refreshing the CLI's token: %v\n%s", err, s.msgs)
	}
	if tok.AccessToken == cliTok.AccessToken || srv.Count("CreateToken") != created+1 {
		t.Errorf("want one refresh of the CLI's token; CreateToken went from %d to %d", created, srv.Count("CreateToken"))
	}
	if srv.Count("RegisterClient") != registered {
		t.Error("ssokit registered a client instead of using the CLI's")
	}

	// And the CLI takes the refreshed token back.
	if _, _, err := cli.Run("configure", "export-credentials", "--profile", "dev", "--format", "env"); err != nil {
		t.Fatalf("the CLI with the token ssokit refreshed: %v", err)
	}
}

// A token ssokit signed in with is what aws-sdk-go-v2 uses for an
// sso-session profile.
func TestGoSDKUsesTheTokenSsokitSavedIn(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	home := tempdir.New(t)
	t.Setenv("HOME", home) // the SDK finds ~/.aws/sso/cache through it
	t.Setenv("USERPROFILE", home)
	configPath := filepath.Join(home, "config")
	if err := os.WriteFile(configPath, fmt.Appendf(nil, awscliConfig, srv.StartURL, srv.Region), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &setup{srv: srv, cache: tokencache.New(tokencache.DefaultDir(home)), msgs: &syncbuf.Buffer{}}
	sso := s.session()
	sso.Scopes = []string{"sso:account:access"}
	if _, err := login.NewSession(sso, s.opts, func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }).Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	created := srv.Count("CreateToken")

	cfg, err := awsconfig.LoadDefaultConfig(context.Background(),
		awsconfig.WithSharedConfigFiles([]string{configPath}),
		awsconfig.WithSharedCredentialsFiles([]string{filepath.Join(home, "credentials")}),
		awsconfig.WithSharedConfigProfile("dev"),
		awsconfig.WithBaseEndpoint(srv.URL),
	)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("the SDK could not get credentials with ssokit's token: %v", err)
	}
	if creds.AccessKeyID == "" || srv.Count("GetRoleCredentials") != 1 {
		t.Errorf("credentials %q after %d GetRoleCredentials calls, want one call", creds.AccessKeyID, srv.Count("GetRoleCredentials"))
	}
	if srv.Count("CreateToken") != created {
		t.Error("the SDK refreshed a fresh token")
	}
}
