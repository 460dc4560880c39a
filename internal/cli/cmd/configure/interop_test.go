package configure

import (
	"context"
	"encoding/json"
	"testing"

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
