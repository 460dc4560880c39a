package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/tokencache"
)

// A session with keyring storage whose token file and registration file
// still hold secrets is reported, file by file; once the files hold none,
// and for a session that keeps files, nothing is.
func TestKeyringSessionWithSecretsInFiles(t *testing.T) {
	cfg := `[sso-session vault]
sso_start_url = https://vault.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = keyring

[sso-session plain]
sso_start_url = https://plain.awsapps.com/start
sso_region = us-east-1
`
	opts, out, _, paths := setup(t, cfg, "")
	cacheDir := filepath.Join(filepath.Dir(paths.Config), "sso", "cache")
	opts.CacheDir = func() (string, error) { return cacheDir, nil }
	opts.Getenv = func(string) string { return "" }
	cache := tokencache.New(cacheDir)
	exp := time.Now().Add(time.Hour)
	full := &tokencache.Token{StartURL: "https://vault.awsapps.com/start", Region: "us-east-1", AccessToken: "at", ExpiresAt: exp,
		ClientID: "cid", ClientSecret: "cs", RefreshToken: "rt"}
	for _, key := range []string{"vault", "plain"} {
		if err := cache.SaveToken(key, full); err != nil {
			t.Fatal(err)
		}
	}
	rk := tokencache.RegistrationKey{Region: "us-east-1", SessionName: "vault", StartURL: "https://vault.awsapps.com/start"}
	if err := cache.SaveRegistration(rk, &tokencache.Registration{ClientID: "cid", ClientSecret: "cs", ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}

	err := run(opts)
	text := out.String()
	if !errors.Is(err, cmdutil.ErrSilent) {
		t.Fatalf("doctor = %v, want problems:\n%s", err, text)
	}
	for _, want := range []string{
		cache.TokenPath("vault") + `: SSO session "vault" keeps its secrets in the OS keyring (ssokit_token_storage = keyring), but its token file holds a refresh token and a client secret`,
		cache.RegistrationPath(rk) + `: SSO session "vault" keeps its secrets in the OS keyring (ssokit_token_storage = keyring), but its client registration file holds a client secret`,
		"fix: the next ssokit command that uses the session moves them to the keyring",
		"2 problems found",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, cache.TokenPath("plain")) {
		t.Errorf("a session with file storage is reported:\n%s", text)
	}

	if err := cache.SaveToken("vault", full.WithoutSecrets()); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(cache.RegistrationPath(rk)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(opts); err != nil {
		t.Errorf("doctor = %v once the files hold no secrets:\n%s", err, out)
	}
}
