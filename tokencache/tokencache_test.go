package tokencache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// newCache returns a cache in a fresh folder and the warnings it emits.
func newCache(t *testing.T) (*Cache, *[]string) {
	t.Helper()
	var warnings []string
	c := New(filepath.Join(tempdir.New(t), ".aws", "sso", "cache"), func(o *Options) {
		o.Warn = func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
	})
	return c, &warnings
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTokenPathIsSHA1OfTheKey(t *testing.T) {
	// Vectors from spec §4.1; the trailing-slash one computed with Python hashlib.
	tests := map[string]struct{ key, file string }{
		"an sso-session name":                       {"my-sso", "0ad374308c5a4e22f723adf10145eafad7c4031c.json"},
		"a legacy start URL as written":             {"https://my-sso-portal.awsapps.com/start", "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"},
		"botocore's test session":                   {"admin", "d033e22ae348aeb5660fc2140aec35850c4da997.json"},
		"a start URL with a trailing slash differs": {"https://my-sso-portal.awsapps.com/start/", "281a1863574b3787533891e49521f808d4fc0d51.json"},
	}
	c := New("/cache")
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(filepath.Join("/cache", tt.file), c.TokenPath(tt.key)); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestRegistrationKeyFileNameMatchesPython(t *testing.T) {
	// Vectors: the first two from spec §4.3, the others computed with
	// Python's json.dumps(key, sort_keys=True) and hashlib.sha1.
	tests := map[string]struct {
		key  RegistrationKey
		want string
	}{
		"an sso-session without scopes writes scopes null": {
			RegistrationKey{Region: "us-east-1", SessionName: "my-sso", StartURL: "https://my-sso-portal.awsapps.com/start"},
			"5d2ad48f7ce068c072924f44a42fb81ca0fd6b99.json",
		},
		"configured scopes are a list": {
			RegistrationKey{Region: "us-east-1", Scopes: []string{"sso:account:access"}, SessionName: "my-sso", StartURL: "https://my-sso-portal.awsapps.com/start"},
			"c5cfae6e3e4f067423a532368c8b514b6a4b0ace.json",
		},
		"a legacy profile writes session_name null": {
			RegistrationKey{Region: "eu-west-1", Scopes: []string{"sso:foo", "sso:bar"}, StartURL: "https://d-123.awsapps.com/start/"},
			"f964507b0ea30cbbf1e03ffd3e3cb0195037a1cc.json",
		},
		"non-ASCII, quotes, control characters and <>& are escaped as Python does": {
			RegistrationKey{Region: "us-west-2", Scopes: []string{}, SessionName: "équipe <prod> & \"ops\"\t🚀\x7f", StartURL: "https://x/a?b=1&c=<2>"},
			"d7c3ac4de06bdf2e03d19ea51f4e6166e5b10899.json",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.key.FileName()); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestParseTimeAcceptsEveryWriter(t *testing.T) {
	want := date("2026-01-01T08:00:00Z")
	tests := map[string]struct {
		in   string
		want time.Time
	}{
		"the AWS CLI writes seconds and Z":        {"2026-01-01T08:00:00Z", want},
		"the VS Code toolkit writes milliseconds": {"2026-01-01T08:00:00.000Z", want},
		"fractional seconds are kept":             {"2026-01-01T08:00:00.250Z", want.Add(250 * time.Millisecond)},
		"a numeric offset is converted to UTC":    {"2026-01-01T10:00:00+02:00", want},
		"a zero offset":                           {"2026-01-01T08:00:00+00:00", want},
		"old CLI releases wrote a UTC suffix":     {"2026-01-01T08:00:00UTC", want},
		"Python's %z offset has no colon":         {"2026-01-01T09:00:00+0100", want},
		"no zone at all is read as UTC":           {"2026-01-01T08:00:00", want},
		"a space instead of T":                    {"2026-01-01 08:00:00", want},
		"surrounding whitespace is ignored":       {" 2026-01-01T08:00:00Z ", want},
		"fractional seconds with the UTC suffix":  {"2026-01-01T08:00:00.5UTC", want.Add(500 * time.Millisecond)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseTime(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("parseTime(%q) = %v, want %v in UTC", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "tomorrow", "2026-13-01T08:00:00Z", "1767254400", "2026-01-01"} {
		if got, err := parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestSaveTokenWritesTheCLIFormat(t *testing.T) {
	c, _ := newCache(t)
	tok := &Token{
		StartURL:              "https://my-sso-portal.awsapps.com/start",
		Region:                "us-east-1",
		AccessToken:           "at-opaque",
		ExpiresAt:             date("2026-01-01T08:00:00.9Z"),
		ClientID:              "cl-4f1c2a",
		ClientSecret:          "cs-opaque",
		RegistrationExpiresAt: date("2026-04-01T02:00:00+02:00"),
		RefreshToken:          "rt-opaque",
	}
	if err := c.SaveToken("my-sso", tok); err != nil {
		t.Fatal(err)
	}
	// Byte for byte the example of spec §4.2 (what `aws sso login` writes).
	want := `{"startUrl": "https://my-sso-portal.awsapps.com/start", "region": "us-east-1", "accessToken": "at-opaque", "expiresAt": "2026-01-01T08:00:00Z", "clientId": "cl-4f1c2a", "clientSecret": "cs-opaque", "registrationExpiresAt": "2026-04-01T00:00:00Z", "refreshToken": "rt-opaque"}`
	if diff := cmp.Diff(want, readFile(t, c.TokenPath("my-sso"))); diff != "" {
		t.Errorf("file content (-want +got):\n%s", diff)
	}

	minimal := &Token{AccessToken: "at", ExpiresAt: date("2026-01-01T08:00:00Z")}
	if err := c.SaveToken("other", minimal); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"accessToken": "at", "expiresAt": "2026-01-01T08:00:00Z"}`, readFile(t, c.TokenPath("other"))); diff != "" {
		t.Errorf("optional fields must be left out (-want +got):\n%s", diff)
	}
}

func TestSaveTokenRefusesAnIncompleteToken(t *testing.T) {
	c, _ := newCache(t)
	for name, tok := range map[string]*Token{
		"no access token": {ExpiresAt: date("2026-01-01T08:00:00Z")},
		"no expiry":       {AccessToken: "at"},
	} {
		if err := c.SaveToken("k", tok); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := os.Stat(c.TokenPath("k")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("nothing must be written: %v", err)
	}
}

func TestUnknownFieldsSurviveARefresh(t *testing.T) {
	c, warnings := newCache(t)
	// As the VS Code toolkit writes it: extra fields, milliseconds, other order.
	writeFile(t, c.TokenPath("dev"), `{
  "accessToken": "old", "expiresAt": "2026-01-01T08:00:00.000Z",
  "tokenType": "Bearer", "scopes": ["sso:account:access", "codewhisperer:completions"],
  "nested": {"b": 1.50, "a": [true, null, "é"]},
  "region": "eu-west-1", "startUrl": "https://d-1.awsapps.com/start",
  "refreshToken": "rt-old", "clientId": "cid", "clientSecret": "cs"
}`)
	tok, err := c.LoadToken("dev")
	if err != nil {
		t.Fatal(err)
	}
	tok.AccessToken = "new"
	tok.ExpiresAt = date("2026-01-01T16:00:00Z")
	tok.RefreshToken = "rt-new"
	if err := c.SaveToken("dev", tok); err != nil {
		t.Fatal(err)
	}
	want := `{"startUrl": "https://d-1.awsapps.com/start", "region": "eu-west-1", "accessToken": "new", "expiresAt": "2026-01-01T16:00:00Z", "clientId": "cid", "clientSecret": "cs", "refreshToken": "rt-new", "nested": {"a": [true, null, "\u00e9"], "b": 1.50}, "scopes": ["sso:account:access", "codewhisperer:completions"], "tokenType": "Bearer"}`
	if diff := cmp.Diff(want, readFile(t, c.TokenPath("dev"))); diff != "" {
		t.Errorf("file content (-want +got):\n%s", diff)
	}
	if len(*warnings) != 0 {
		t.Errorf("unexpected warnings: %q", *warnings)
	}
}

func TestLoadTokenTreatsBadFilesAsAbsent(t *testing.T) {
	valid := `{"startUrl": "https://d-1.awsapps.com/start", "region": "us-east-1", "accessToken": "at", "expiresAt": "2026-01-01T08:00:00Z"}`
	tests := map[string]string{
		"an empty file":                      "",
		"a truncated file":                   valid[:len(valid)/2],
		"not JSON":                           "\x00\x01binary",
		"a JSON array":                       `["accessToken"]`,
		"JSON null":                          `null`,
		"two objects":                        valid + valid,
		"no accessToken":                     `{"expiresAt": "2026-01-01T08:00:00Z"}`,
		"an empty accessToken":               `{"accessToken": "", "expiresAt": "2026-01-01T08:00:00Z"}`,
		"no expiresAt":                       `{"accessToken": "at"}`,
		"a null expiresAt":                   `{"accessToken": "at", "expiresAt": null}`,
		"an unreadable expiresAt":            `{"accessToken": "at", "expiresAt": "soon"}`,
		"a number for expiresAt":             `{"accessToken": "at", "expiresAt": 1767254400}`,
		"a number for accessToken":           `{"accessToken": 42, "expiresAt": "2026-01-01T08:00:00Z"}`,
		"a bad registrationExpiresAt":        `{"accessToken": "at", "expiresAt": "2026-01-01T08:00:00Z", "registrationExpiresAt": "never"}`,
		"a client registration, not a token": `{"clientId": "c", "clientSecret": "s", "expiresAt": "2026-01-01T08:00:00Z"}`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			c, warnings := newCache(t)
			writeFile(t, c.TokenPath("s"), content)
			tok, err := c.LoadToken("s")
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("LoadToken = %+v, %v; want ErrNotFound", tok, err)
			}
			if len(*warnings) != 1 || !strings.Contains((*warnings)[0], c.TokenPath("s")) {
				t.Errorf("want one warning naming the file, got %q", *warnings)
			}
		})
	}
}

func TestLoadTokenMissingIsSilent(t *testing.T) {
	c, warnings := newCache(t)
	if _, err := c.LoadToken("nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if len(*warnings) != 0 {
		t.Errorf("a missing file is normal, no warning expected: %q", *warnings)
	}
}

// botocoreCases is the peer table from botocore's token-provider tests.
type botocoreCases struct {
	Refresh []struct {
		Documentation   string                     `json:"documentation"`
		CurrentTime     string                     `json:"currentTime"`
		CachedToken     map[string]json.RawMessage `json:"cachedToken"`
		RefreshResponse *struct {
			AccessToken  string `json:"accessToken"`
			ExpiresIn    int    `json:"expiresIn"`
			RefreshToken string `json:"refreshToken"`
		} `json:"refreshResponse"`
		ExpectedTokenWriteback map[string]any `json:"expectedTokenWriteback"`
		ExpectedToken          *struct {
			Token      string `json:"token"`
			Expiration string `json:"expiration"`
		} `json:"expectedToken"`
		ExpectedException string `json:"expectedException"`
	} `json:"sso_provider_refresh_cases"`
}

// TestBotocoreTokenProviderCases checks what the cache layer decides in
// botocore's cases: whether the file loads, whether it is still valid or
// can be refreshed, and that a refresh written back has botocore's shape.
func TestBotocoreTokenProviderCases(t *testing.T) {
	path := filepath.Join("..", "shared", "conformance", "peers", "botocore", "extracted", "sso-token-provider-cases.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		path = filepath.Join("..", "..", "shared", "conformance", "peers", "botocore", "extracted", "sso-token-provider-cases.json")
		data, err = os.ReadFile(path)
	}
	if err != nil {
		t.Skipf("peer fixtures not available: %v", err)
	}
	var cases botocoreCases
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases.Refresh) == 0 {
		t.Fatal("no refresh cases in the fixture")
	}
	for _, tc := range cases.Refresh {
		t.Run(tc.Documentation, func(t *testing.T) {
			now := date(tc.CurrentTime)
			c, _ := newCache(t)
			raw, _ := json.Marshal(tc.CachedToken)
			writeFile(t, c.TokenPath("admin"), string(raw))
			tok, err := c.LoadToken("admin")
			if tc.ExpectedException == "SSOTokenLoadError" {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("LoadToken = %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			valid := tok.Remaining(now) > 0
			switch {
			case tc.ExpectedException == "TokenRetrievalError":
				if valid || tok.CanRefresh(now) {
					t.Errorf("valid=%v canRefresh=%v; want an expired token that cannot be refreshed", valid, tok.CanRefresh(now))
				}
				return
			case tc.RefreshResponse == nil:
				if !valid {
					t.Fatal("want a valid token")
				}
			default:
				if valid || !tok.CanRefresh(now) {
					t.Fatalf("valid=%v canRefresh=%v; want an expired but refreshable token", valid, tok.CanRefresh(now))
				}
				// Apply the refresh response as botocore does, then write.
				tok.AccessToken = tc.RefreshResponse.AccessToken
				tok.ExpiresAt = now.Add(time.Duration(tc.RefreshResponse.ExpiresIn) * time.Second)
				tok.RefreshToken = tc.RefreshResponse.RefreshToken
				if err := c.SaveToken("admin", tok); err != nil {
					t.Fatal(err)
				}
				var got map[string]any
				if err := json.Unmarshal([]byte(readFile(t, c.TokenPath("admin"))), &got); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.ExpectedTokenWriteback, got); diff != "" {
					t.Errorf("written back (-want +got):\n%s", diff)
				}
				if tok, err = c.LoadToken("admin"); err != nil {
					t.Fatal(err)
				}
			}
			got := struct{ Token, Expiration string }{tok.AccessToken, formatTime(tok.ExpiresAt)}
			want := struct{ Token, Expiration string }{tc.ExpectedToken.Token, tc.ExpectedToken.Expiration}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestCanRefresh(t *testing.T) {
	now := date("2026-01-01T08:00:00Z")
	full := Token{RefreshToken: "rt", ClientID: "c", ClientSecret: "s", RegistrationExpiresAt: now.Add(time.Hour)}
	tests := map[string]struct {
		edit func(*Token)
		want bool
	}{
		"everything present and the registration valid": {func(*Token) {}, true},
		"no refresh token":                   {func(t *Token) { t.RefreshToken = "" }, false},
		"no client id":                       {func(t *Token) { t.ClientID = "" }, false},
		"no client secret":                   {func(t *Token) { t.ClientSecret = "" }, false},
		"the registration expired":           {func(t *Token) { t.RegistrationExpiresAt = now.Add(-time.Second) }, false},
		"the registration expires right now": {func(t *Token) { t.RegistrationExpiresAt = now }, false},
		"no registration expiry recorded":    {func(t *Token) { t.RegistrationExpiresAt = time.Time{} }, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tok := full
			tt.edit(&tok)
			if got := tok.CanRefresh(now); got != tt.want {
				t.Errorf("CanRefresh = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFileAndFolderModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix modes")
	}
	c, _ := newCache(t)
	if err := c.SaveToken("s", &Token{AccessToken: "at", ExpiresAt: date("2026-01-01T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, c.Dir(), 0o700)
	assertMode(t, c.TokenPath("s"), 0o600)

	// A token file another tool left world-readable is tightened: it holds secrets.
	if err := os.Chmod(c.TokenPath("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveToken("s", &Token{AccessToken: "at2", ExpiresAt: date("2026-01-01T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, c.TokenPath("s"), 0o600)
	entries, _ := os.ReadDir(c.Dir())
	if len(entries) != 1 {
		t.Errorf("cache folder holds %d entries, want only the token (no temp files)", len(entries))
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s mode = %o, want %o", path, got, want)
	}
}

func TestUnwritableFolderSaysWhichAndWhatToDo(t *testing.T) {
	// A regular file where the folder should be defeats even root.
	home := tempdir.New(t)
	writeFile(t, filepath.Join(home, ".aws", "sso"), "not a folder")
	c := New(DefaultDir(home))
	err := c.SaveToken("s", &Token{AccessToken: "at", ExpiresAt: date("2026-01-01T08:00:00Z")})
	var uw *UnwritableError
	if !errors.As(err, &uw) {
		t.Fatalf("err = %v, want *UnwritableError", err)
	}
	if uw.Dir != c.Dir() || !strings.Contains(err.Error(), c.Dir()) || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("error must name the folder and the remedy: %v", err)
	}
	if _, err := c.Lock(context.Background(), "s"); !errors.As(err, &uw) {
		t.Errorf("Lock err = %v, want *UnwritableError", err)
	}
	if err := c.SaveRegistration(RegistrationKey{Region: "r", StartURL: "u"}, &Registration{ClientID: "c", ClientSecret: "s", ExpiresAt: date("2026-01-01T08:00:00Z")}); !errors.As(err, &uw) {
		t.Errorf("SaveRegistration err = %v, want *UnwritableError", err)
	}
}

func TestRegistrationRoundTrip(t *testing.T) {
	c, warnings := newCache(t)
	key := RegistrationKey{Region: "us-east-1", SessionName: "my-sso", StartURL: "https://my-sso-portal.awsapps.com/start"}
	if _, err := c.LoadRegistration(key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	reg := &Registration{
		ClientID: "cl-4f1c2a", ClientSecret: "cs-opaque", ExpiresAt: date("2026-04-01T00:00:00Z"),
		Scopes: []string{"sso:account:access"}, GrantTypes: []string{"authorization_code", "refresh_token"},
	}
	if err := c.SaveRegistration(key, reg); err != nil {
		t.Fatal(err)
	}
	// Byte for byte the example of spec §4.3.
	want := `{"clientId": "cl-4f1c2a", "clientSecret": "cs-opaque", "expiresAt": "2026-04-01T00:00:00Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}`
	path := filepath.Join(c.Dir(), "5d2ad48f7ce068c072924f44a42fb81ca0fd6b99.json")
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("file content (-want +got):\n%s", diff)
	}
	got, err := c.LoadRegistration(key)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(reg, got, cmpopts.IgnoreUnexported(Registration{})); diff != "" {
		t.Error(diff)
	}
	if !got.IsPKCE() {
		t.Error("a registration with authorization_code is PKCE")
	}

	device := &Registration{ClientID: "d", ClientSecret: "s", ExpiresAt: date("2026-04-01T00:00:00Z")}
	if err := c.SaveRegistration(key, device); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"clientId": "d", "clientSecret": "s", "expiresAt": "2026-04-01T00:00:00Z"}`, readFile(t, path)); diff != "" {
		t.Errorf("scopes and grantTypes must be left out when empty (-want +got):\n%s", diff)
	}
	if got, _ := c.LoadRegistration(key); got.IsPKCE() {
		t.Error("a device registration is not PKCE")
	}

	writeFile(t, path, `{"clientId": "d", "clientSecret": "s"`)
	if _, err := c.LoadRegistration(key); !errors.Is(err, ErrNotFound) || len(*warnings) != 1 {
		t.Errorf("truncated registration: err = %v, warnings %q; want ErrNotFound and one warning", err, *warnings)
	}
}

func TestTokensListsEveryTokenAndSkipsTheRest(t *testing.T) {
	c, warnings := newCache(t)
	dir := c.Dir()
	if got, err := c.Tokens(); err != nil || got != nil {
		t.Fatalf("a missing folder holds no tokens: %v, %v", got, err)
	}
	ours := &Token{StartURL: "https://d-1.awsapps.com/start", Region: "us-east-1", AccessToken: "a1", ExpiresAt: date("2026-01-01T08:00:00Z")}
	if err := c.SaveToken("mine", ours); err != nil {
		t.Fatal(err)
	}
	// What `aws sso login` of an old release wrote (aws-cli logout fixture).
	cliPath := filepath.Join(dir, "0123456789abcdef0123456789abcdef01234567.json")
	writeFile(t, cliPath, `{"region": "us-west-2", "startUrl": "https://mysigin.com", "expiresAt": "2019-10-26T05:19:09UTC", "accessToken": "foo.token.string"}`)
	brokenExpiry := filepath.Join(dir, "ffff.json")
	writeFile(t, brokenExpiry, `{"accessToken": "a3", "expiresAt": "whenever"}`)
	writeFile(t, filepath.Join(dir, "botocore-client-id.json"), `{"clientId": "myid"}`)
	writeFile(t, filepath.Join(dir, "junk.json"), `{"accessToken": `)
	writeFile(t, filepath.Join(dir, "notes.txt"), `{"accessToken": "x", "expiresAt": "2026-01-01T08:00:00Z"}`)
	writeFile(t, filepath.Join(dir, ".x.json.tmp-1"), `{"accessToken": "x", "expiresAt": "2026-01-01T08:00:00Z"}`)
	if err := os.Mkdir(filepath.Join(dir, "sub.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	unlock, err := c.Lock(context.Background(), "mine")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unlock) // before the folder's removal: Windows cannot remove an open file

	got, err := c.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Path, StartURL, Region, AccessToken string
		ExpiresAt                           time.Time
	}
	var rows []row
	for _, e := range got {
		rows = append(rows, row{e.Path, e.Token.StartURL, e.Token.Region, e.Token.AccessToken, e.Token.ExpiresAt})
	}
	want := []row{
		{cliPath, "https://mysigin.com", "us-west-2", "foo.token.string", date("2019-10-26T05:19:09Z")},
		{c.TokenPath("mine"), ours.StartURL, ours.Region, "a1", ours.ExpiresAt},
		{brokenExpiry, "", "", "a3", time.Time{}},
	}
	if diff := cmp.Diff(want, rows, cmpopts.SortSlices(func(a, b row) bool { return a.Path < b.Path })); diff != "" {
		t.Errorf("Tokens (-want +got):\n%s", diff)
	}
	if len(*warnings) != 0 {
		t.Errorf("listing must not warn about other tools' files: %q", *warnings)
	}
}

func TestDelete(t *testing.T) {
	c, _ := newCache(t)
	if err := c.SaveToken("s", &Token{AccessToken: "at", ExpiresAt: date("2026-01-01T08:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteToken("s"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.TokenPath("s")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token still there: %v", err)
	}
	if err := c.DeleteToken("s"); err != nil {
		t.Errorf("deleting a missing token: %v, want nil", err)
	}
	outside := filepath.Join(tempdir.New(t), "precious.json")
	writeFile(t, outside, "{}")
	for _, p := range []string{outside, filepath.Join(c.Dir(), "..", "precious.json"), filepath.Join(c.Dir(), "sub", "x.json")} {
		if err := c.DeletePath(p); err == nil {
			t.Errorf("DeletePath(%s) must refuse a path outside the cache folder", p)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("file outside the cache was touched: %v", err)
	}
}

// An sso_registration_scopes set but empty is [] in the AWS CLI's key, not
// null as when it is not set: two different registrations (hashes from
// Python's json.dumps(sort_keys=True)).
func TestRegistrationKeyEmptyScopes(t *testing.T) {
	k := RegistrationKey{Region: "us-east-1", SessionName: "corp", StartURL: "https://d-1234567890.awsapps.com/start"}
	if got, want := k.FileName(), "cfaf7ef4a0ec868a86f526a3143dcbf741b147ba.json"; got != want {
		t.Errorf("scopes not set: %s, want %s", got, want)
	}
	k.Scopes = []string{}
	if got, want := k.FileName(), "544e8d0e5fa8efc92f9c0f7ecafcecce6ecf0539.json"; got != want {
		t.Errorf("scopes set empty: %s, want %s", got, want)
	}
}
