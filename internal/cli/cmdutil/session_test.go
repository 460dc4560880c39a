package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestResolveSSO(t *testing.T) {
	home := tempdir.New(t)
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(`[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile envdefault]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
`), 0o600)
	env := map[string]string{
		"AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:1/oidc",
		"AWS_ENDPOINT_URL":          "http://127.0.0.1:1/all",
		"AWS_PROFILE":               "envdefault",
	}
	ios, _, _, _ := iostreams.Test()
	f := &Factory{IOStreams: ios, Getenv: func(k string) string { return env[k] }, HomeDir: func() (string, error) { return home, nil }}

	tests := []struct {
		name             string
		profile, session string
		want             []string // profile, session, account, oidc, portal
	}{
		{"a profile flag wins over AWS_PROFILE", "dev", "", []string{"dev", "corp", "111122223333", "http://127.0.0.1:1/oidc", "http://127.0.0.1:1/all"}},
		{"AWS_PROFILE is used without a flag", "", "", []string{"envdefault", "corp", "444455556666", "http://127.0.0.1:1/oidc", "http://127.0.0.1:1/all"}},
		{"an sso-session has no profile and no role", "", "corp", []string{"", "corp", "", "http://127.0.0.1:1/oidc", "http://127.0.0.1:1/all"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := f.Session(tt.profile, tt.session)
			if err != nil {
				t.Fatal(err)
			}
			sso := sess.SSO()
			got := []string{sso.Profile, sso.SessionName, sso.AccountID, sso.Endpoints.OIDC, sso.Endpoints.Portal}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("session (-want +got):\n%s", d)
			}
			if sess.Home() != home {
				t.Errorf("Home = %q, want %q", sess.Home(), home)
			}
		})
	}

	var flagErr *FlagError
	if _, err := f.ResolveSSO("dev", "corp"); !errors.As(err, &flagErr) {
		t.Errorf("--profile with --sso-session: err = %v, want a FlagError", err)
	}
	if _, err := f.ResolveSSO("missing", ""); !errors.As(err, &flagErr) {
		t.Errorf("unknown profile: err = %v, want a FlagError", err)
	}
}
