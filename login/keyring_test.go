package login_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/memkeyring"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// keyringSetup is a setup whose cache keeps keyring secrets in kr.
func keyringSetup(t *testing.T, kr tokencache.Keyring) *setup {
	t.Helper()
	s := newSetup(t, autoApprove)
	s.cache = tokencache.New(s.cache.Dir(), func(o *tokencache.Options) { o.Keyring = kr })
	return s
}

func (s *setup) stored(storage string) config.SSO {
	c := s.session()
	c.TokenStorage = storage
	return c
}

func (s *setup) signIn(t *testing.T, c config.SSO) *tokencache.Token {
	t.Helper()
	tok, err := login.NewSession(c, s.opts, func(o *login.Options) {
		o.Browser = redirectFollower{&http.Client{}}
	}).Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\nmessages:\n%s", err, s.msgs)
	}
	return tok
}

// fileFields are the names of the members of the token file for key.
func fileFields(t *testing.T, c *tokencache.Cache, key string) []string {
	t.Helper()
	data, err := os.ReadFile(c.TokenPath(key))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// cacheFiles are the names of the .json files in the cache folder.
func cacheFiles(t *testing.T, c *tokencache.Cache) []string {
	t.Helper()
	des, err := os.ReadDir(c.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".json") {
			names = append(names, de.Name())
		}
	}
	return names
}

var strippedFields = []string{"accessToken", "expiresAt", "region", "startUrl"}

// With keyring storage, a sign-in leaves a token file of four fields and
// no registration file; the refresh token and the client registration are
// in the keyring. A refresh reads them from there, and a token with time
// left is used without asking the keyring at all.
func TestKeyringStorageKeepsSecretsOutOfTheFiles(t *testing.T) {
	kr := &memkeyring.Keyring{}
	s := keyringSetup(t, kr)
	c := s.stored(config.TokenStorageKeyring)
	first := s.signIn(t, c)

	if got := fileFields(t, s.cache, "my-sso"); !slices.Equal(got, strippedFields) {
		t.Errorf("token file fields = %v, want %v", got, strippedFields)
	}
	if got := cacheFiles(t, s.cache); len(got) != 1 {
		t.Errorf("cache folder holds %v, want the token file alone", got)
	}
	if kr.Len() != 2 {
		t.Errorf("keyring holds %d entries, want 2 (refresh token, client)", kr.Len())
	}
	if !slices.Contains(kr.Secrets(), first.RefreshToken) || first.RefreshToken == "" {
		t.Errorf("the refresh token %q is not in the keyring", first.RefreshToken)
	}

	calls := kr.Calls
	if _, err := login.NewSession(c, s.opts).Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if kr.Calls != calls {
		t.Errorf("Token with an hour left made %d keyring calls, want none", kr.Calls-calls)
	}

	s.now = first.ExpiresAt.Add(-5 * time.Minute)
	before := s.srv.Count("CreateToken")
	tok, err := login.NewSession(c, s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("Token near expiry: %v\n%s", err, s.msgs)
	}
	if s.srv.Count("CreateToken") != before+1 || tok.AccessToken == first.AccessToken {
		t.Errorf("no refresh: %d CreateToken calls, access token changed %v", s.srv.Count("CreateToken")-before, tok.AccessToken != first.AccessToken)
	}
	if got := fileFields(t, s.cache, "my-sso"); !slices.Equal(got, strippedFields) {
		t.Errorf("after a refresh, token file fields = %v, want %v", got, strippedFields)
	}
	saved, _ := s.cache.LoadToken("my-sso")
	if saved == nil || saved.AccessToken != tok.AccessToken {
		t.Errorf("the refreshed access token was not saved to the file")
	}
}

// Changing the setting moves the secrets on the next use of the session,
// both ways, and leaves none behind in the storage left.
func TestSwitchingTokenStorageMovesTheSecrets(t *testing.T) {
	kr := &memkeyring.Keyring{}
	s := keyringSetup(t, kr)
	first := s.signIn(t, s.stored(""))
	if kr.Len() != 0 || len(cacheFiles(t, s.cache)) != 2 {
		t.Fatalf("file storage: keyring %d entries, files %v", kr.Len(), cacheFiles(t, s.cache))
	}

	if _, err := login.NewSession(s.stored(config.TokenStorageKeyring), s.opts).Token(context.Background()); err != nil {
		t.Fatalf("Token after switching to the keyring: %v", err)
	}
	if got := fileFields(t, s.cache, "my-sso"); !slices.Equal(got, strippedFields) {
		t.Errorf("to keyring: token file fields = %v, want %v", got, strippedFields)
	}
	if got := cacheFiles(t, s.cache); len(got) != 1 {
		t.Errorf("to keyring: the registration file is still there: %v", got)
	}
	if kr.Len() != 2 || !slices.Contains(kr.Secrets(), first.RefreshToken) {
		t.Errorf("to keyring: keyring holds %d entries, refresh token among them: %v", kr.Len(), slices.Contains(kr.Secrets(), first.RefreshToken))
	}

	// Back to files: a token with time left is used as it is, without
	// asking the keyring; the secrets move when the lock is taken anyway,
	// here by the refresh near expiry.
	calls := kr.Calls
	if _, err := login.NewSession(s.stored(config.TokenStorageFile), s.opts).Token(context.Background()); err != nil || kr.Calls != calls {
		t.Fatalf("Token with an hour left after switching back to files: %v, %d keyring calls", err, kr.Calls-calls)
	}
	s.now = first.ExpiresAt.Add(-5 * time.Minute)
	tok, err := login.NewSession(s.stored(config.TokenStorageFile), s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("Token after switching back to files: %v", err)
	}
	if kr.Len() != 0 {
		t.Errorf("back to files: the keyring still holds %d entries", kr.Len())
	}
	saved, err := s.cache.LoadToken("my-sso")
	if err != nil || saved.RefreshToken == "" || saved.ClientSecret == "" || !saved.CanRefresh(time.Now()) || saved.AccessToken != tok.AccessToken {
		t.Errorf("back to files: the token file cannot be refreshed: %+v, %v", saved, err)
	}
	if tok.AccessToken == first.AccessToken {
		t.Errorf("back to files: no refresh")
	}
	if got := cacheFiles(t, s.cache); len(got) != 2 {
		t.Errorf("back to files: cache folder holds %v, want the token and the registration", got)
	}
}

// A keyring that cannot be used is an error naming the session, never a
// reason to keep the secrets in the files.
func TestKeyringThatCannotBeUsedIsAnError(t *testing.T) {
	kr := &memkeyring.Keyring{}
	s := keyringSetup(t, kr)
	s.signIn(t, s.stored(""))
	kr.Err = errors.New("the name org.freedesktop.secrets was not provided by any .service files")

	_, err := login.NewSession(s.stored(config.TokenStorageKeyring), s.opts).Token(context.Background())
	var ke *tokencache.KeyringError
	if !errors.As(err, &ke) || ke.Key != "my-sso" || !strings.Contains(err.Error(), `"my-sso"`) || !strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Fatalf("Token = %v, want a *tokencache.KeyringError naming the session and the cause", err)
	}
	if saved, _ := s.cache.LoadToken("my-sso"); saved == nil || saved.RefreshToken == "" {
		t.Errorf("the token file lost its secrets though the keyring failed")
	}

	_, err = login.NewSession(s.stored(config.TokenStorageKeyring), s.opts, func(o *login.Options) {
		o.Browser = redirectFollower{&http.Client{}}
	}).Login(context.Background())
	if !errors.As(err, &ke) {
		t.Errorf("Login = %v, want a *tokencache.KeyringError", err)
	}
}

// Logout deletes the keyring entries with the file.
func TestLogoutDeletesTheKeyringEntries(t *testing.T) {
	kr := &memkeyring.Keyring{}
	s := keyringSetup(t, kr)
	c := s.stored(config.TokenStorageKeyring)
	s.signIn(t, c)
	if err := login.NewSession(c, s.opts).Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 0 {
		t.Errorf("after logout the keyring holds %d entries", kr.Len())
	}
	if _, err := os.Stat(filepath.Join(s.cache.TokenPath("my-sso"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after logout the token file is still there: %v", err)
	}
}

// A sign-in with keyring storage where file storage left only a client
// registration file (no token) removes that file: its client secret is
// not left behind.
func TestKeyringSignInRemovesARegistrationFile(t *testing.T) {
	kr := &memkeyring.Keyring{}
	s := keyringSetup(t, kr)
	s.signIn(t, s.stored(""))
	if err := s.cache.DeleteToken("my-sso"); err != nil {
		t.Fatal(err)
	}
	if got := cacheFiles(t, s.cache); len(got) != 1 {
		t.Fatalf("want the registration file alone, have %v", got)
	}
	s.signIn(t, s.stored(config.TokenStorageKeyring))
	if got := cacheFiles(t, s.cache); len(got) != 1 || fileFields(t, s.cache, "my-sso")[0] != "accessToken" {
		t.Errorf("cache folder holds %v, want the stripped token file alone", got)
	}
	if kr.Len() != 2 {
		t.Errorf("keyring holds %d entries, want 2", kr.Len())
	}
}
