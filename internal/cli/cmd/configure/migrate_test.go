package configure

import (
	"context"
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
)

func TestNewMigrateCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    MigrateOptions
		wantErr string
	}{
		{"no flags: every legacy profile, asking first", nil, MigrateOptions{}, ""},
		{"every flag", []string{"-p", "sso-user-1", "--sso-session", "my-org", "--dry-run", "--yes"},
			MigrateOptions{Profile: "sso-user-1", SSOSession: "my-org", DryRun: true, Yes: true}, ""},
		{"long and short forms", []string{"--profile", "a", "-y"}, MigrateOptions{Profile: "a", Yes: true}, ""},
		{"a session name that would break the file", []string{"--sso-session", "a]b"}, MigrateOptions{}, `--sso-session "a]b": ']' is not allowed`},
		{"no arguments", []string{"extra"}, MigrateOptions{}, `unknown command "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, newMigrateCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Factory = f
			if diff := cmp.Diff(tt.want, *got, cmp.Comparer(func(a, b *cmdutil.Factory) bool { return a == b })); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// migrateEnv is a temporary home holding a case's files from
// testdata/migrate/NAME: config and credentials as they are before, and
// config.want and credentials.want as migrate must leave them (a file
// without a .want file must not change).
type migrateEnv struct {
	*cmdtest.Env
	paths config.Paths
	dir   string
}

func newMigrateEnv(t *testing.T, name string) *migrateEnv {
	t.Helper()
	e := &migrateEnv{Env: cmdtest.NewEnv(t, nil), dir: filepath.Join("testdata", "migrate", name)}
	e.paths = config.Paths{Config: filepath.Join(e.Home, ".aws", "config"), Credentials: filepath.Join(e.Home, ".aws", "credentials")}
	if err := os.MkdirAll(filepath.Join(e.Home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{e.paths.Config, e.paths.Credentials} {
		if b, err := os.ReadFile(filepath.Join(e.dir, filepath.Base(p))); err == nil {
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

// files returns both files' content; "" for a missing one.
func (e *migrateEnv) files(t *testing.T) [2]string {
	t.Helper()
	var out [2]string
	for i, p := range []string{e.paths.Config, e.paths.Credentials} {
		b, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

// want returns what both files must hold after migrating.
func (e *migrateEnv) want(t *testing.T, before [2]string) [2]string {
	t.Helper()
	out := before
	for i, name := range []string{"config", "credentials"} {
		if b, err := os.ReadFile(filepath.Join(e.dir, name+".want")); err == nil {
			out[i] = string(b)
		}
	}
	return out
}

func (e *migrateEnv) run(t *testing.T, opts MigrateOptions) error {
	t.Helper()
	e.Out.Reset()
	e.ErrOut.Reset()
	opts.Factory = e.F
	return runMigrate(context.Background(), &opts)
}

func TestMigrateRewritesInPlace(t *testing.T) {
	for _, tc := range []struct {
		name string
		// sessions are the login commands printed, one per sso-session.
		sessions []string
	}{
		{"seed", []string{"d-1234567890"}},
		{"comments", []string{"d-1234567890", "corp"}},
		{"crlf", []string{"my-corp"}},
		{"names", []string{"sso", "my-corp-2", "d-9067a1b2c3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMigrateEnv(t, tc.name)
			before := e.files(t)
			want := e.want(t, before)

			// A dry run prints the change and writes nothing.
			if err := e.run(t, MigrateOptions{DryRun: true}); err != nil {
				t.Fatalf("dry run: %v\n%s", err, e.ErrOut)
			}
			if got := e.files(t); got != before {
				t.Fatalf("the dry run changed the files:\n%s", cmp.Diff(before, got))
			}
			diff := e.Out.String()
			for i, p := range []string{e.paths.Config, e.paths.Credentials} {
				if shown := strings.Contains(diff, "--- "+p+"\n"); shown != (want[i] != before[i]) {
					t.Errorf("the dry run's diff shows %s: %v, want %v:\n%s", p, shown, want[i] != before[i], diff)
				}
			}

			if err := e.run(t, MigrateOptions{Yes: true}); err != nil {
				t.Fatalf("migrate: %v\n%s", err, e.ErrOut)
			}
			if e.Out.String() != diff {
				t.Errorf("migrate printed another diff than the dry run:\n%s\nwant\n%s", e.Out, diff)
			}
			got := e.files(t)
			for i, p := range []string{"config", "credentials"} {
				if d := cmp.Diff(want[i], got[i]); d != "" {
					t.Errorf("%s (-want +got):\n%s", p, d)
				}
			}
			for _, s := range tc.sessions {
				if !strings.Contains(e.ErrOut.String(), "  ssokit login --sso-session "+s+"\n") {
					t.Errorf("no login command for sso-session %s in:\n%s", s, e.ErrOut)
				}
			}

			// The migrated files resolve to the same accounts and roles.
			checkSameRoles(t, e.paths, before, got)

			// A second run has nothing to do.
			if err := e.run(t, MigrateOptions{Yes: true}); err != nil {
				t.Fatalf("second run: %v", err)
			}
			if e.Out.Len() != 0 || !strings.Contains(e.ErrOut.String(), "nothing to migrate") {
				t.Errorf("second run printed %q on stdout and %q on stderr, want nothing to migrate", e.Out, e.ErrOut)
			}
			if again := e.files(t); again != got {
				t.Errorf("the second run changed the files:\n%s", cmp.Diff(got, again))
			}
		})
	}
}

// checkSameRoles resolves every SSO profile of the files before and after,
// and wants the same start URL, SSO region, account and role for each, and
// no legacy profile left.
func checkSameRoles(t *testing.T, paths config.Paths, before, after [2]string) {
	t.Helper()
	resolve := func(files [2]string) map[string]config.SSO {
		dir := t.TempDir()
		p := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		for i, path := range []string{p.Config, p.Credentials} {
			if err := os.WriteFile(path, []byte(files[i]), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]config.SSO{}
		for _, prof := range cfg.Profiles() {
			if s, err := cfg.ResolveSSO(prof.Name, nil); err == nil {
				out[prof.Name] = config.SSO{StartURL: s.StartURL, Region: s.Region, AccountID: s.AccountID, RoleName: s.RoleName}
			}
		}
		if n := len(cfg.LegacySSOProfiles()); n > 0 && files == after {
			t.Errorf("%d legacy profiles are left", n)
		}
		return out
	}
	if d := cmp.Diff(resolve(before), resolve(after), cmp.Comparer(func(a, b config.Endpoints) bool { return true })); d != "" {
		t.Errorf("the profiles resolve differently after migrating (-before +after):\n%s", d)
	}
}

func TestMigrateDryRunDiff(t *testing.T) {
	e := newMigrateEnv(t, "seed")
	if err := e.run(t, MigrateOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	want := "--- " + e.paths.Config + "\n+++ " + e.paths.Config + ` (after migrate)
@@ -0,0 +1,4 @@
+[sso-session d-1234567890]
+sso_start_url = https://d-1234567890.awsapps.com/start
+sso_region = us-east-2
+sso_registration_scopes = sso:account:access
--- ` + e.paths.Credentials + "\n+++ " + e.paths.Credentials + ` (after migrate)
@@ -1,6 +1,5 @@
 [sso-user-1]
-sso_start_url = https://d-1234567890.awsapps.com/start
-sso_region = us-east-2
+sso_session = d-1234567890
 sso_account_id = 123456789011
 sso_role_name = readOnly
 region = us-west-2
`
	if d := cmp.Diff(want, e.Out.String()); d != "" {
		t.Errorf("stdout (-want +got):\n%s", d)
	}
	if !strings.Contains(e.ErrOut.String(), "nothing was written") {
		t.Errorf("stderr = %q, want it to say nothing was written", e.ErrOut)
	}
	if _, err := os.Stat(e.paths.Config); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dry run created %s", e.paths.Config)
	}
}

func TestMigrateOneGroupWithAName(t *testing.T) {
	e := newMigrateEnv(t, "comments")
	before := e.files(t)
	// sso-user-1 shares its start URL with 'other org' (in the other
	// file), not with team-a and team-b.
	if err := e.run(t, MigrateOptions{Profile: "sso-user-1", SSOSession: "my-org", Yes: true}); err != nil {
		t.Fatalf("%v\n%s", err, e.ErrOut)
	}
	got := e.files(t)
	if !strings.Contains(got[0], "[profile 'other org']\nsso_session = my-org\n") || !strings.HasSuffix(got[0], "\n\n[sso-session my-org]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-2\nsso_registration_scopes = sso:account:access\n") {
		t.Errorf("config:\n%s", got[0])
	}
	if !strings.Contains(got[0], "[profile team-a]\nsso_start_url = https://my-corp.awsapps.com/start\n") {
		t.Errorf("team-a, of another group, was changed:\n%s", got[0])
	}
	if want := strings.Replace(before[1], "sso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-2\n", "sso_session = my-org\n", 1); got[1] != want {
		t.Errorf("credentials:\n%s", cmp.Diff(want, got[1]))
	}

	// Naming the existing sso-session of the same start URL and region
	// uses it: no section is added.
	if err := e.run(t, MigrateOptions{Profile: "team-b", SSOSession: "corp", Yes: true}); err != nil {
		t.Fatalf("%v\n%s", err, e.ErrOut)
	}
	after := e.files(t)
	if strings.Count(after[0], "[sso-session") != 2 || !strings.Contains(after[0], "[profile team-a]\nsso_session = corp\n") || !strings.Contains(e.ErrOut.String(), `the existing sso-session "corp"`) {
		t.Errorf("config:\n%s\nstderr: %s", after[0], e.ErrOut)
	}

	// Naming a profile that already uses an sso-session is nothing to do.
	if err := e.run(t, MigrateOptions{Profile: "modern", Yes: true}); err != nil || !strings.Contains(e.ErrOut.String(), "nothing to migrate") {
		t.Errorf("error %v, stderr %q; want nothing to migrate", err, e.ErrOut)
	}
}

func TestMigrateRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    MigrateOptions
		wantErr string
		usage   bool
		// extra is appended to the case's config file.
		extra string
	}{
		{"to write without --yes and without a terminal", MigrateOptions{}, "--yes is required", true, ""},
		{"one name for several groups", MigrateOptions{SSOSession: "x", Yes: true}, "the legacy profiles use 2 start URLs", true, ""},
		{"a name taken by a session for another start URL", MigrateOptions{Profile: "team-a", SSOSession: "other", Yes: true}, "exists at", true,
			"\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n"},
		{"a profile that does not exist", MigrateOptions{Profile: "ghost", Yes: true}, "ghost", false, ""},
		{"a profile that is not an SSO profile", MigrateOptions{Profile: "static-only", Yes: true}, "not an SSO profile", false, ""},
		{"a legacy profile that does not resolve", MigrateOptions{Profile: "half", Yes: true}, "missing required configuration: sso_region", false,
			"\n[profile half]\nsso_start_url = https://other.awsapps.com/start\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMigrateEnv(t, "comments")
			if err := os.WriteFile(e.paths.Config, []byte(e.files(t)[0]+tc.extra), 0o600); err != nil {
				t.Fatal(err)
			}
			before := e.files(t)
			err := e.run(t, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
			if usage := errors.As(err, new(*cmdutil.FlagError)); usage != tc.usage {
				t.Errorf("usage error: %v, want %v", usage, tc.usage)
			}
			if e.Out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", e.Out)
			}
			if got := e.files(t); got != before {
				t.Errorf("the files changed:\n%s", cmp.Diff(before, got))
			}
		})
	}
}

func TestMigrateAsksFirst(t *testing.T) {
	for _, answer := range []string{"n", "y"} {
		t.Run(answer, func(t *testing.T) {
			e := newMigrateEnv(t, "seed")
			e.F.IOStreams.SetTTY(true)
			e.F.Prompter = &script{t: t, steps: []step{{kind: "confirm", prompt: "Write these changes?", answer: answer}}}
			before := e.files(t)
			err := e.run(t, MigrateOptions{})
			changed := e.files(t) != before
			if answer == "n" && (!errors.Is(err, cmdutil.ErrCancel) || changed) {
				t.Errorf("after no: error %v (want cancelled), files changed %v", err, changed)
			}
			if answer == "y" && (err != nil || !changed) {
				t.Errorf("after yes: error %v, files changed %v", err, changed)
			}
			if !strings.Contains(e.Out.String(), "+sso_session = d-1234567890") {
				t.Errorf("the diff was not shown before asking: %q", e.Out)
			}
		})
	}
}
