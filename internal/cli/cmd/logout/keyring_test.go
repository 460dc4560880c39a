package logout

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/memkeyring"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Signing out of a session with keyring storage revokes its token and
// deletes the token file and the keyring entries.
func TestLogoutDeletesKeyringEntries(t *testing.T) {
	e := newEnv(t)
	f, err := os.OpenFile(filepath.Join(e.home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(config.KeySSOKitTokenStorage + " = keyring\n")
	f.Close()
	kr := &memkeyring.Keyring{}
	e.f.Keyring = kr
	e.cache = tokencache.New(tokencache.DefaultDir(e.home), func(o *tokencache.Options) { o.Keyring = kr })
	s := config.SSO{SessionName: "my-sso", StartURL: e.srv.StartURL, Region: e.srv.Region, TokenStorage: config.TokenStorageKeyring,
		Endpoints: config.Endpoints{OIDC: e.srv.URL, Portal: e.srv.URL}}
	tok, err := login.NewSession(s, func(o *login.Options) {
		o.Cache = e.cache
		o.HTTPClient = e.f.HTTPClient
		o.UseDeviceCode = true
	}).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 2 {
		t.Fatalf("the sign-in left %d keyring entries, want 2", kr.Len())
	}

	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, Profile: "dev"}); err != nil {
		t.Fatalf("run: %v\n%s", err, e.errOut)
	}
	if kr.Len() != 0 {
		t.Errorf("after logout the keyring holds %d entries", kr.Len())
	}
	if _, err := os.Stat(e.cache.TokenPath("my-sso")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the token file is still there: %v", err)
	}
	if e.works(t, tok.AccessToken) {
		t.Error("the token still works at the portal")
	}
}
