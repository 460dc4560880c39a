package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// Rule 2 of CONTRIBUTING.md: with nothing naming a profile and no default
// profile that signs in through SSO, the config's only sso-session is used
// and named on stderr; a profile named anywhere is never replaced.
func TestResolveSSOOnlySession(t *testing.T) {
	const (
		corp  = "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n"
		other = "[sso-session other]\nsso_start_url = https://d-0987654321.awsapps.com/start\nsso_region = us-east-1\n"
		dev   = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
	)
	tests := []struct {
		name                string
		config, credentials string
		env                 map[string]string
		wantSession         string // "" when an error is wanted
		wantProfile         string
		wantErr             []string // in the error, when wantSession is ""
		wantNote            bool     // stderr names the only session
		notUsage            bool     // the error is not a *FlagError
	}{
		{name: "one session is used", config: corp, wantSession: "corp", wantProfile: "", wantNote: true},
		{name: "AWS_PROFILE wins", config: corp + dev, env: map[string]string{"AWS_PROFILE": "dev"}, wantSession: "corp", wantProfile: "dev"},
		{name: "AWS_PROFILE naming no profile is not replaced", config: corp, env: map[string]string{"AWS_PROFILE": "gone"},
			wantErr: []string{`profile "gone"`, "(from AWS_PROFILE)"}},
		{name: "AWS_DEFAULT_PROFILE naming no profile is not replaced", config: corp, env: map[string]string{"AWS_DEFAULT_PROFILE": "gone"},
			wantErr: []string{`profile "gone"`, "(from AWS_DEFAULT_PROFILE)"}},
		{name: "an SSO default profile wins", config: corp + other + "[default]\nsso_session = other\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n",
			wantSession: "other", wantProfile: "default"},
		{name: "a default profile that is not SSO leaves the only session", config: corp, credentials: "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n",
			wantSession: "corp", wantNote: true},
		{name: "a broken SSO default profile stands", config: corp + "[default]\nsso_session = gone\n",
			wantErr: []string{`the specified sso-session does not exist: "gone"`}, notUsage: true},
		{name: "two sessions are listed", config: corp + other,
			wantErr: []string{`profile "default" (the default: no profile was named) is not defined`, "has 2 sso-sessions (corp, other): choose one with --sso-session"}},
		{name: "no session keeps the profile error", config: "[profile x]\nregion = eu-west-1\n",
			wantErr: []string{`profile "default"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := tempdir.New(t)
			os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
			os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(tt.config), 0o600)
			os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(tt.credentials), 0o600)
			ios, _, _, errOut := iostreams.Test()
			f := &Factory{IOStreams: ios, Getenv: func(k string) string { return tt.env[k] }, HomeDir: func() (string, error) { return home, nil }}

			sso, err := f.ResolveSSO("", "")
			note := `Using sso-session "corp", the only one in ` + filepath.Join(home, ".aws", "config") + ".\n"
			if tt.wantNote != (errOut.String() == note) {
				t.Errorf("stderr = %q, want the note: %v", errOut, tt.wantNote)
			}
			if tt.wantSession == "" {
				var flagErr *FlagError
				if err == nil || errors.As(err, &flagErr) == tt.notUsage {
					t.Fatalf("err = %v, want a FlagError: %v", err, !tt.notUsage)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error does not say %q:\n%v", w, err)
					}
				}
				if strings.Contains(tt.name, "no session") && strings.Contains(err.Error(), "sso-session") {
					t.Errorf("with no session the error stays as it was:\n%v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sso.SessionName != tt.wantSession || sso.Profile != tt.wantProfile {
				t.Errorf("resolved sso-session %q, profile %q; want %q, %q", sso.SessionName, sso.Profile, tt.wantSession, tt.wantProfile)
			}
		})
	}
}
