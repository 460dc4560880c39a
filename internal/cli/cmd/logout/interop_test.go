package logout

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/tokencache"
)

// After `aws sso login` and `aws configure export-credentials` (which
// caches role credentials in ~/.aws/cli/cache), `ssokit logout` signs the
// CLI out: the portal revokes the token, and the CLI can no longer get
// credentials without signing in again.
func TestLogoutSignsTheAWSCLIOut(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf(`[profile emu]
sso_session = emu
sso_account_id = %[1]s
sso_role_name = %[2]s
region = %[3]s

[sso-session emu]
sso_start_url = %[4]s
sso_region = %[3]s
sso_registration_scopes = sso:account:access
`, directory.DemoAccount, directory.DemoRole, srv.Region, srv.StartURL))
	if _, _, err := cli.Run("sso", "login", "--profile", "emu", "--no-browser"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli.Run("configure", "export-credentials", "--profile", "emu"); err != nil {
		t.Fatal(err)
	}
	cache := tokencache.New(tokencache.DefaultDir(cli.Home))
	tok, err := cache.LoadToken("emu")
	if err != nil {
		t.Fatal(err)
	}

	c := cmdtest.NewEnv(t, srv)
	c.Home = cli.Home // sign out of what the AWS CLI cached
	if err := run(context.Background(), &Options{Factory: c.F, IO: c.F.IOStreams, Profile: "emu"}); err != nil {
		t.Fatalf("logout: %v\n%s", err, c.ErrOut)
	}
	want := fmt.Sprintf("Signed out of SSO session \"emu\" (%s).\nDeleted 1 cached SSO role credential from %s.\n", srv.StartURL, filepath.Join(cli.Home, ".aws", "cli", "cache"))
	if c.ErrOut.String() != want {
		t.Errorf("stderr = %q, want %q", c.ErrOut, want)
	}
	if n := srv.Count("Logout"); n != 1 {
		t.Errorf("portal Logout calls = %d, want 1", n)
	}
	if exists(cache.TokenPath("emu")) {
		t.Error("the CLI's token file is still there")
	}
	e := &env{srv: srv}
	if e.works(t, tok.AccessToken) {
		t.Error("the token still works at the portal")
	}
	if _, _, err := cli.Run("configure", "export-credentials", "--profile", "emu"); err == nil {
		t.Error("the AWS CLI still gets credentials after ssokit logout")
	}
}
