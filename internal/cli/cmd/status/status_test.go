package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/memkeyring"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewCmdFlags(t *testing.T) {
	tests := map[string]struct {
		args    []string
		want    string
		wantErr string
	}{
		"the default output is a table":      {args: nil, want: "table"},
		"--output json":                      {args: []string{"--output", "json"}, want: "json"},
		"-o is short for --output":           {args: []string{"-o", "json"}, want: "json"},
		"an unknown format is a usage error": {args: []string{"--output", "yaml"}, wantErr: `--output "yaml": use one of table, json`},
		"arguments are refused":              {args: []string{"extra"}, wantErr: `unknown command "extra"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Output != tt.want || got.IO != ios {
				t.Errorf("Options = %+v, want Output %q and the factory's streams", got, tt.want)
			}
		})
	}
}

func TestNewCmdBadOutputIsAFlagError(t *testing.T) {
	_, err := cmdtest.ParseFlags(nil, NewCmd, "-o", "xml")
	var flagErr *cmdutil.FlagError
	if !errors.As(err, &flagErr) {
		t.Errorf("err = %v, want a *cmdutil.FlagError (exit code 2)", err)
	}
}

// now is the injected clock of the Options → output tests.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const testConfig = `[default]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Admin

[profile old]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 444455556666
sso_role_name = ReadOnly

[profile old2]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 444455556666
sso_role_name = Admin

[sso-session my-sso]
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session unused]
sso_start_url = https://unused.awsapps.com/start
sso_region = eu-central-1

[profile keys]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[profile broken]
sso_session = missing
sso_account_id = 111122223333
sso_role_name = Admin

[profile prod-admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = dev

[profile deploy]
role_arn = arn:aws:iam::333333333333:role/Deploy
source_profile = prod-admin

[profile old-admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = old

[profile on-keys]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = keys
`

// fixture writes the config above and a token cache holding: a refreshable
// token for my-sso, an expired legacy token, a corrupt file for "unused", a
// token the AWS CLI wrote for a session configured elsewhere (old time
// format), and a client registration.
func fixture(t *testing.T) (home string) {
	t.Helper()
	home = tempdir.New(t)
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, ".aws", "config"), testConfig)
	cache := tokencache.New(tokencache.DefaultDir(home))
	save := func(key string, tok *tokencache.Token) {
		t.Helper()
		if err := cache.SaveToken(key, tok); err != nil {
			t.Fatal(err)
		}
	}
	save("my-sso", &tokencache.Token{
		StartURL: "https://my-sso-portal.awsapps.com/start", Region: "us-east-1",
		AccessToken: "at-1", ExpiresAt: now.Add(7*time.Hour + 52*time.Minute + 30*time.Second),
		ClientID: "cid", ClientSecret: "cs", RegistrationExpiresAt: now.Add(60 * 24 * time.Hour), RefreshToken: "rt",
	})
	// A legacy token carrying refresh fields is still not refreshable.
	save("https://legacy.awsapps.com/start", &tokencache.Token{
		StartURL: "https://legacy.awsapps.com/start", Region: "us-west-2",
		AccessToken: "at-2", ExpiresAt: now.Add(-2*time.Hour - 5*time.Minute),
		ClientID: "cid", ClientSecret: "cs", RefreshToken: "rt",
	})
	write(cache.TokenPath("unused"), `{"accessToken": "at-3", "expiresAt": "2026-11-26T1`)
	write(filepath.Join(cache.Dir(), "0123456789abcdef0123456789abcdef01234567.json"),
		`{"startUrl": "https://elsewhere.awsapps.com/start", "region": "ap-southeast-2", "accessToken": "at-4", "expiresAt": "2026-11-26T12:00:45UTC"}`)
	write(filepath.Join(cache.Dir(), (tokencache.RegistrationKey{Region: "us-east-1", SessionName: "my-sso", StartURL: "https://my-sso-portal.awsapps.com/start"}).FileName()),
		`{"clientId": "cid", "clientSecret": "cs", "expiresAt": "2027-01-01T00:00:00Z"}`)
	return home
}

func testOptions(t *testing.T, home, output string) (*Options, *bytes.Buffer, *bytes.Buffer) {
	return testOptionsKeyring(t, home, output, nil)
}

// testOptionsKeyring is testOptions with kr as the keyring of the token
// cache.
func testOptionsKeyring(t *testing.T, home, output string, kr tokencache.Keyring) (*Options, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Getenv:    func(string) string { return "" },
		HomeDir:   func() (string, error) { return home, nil },
		Now:       func() time.Time { return now },
		Keyring:   kr,
	}
	return &Options{
		IO:         ios,
		Config:     f.Config,
		TokenCache: f.TokenCache,
		Getenv:     f.Getenv,
		Now:        f.Now,
		Output:     output,
	}, out, errOut
}

func TestRunTable(t *testing.T) {
	home := fixture(t)
	opts, out, errOut := testOptions(t, home, "table")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	want := `SESSION           START URL                                REGION          STATUS          REFRESH  STORAGE  PROFILES
my-sso            https://my-sso-portal.awsapps.com/start  us-east-1       7h 52m left     yes      file     default, dev, deploy (via dev), prod-admin (via dev)
unused            https://unused.awsapps.com/start         eu-central-1    not signed in   -        file     -
(no sso-session)  https://legacy.awsapps.com/start         us-west-2       expired 2h ago  no       file     old, old2, old-admin (via old)
(not configured)  https://elsewhere.awsapps.com/start      ap-southeast-2  <1m left        no       file     -
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	cache := tokencache.New(tokencache.DefaultDir(home))
	for _, w := range []string{
		// The rows without a session name of their own are explained.
		"(no sso-session): profiles that set sso_start_url themselves, the older form. Their token cannot be refreshed",
		"`ssokit configure migrate` moves them to an sso-session",
		"(not configured): a token in the cache for a start URL that no profile or sso-session in your config files names",
		"To sign in to https://legacy.awsapps.com/start again, run: ssokit login --profile old\n",
		`skipping profile "broken"`,
		"ignoring the cached SSO token " + cache.TokenPath("unused"),
	} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
		}
	}
}

func TestRunJSON(t *testing.T) {
	home := fixture(t)
	opts, out, _ := testOptions(t, home, "json")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	cache := tokencache.New(tokencache.DefaultDir(home))
	var got any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	want := map[string]any{"sessions": []any{
		map[string]any{
			"kind": "sso-session", "name": "my-sso", "startUrl": "https://my-sso-portal.awsapps.com/start", "region": "us-east-1",
			"profiles": []any{"default", "dev"}, "signedIn": true, "expiresAt": "2026-11-26T19:52:30Z", "expired": false,
			"chainedProfiles": []any{map[string]any{"name": "deploy", "via": "dev"}, map[string]any{"name": "prod-admin", "via": "dev"}},
			"secondsLeft":     float64(7*3600 + 52*60 + 30), "refreshable": true, "tokenStorage": "file", "cacheFile": cache.TokenPath("my-sso"),
		},
		map[string]any{
			"kind": "sso-session", "name": "unused", "startUrl": "https://unused.awsapps.com/start", "region": "eu-central-1",
			"profiles": []any{}, "signedIn": false, "expiresAt": nil, "expired": false, "chainedProfiles": []any{},
			"secondsLeft": float64(0), "refreshable": false, "tokenStorage": "file", "cacheFile": cache.TokenPath("unused"),
		},
		map[string]any{
			"kind": "legacy", "name": nil, "startUrl": "https://legacy.awsapps.com/start", "region": "us-west-2",
			"profiles": []any{"old", "old2"}, "signedIn": true, "expiresAt": "2026-11-26T09:55:00Z", "expired": true,
			"chainedProfiles": []any{map[string]any{"name": "old-admin", "via": "old"}},
			"secondsLeft":     float64(0), "refreshable": false, "tokenStorage": "file", "cacheFile": cache.TokenPath("https://legacy.awsapps.com/start"),
		},
		map[string]any{
			"kind": "cache-only", "name": nil, "startUrl": "https://elsewhere.awsapps.com/start", "region": "ap-southeast-2",
			"profiles": []any{}, "signedIn": true, "expiresAt": "2026-11-26T12:00:45Z", "expired": false, "chainedProfiles": []any{},
			"secondsLeft": float64(45), "refreshable": false, "tokenStorage": "file",
			"cacheFile": filepath.Join(cache.Dir(), "0123456789abcdef0123456789abcdef01234567.json"),
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestRunWithNothingSaysWhatToDo(t *testing.T) {
	home := tempdir.New(t)
	for _, output := range []string{"table", "json"} {
		opts, out, errOut := testOptions(t, home, output)
		if err := run(opts); err != nil {
			t.Fatal(err)
		}
		switch output {
		case "table":
			if out.Len() != 0 || !strings.Contains(errOut.String(), "To set one up and sign in, run: `ssokit configure sso`\n") {
				t.Errorf("table: stdout %q, stderr %q; want nothing on stdout and a hint on stderr", out, errOut)
			}
		case "json":
			if diff := cmp.Diff("{\n  \"sessions\": []\n}\n", out.String()); diff != "" {
				t.Errorf("json (-want +got):\n%s", diff)
			}
		}
	}
}

func TestHumanDurations(t *testing.T) {
	tests := map[string]struct {
		left time.Duration
		want string
	}{
		"hours and minutes, rounded down":  {7*time.Hour + 52*time.Minute + 59*time.Second, "7h 52m left"},
		"days and hours":                   {50*time.Hour + 10*time.Minute, "2d 2h left"},
		"whole hours":                      {time.Hour, "1h 0m left"},
		"minutes only":                     {45*time.Minute + 10*time.Second, "45m left"},
		"under a minute":                   {59 * time.Second, "<1m left"},
		"just expired":                     {0, "expired <1m ago"},
		"expired hours ago shows one unit": {-(2*time.Hour + 59*time.Minute), "expired 2h ago"},
		"expired days ago":                 {-(75 * time.Hour), "expired 3d ago"},
		"expired minutes ago":              {-(5*time.Minute + 30*time.Second), "expired 5m ago"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tok := &tokencache.Token{ExpiresAt: now.Add(tt.left)}
			if got := timeLeft(tok, now); got != tt.want {
				t.Errorf("timeLeft = %q, want %q", got, tt.want)
			}
		})
	}
	if got := timeLeft(&tokencache.Token{}, now); got != "expiry unknown" {
		t.Errorf("zero expiry: %q", got)
	}
}

func TestSignInCommand(t *testing.T) {
	expired := &tokencache.Token{AccessToken: "at", ExpiresAt: now.Add(-time.Hour)}
	refreshable := &tokencache.Token{AccessToken: "at", ExpiresAt: now.Add(-time.Hour), RefreshToken: "rt", ClientID: "c", ClientSecret: "s"}
	valid := &tokencache.Token{AccessToken: "at", ExpiresAt: now.Add(time.Hour)}
	session := func(name string, tok *tokencache.Token) login.SessionEntry {
		return login.SessionEntry{Kind: login.KindSSOSession, Name: name, SSO: &config.SSO{SessionName: name, StartURL: "https://x.awsapps.com/start"}, Token: tok}
	}
	legacy := func(tok *tokencache.Token, profiles ...string) login.SessionEntry {
		return login.SessionEntry{Kind: login.KindLegacy, StartURL: "https://x.awsapps.com/start", Profiles: profiles, SSO: &config.SSO{StartURL: "https://x.awsapps.com/start"}, Token: tok}
	}
	tests := map[string]struct {
		s    login.SessionEntry
		want string
	}{
		"an expired sso-session":                         {session("my-sso", expired), "ssokit login --sso-session my-sso"},
		"a session name a shell would split is quoted":   {session("my sso", expired), "ssokit login --sso-session 'my sso'"},
		"an expired but refreshable session needs none":  {session("my-sso", refreshable), ""},
		"a valid session needs none":                     {session("my-sso", valid), ""},
		"a session never signed in to needs none":        {session("my-sso", nil), ""},
		"an expired legacy start URL: its first profile": {legacy(expired, "a", "b"), "ssokit login --profile a"},
		"a legacy start URL is never refreshed":          {legacy(refreshable, "a"), "ssokit login --profile a"},
		"a token only the cache knows has no command":    {login.SessionEntry{Kind: login.KindCacheOnly, Token: expired}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := signInCommand(tt.s, now); got != tt.want {
				t.Errorf("signInCommand = %q, want %q", got, tt.want)
			}
		})
	}
}

// manyProfiles writes a config with one sso-session used by n profiles, and
// a token for it.
func manyProfiles(t *testing.T, n int) (home string) {
	t.Helper()
	home = tempdir.New(t)
	var b strings.Builder
	b.WriteString("[sso-session corp]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n")
	for i := range n {
		fmt.Fprintf(&b, "\n[profile team-%03d-ReadOnly]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = ReadOnly\n", i, 100000000000+i)
	}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cache := tokencache.New(tokencache.DefaultDir(home))
	if err := cache.SaveToken("corp", &tokencache.Token{StartURL: "https://my-sso-portal.awsapps.com/start", Region: "us-east-1", AccessToken: "at", ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return home
}

// 900 profiles on one session: the table fits the terminal, with the
// profiles summarised and a note on where the whole list is.
func TestRunManyProfilesFitTheTerminal(t *testing.T) {
	home := manyProfiles(t, 900)
	for _, width := range []int{80, 120, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			opts, out, errOut := testOptions(t, home, "table")
			opts.IO.SetTTY(true)
			opts.IO.SetTerminalWidth(width)
			if err := run(opts); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != 2 {
				t.Fatalf("want a header and one session:\n%s", out)
			}
			for _, l := range lines {
				if w := utf8.RuneCountInString(l); w > width {
					t.Errorf("a line of %d characters on a terminal %d wide:\n%s", w, width, l)
				}
			}
			if !regexp.MustCompile(`team.*, \+\d+ more$`).MatchString(lines[1]) {
				t.Errorf("the profiles are not summarised: %q", lines[1])
			}
			if !strings.Contains(errOut.String(), "`ssokit profiles` lists them all") {
				t.Errorf("stderr does not say where the whole list is:\n%s", errOut)
			}
		})
	}
}

// Piped (not a terminal), values are whole, so grep finds them, but the
// list is summarised all the same: no line grows with the profiles.
func TestRunManyProfilesPiped(t *testing.T) {
	home := manyProfiles(t, 900)
	opts, out, _ := testOptions(t, home, "table")
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a header and one session:\n%s", out)
	}
	if !strings.Contains(lines[1], "https://my-sso-portal.awsapps.com/start") {
		t.Errorf("the start URL is cut: %q", lines[1])
	}
	if w := utf8.RuneCountInString(lines[1]); w > 150 {
		t.Errorf("a line of %d characters: %q", w, lines[1])
	}
	if !strings.HasSuffix(lines[1], ", +898 more") && !regexp.MustCompile(`, \+\d+ more$`).MatchString(lines[1]) {
		t.Errorf("the profiles are not summarised: %q", lines[1])
	}
	// A narrow terminal cuts the widest values, never below their title
	// (the titles and gaps take 62 columns; the table cuts the widest first).
	opts, out, _ = testOptions(t, home, "table")
	opts.IO.SetTTY(true)
	opts.IO.SetTerminalWidth(72)
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	if header := strings.Split(out.String(), "\n")[0]; !strings.Contains(header, "START URL") || !strings.Contains(header, "PROFILES") {
		t.Errorf("header %q lost a title", header)
	}
}

// A session with keyring storage shows it, and is refreshable with the
// refresh token in the keyring though its file holds none; one whose
// secrets are still in the file shows where they are until they move.
func TestStorageOfEachSession(t *testing.T) {
	home := tempdir.New(t)
	cfgPath := filepath.Join(home, ".aws", "config")
	if err := os.MkdirAll(filepath.Dir(cfgPath), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := `[sso-session vault]
sso_start_url = https://vault.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = keyring

[sso-session moving]
sso_start_url = https://moving.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = keyring
`
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	kr := &memkeyring.Keyring{}
	cache := tokencache.New(tokencache.DefaultDir(home), func(o *tokencache.Options) { o.Keyring = kr })
	if err := cache.SaveToken("vault", &tokencache.Token{StartURL: "https://vault.awsapps.com/start", Region: "us-east-1", AccessToken: "at", ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	rk := tokencache.RegistrationKey{Region: "us-east-1", SessionName: "vault", StartURL: "https://vault.awsapps.com/start"}
	if err := cache.SaveKeyringRegistration("vault", rk, &tokencache.Registration{ClientID: "cid", ClientSecret: "cs", ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := cache.SaveRefreshToken("vault", "rt"); err != nil {
		t.Fatal(err)
	}
	if err := cache.SaveToken("moving", &tokencache.Token{StartURL: "https://moving.awsapps.com/start", Region: "us-east-1", AccessToken: "at", ExpiresAt: now.Add(time.Hour),
		ClientID: "cid", ClientSecret: "cs", RefreshToken: "rt"}); err != nil {
		t.Fatal(err)
	}

	opts, out, _ := testOptionsKeyring(t, home, "table", kr)
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	want := `SESSION  START URL                         REGION     STATUS      REFRESH  STORAGE            PROFILES
moving   https://moving.awsapps.com/start  us-east-1  1h 0m left  yes      file (to keyring)  -
vault    https://vault.awsapps.com/start   us-east-1  1h 0m left  yes      keyring            -
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}

	opts, out, _ = testOptionsKeyring(t, home, "json", kr)
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sessions []struct {
			Name         string
			TokenStorage string
			Refreshable  bool
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Sessions {
		if s.TokenStorage != "keyring" || !s.Refreshable {
			t.Errorf("session %s: tokenStorage %q, refreshable %v; want keyring, true", s.Name, s.TokenStorage, s.Refreshable)
		}
	}
}

// On a terminal with colour, a token with less than 15 minutes left has
// its time left in red, and one with less than an hour in yellow; the
// columns line up as they do without colour. Without colour (NO_COLOR, a
// pipe) there is no escape code at all.
func TestRunColoursTheTimeLeft(t *testing.T) {
	home := tempdir.New(t)
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "[sso-session soon]\nsso_start_url = https://soon.awsapps.com/start\nsso_region = eu-west-1\n" +
		"[sso-session later]\nsso_start_url = https://later.awsapps.com/start\nsso_region = eu-west-1\n" +
		"[sso-session fine]\nsso_start_url = https://fine.awsapps.com/start\nsso_region = eu-west-1\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cache := tokencache.New(tokencache.DefaultDir(home))
	for key, left := range map[string]time.Duration{"soon": 10 * time.Minute, "later": 45 * time.Minute, "fine": 8 * time.Hour} {
		if err := cache.SaveToken(key, &tokencache.Token{AccessToken: "at", ExpiresAt: now.Add(left)}); err != nil {
			t.Fatal(err)
		}
	}
	plain := `SESSION  START URL                        REGION     STATUS      REFRESH  STORAGE  PROFILES
fine     https://fine.awsapps.com/start   eu-west-1  8h 0m left  no       file     -
later    https://later.awsapps.com/start  eu-west-1  45m left    no       file     -
soon     https://soon.awsapps.com/start   eu-west-1  10m left    no       file     -
`
	colored := strings.NewReplacer("45m left", "\x1b[33m45m left\x1b[0m", "10m left", "\x1b[31m10m left\x1b[0m").Replace(plain)
	for _, tc := range []struct {
		name  string
		color bool
		want  string
	}{
		{"with colour", true, colored},
		{"without colour", false, plain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, out, _ := testOptions(t, home, "table")
			opts.IO.SetColorEnabled(tc.color)
			if err := run(opts); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, out.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}
