package login_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"

	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// A damaged token file is warned about once, though the cache is read
// more than once on the way to an answer; a year-1 expiry is called what
// it is, not a missing one.
func TestDamagedTokenIsWarnedAboutOnce(t *testing.T) {
	s := newSetup(t)
	home := tempdir.New(t)
	cache := tokencache.New(tokencache.DefaultDir(home))
	os.MkdirAll(cache.Dir(), 0o700)
	if err := os.WriteFile(cache.TokenPath("my-sso"), []byte(`{"accessToken": "at", "expiresAt": "0001-01-01T00:00:00Z"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// The session's own cache, as commands have it, warning on Messages.
	var buf syncbuf.Buffer
	_, err := login.NewSession(s.session(), func(o *login.Options) { o.Home, o.Messages = home, &buf }).Token(context.Background())
	var need *login.SignInRequiredError
	if !errors.As(err, &need) {
		t.Fatalf("Token = %v, want a sign-in needed", err)
	}
	msgs := buf.String()
	if n := strings.Count(msgs, "warning: "); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, msgs)
	}
	if !strings.Contains(msgs, "expiresAt 0001-01-01T00:00:00Z is not a real expiry") {
		t.Errorf("the warning does not say what is wrong with the expiry:\n%s", msgs)
	}
}

// A folder where the token file belongs is found before the sign-in, and
// the fix is to remove it, not to chmod the cache folder.
func TestTokenPathThatIsAFolderIsFoundBeforeSigningIn(t *testing.T) {
	s := newSetup(t, autoApprove)
	if err := os.MkdirAll(s.cache.TokenPath("my-sso"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }).Login(context.Background())
	var unwritable *tokencache.UnwritableError
	if !errors.As(err, &unwritable) || !strings.Contains(err.Error(), "remove that folder") || strings.Contains(err.Error(), "chmod") {
		t.Fatalf("Login = %v, want an *UnwritableError saying to remove the folder", err)
	}
	if strings.Count(err.Error(), s.cache.TokenPath("my-sso")) != 1 {
		t.Errorf("the error names the token path other than once: %v", err)
	}
	if n := s.srv.Count("RegisterClient") + s.srv.Count("StartDeviceAuthorization"); n != 0 {
		t.Errorf("%d sign-in requests were made before the folder was found", n)
	}
}
