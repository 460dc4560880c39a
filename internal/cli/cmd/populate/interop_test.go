package populate

import (
	"encoding/json"
	"testing"

	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
)

// TestAWSCLIUsesPopulatedProfiles checks that the AWS CLI v2 reads what
// populate writes, marker key included, and gets role credentials for it
// with the token ssokit cached.
func TestAWSCLIUsesPopulatedProfiles(t *testing.T) {
	srv := emulatortest.NewServer(t, autoApprove)
	cli := awscli.New(t, srv.URL)
	e := newTestEnv(t, srv)
	e.home = cli.Home
	e.f.HomeDir = func() (string, error) { return cli.Home, nil }
	e.paths.Config, e.paths.Credentials = cli.ConfigFile, cli.CredentialsFile
	e.write(t, e.paths.Config, e.session())
	e.signIn(t)
	if err := e.run(Options{SSOSession: "corp", Region: srv.Region}); err != nil {
		t.Fatalf("populate: %v\nstderr: %s", err, e.errOut)
	}

	for profile, account := range map[string]string{"production.readOnly": "444455556666", "demo-sandbox.AdministratorAccess": "123456789011"} {
		out, _, err := cli.Run("sts", "get-caller-identity", "--profile", profile, "--output", "json")
		if err != nil {
			t.Fatal(err)
		}
		var id struct{ Account, Arn string }
		if err := json.Unmarshal([]byte(out), &id); err != nil {
			t.Fatalf("aws sts get-caller-identity printed %q: %v", out, err)
		}
		if id.Account != account {
			t.Errorf("profile %s: the CLI got credentials for account %q (%s), want %s", profile, id.Account, id.Arn, account)
		}
	}
}
