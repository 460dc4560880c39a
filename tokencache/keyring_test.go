package tokencache_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/keyringtest"
	"github.com/ssokit/ssokit/internal/testutil/memkeyring"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/tokencache"
)

// testSecrets round-trips a session's secrets through kr.
func testSecrets(t *testing.T, kr tokencache.Keyring) {
	c := tokencache.New(tempdir.New(t), func(o *tokencache.Options) { o.Keyring = kr })
	key := "keyring-test-" + t.Name()
	t.Cleanup(func() { c.DeleteSecrets(key) })
	if _, err := c.LoadSecrets(key); !errors.Is(err, tokencache.ErrNotFound) {
		t.Fatalf("LoadSecrets of nothing = %v, want ErrNotFound", err)
	}
	rk := tokencache.RegistrationKey{Region: "eu-west-1", SessionName: key, StartURL: "https://d-1234567890.awsapps.com/start"}
	reg := &tokencache.Registration{ClientID: "cid", ClientSecret: "csecret", ExpiresAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		Scopes: []string{"sso:account:access"}, GrantTypes: []string{"authorization_code", "refresh_token"}}
	if err := c.SaveKeyringRegistration(key, rk, reg); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveRefreshToken(key, "rt"); err != nil {
		t.Fatal(err)
	}
	got, err := c.LoadSecrets(key)
	if err != nil {
		t.Fatal(err)
	}
	if got.RefreshToken != "rt" || got.RegistrationFile != rk.FileName() || got.Registration.ClientSecret != "csecret" ||
		!got.Registration.ExpiresAt.Equal(reg.ExpiresAt) || !got.Registration.IsPKCE() {
		t.Errorf("LoadSecrets = %+v (registration %+v)", got, got.Registration)
	}
	if err := c.DeleteSecrets(key); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LoadSecrets(key); !errors.Is(err, tokencache.ErrNotFound) {
		t.Errorf("after DeleteSecrets, LoadSecrets = %v, want ErrNotFound", err)
	}
	if err := c.DeleteSecrets(key); err != nil {
		t.Errorf("DeleteSecrets of nothing = %v", err)
	}
}

func TestSecretsInMemory(t *testing.T) { testSecrets(t, &memkeyring.Keyring{}) }

func TestSecretsInTheOSKeyring(t *testing.T) { testSecrets(t, keyringtest.Require(t)) }

// The error states facts: which session, which entry, what the keyring
// said. What to do about it is the CLI's to add (its hint), so the library
// names no setting to change.
func TestKeyringErrorGivesFactsNotAdvice(t *testing.T) {
	kr := &memkeyring.Keyring{Err: errors.New("the name org.freedesktop.secrets was not provided by any .service files")}
	c := tokencache.New(tempdir.New(t), func(o *tokencache.Options) { o.Keyring = kr })
	_, err := c.LoadSecrets("corp")
	var ke *tokencache.KeyringError
	if !errors.As(err, &ke) || ke.Key != "corp" || ke.Op != "read" {
		t.Fatalf("LoadSecrets = %v, want a *KeyringError for corp", err)
	}
	msg := err.Error()
	for _, fact := range []string{`"corp"`, `service "ssokit"`, c.TokenPath("corp") + " refreshToken", "org.freedesktop.secrets"} {
		if !strings.Contains(msg, fact) {
			t.Errorf("%q does not say %s", msg, fact)
		}
	}
	for _, advice := range []string{"ssokit_token_storage", "SSOKIT_TOKEN_STORAGE", "unlock", "run "} {
		if strings.Contains(msg, advice) {
			t.Errorf("%q gives advice (%s): the CLI's hint does", msg, advice)
		}
	}
}
