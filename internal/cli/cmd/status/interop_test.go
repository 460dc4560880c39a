package status

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
)

// After `aws sso login` for a session in the config and for a legacy
// profile configured in a file ssokit does not read, status shows both: the
// first by name with its profile, the second by start URL.
func TestStatusShowsWhatTheAWSCLISignedInTo(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	session := fmt.Sprintf(`[profile emu]
sso_session = emu
sso_account_id = %[1]s
sso_role_name = %[2]s

[sso-session emu]
sso_start_url = %[3]s
sso_region = %[4]s
sso_registration_scopes = sso:account:access
`, directory.DemoAccount, directory.DemoRole, srv.StartURL, srv.Region)
	cli.WriteConfig(session + fmt.Sprintf(`
[profile elsewhere]
sso_start_url = %[1]s
sso_region = %[2]s
sso_account_id = %[3]s
sso_role_name = %[4]s
`, srv.StartURL, srv.Region, directory.DemoAccount, directory.DemoRole))
	for _, p := range []string{"emu", "elsewhere"} {
		if _, _, err := cli.Run("sso", "login", "--profile", p, "--no-browser"); err != nil {
			t.Fatal(err)
		}
	}
	// ssokit's config knows only the sso-session.
	if err := os.WriteFile(cli.ConfigFile, []byte(session), 0o600); err != nil {
		t.Fatal(err)
	}

	opts, out, errOut := testOptions(t, cli.Home, "table")
	opts.Now = time.Now
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two sessions:\n%s\nstderr: %s", out, errOut)
	}
	// The sso-session's token has a refresh token and lives an hour; the
	// legacy profile's has none and lasts the 8h session, as on AWS.
	for i, want := range []struct {
		fields []string
		left   *regexp.Regexp
	}{
		{[]string{"emu", srv.StartURL, srv.Region, "left", "yes", "emu"}, regexp.MustCompile(`  5\dm left `)},
		{[]string{"(not", "configured)", srv.StartURL, srv.Region, "left", "no", "-"}, regexp.MustCompile(`  7h 5\dm left `)},
	} {
		if got := strings.Fields(lines[i+1]); !containsAll(got, want.fields) || !want.left.MatchString(lines[i+1]) {
			t.Errorf("row %d = %q, want the fields %q and time left matching %q", i+1, lines[i+1], want.fields, want.left)
		}
	}
	// Only the footnote that explains "(not configured)".
	if errOut.String() != notConfigNote+"\n" {
		t.Errorf("stderr: %s", errOut)
	}
}

func containsAll(fields, want []string) bool {
	have := map[string]bool{}
	for _, f := range fields {
		have[f] = true
	}
	for _, w := range want {
		if !have[w] {
			return false
		}
	}
	return true
}
