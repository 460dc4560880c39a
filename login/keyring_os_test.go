package login_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/keyringtest"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Against the real OS keyring (gnome-keyring in CI): a sign-in keeps the
// refresh token and the client registration there and a token file the
// AWS CLI uses as it is; a refresh reads the keyring; logout empties it.
func TestOSKeyringSignInRefreshAndAWSCLI(t *testing.T) {
	kr := keyringtest.Require(t)
	srv := emulatortest.NewServer(t, autoApprove)
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf(awscliConfig, srv.StartURL, srv.Region) + "ssokit_token_storage = keyring\n")
	s := &setup{srv: srv, cache: tokencache.New(tokencache.DefaultDir(cli.Home)), msgs: &syncbuf.Buffer{}}
	sso := s.session()
	sso.Scopes = []string{"sso:account:access"}
	sso.TokenStorage = config.TokenStorageKeyring
	t.Cleanup(func() { s.cache.DeleteSecrets("my-sso") })

	first, err := login.NewSession(sso, s.opts, func(o *login.Options) {
		o.Browser = redirectFollower{&http.Client{}}
	}).Login(context.Background())
	if err != nil {
		t.Fatalf("Login: %v\n%s", err, s.msgs)
	}
	if got := fileFields(t, s.cache, "my-sso"); !slices.Equal(got, strippedFields) {
		t.Errorf("token file fields = %v, want %v", got, strippedFields)
	}
	sec, err := s.cache.LoadSecrets("my-sso")
	if err != nil || sec.RefreshToken != first.RefreshToken || sec.Registration == nil || sec.Registration.ClientSecret == "" {
		t.Fatalf("the keyring does not hold the secrets: %+v, %v", sec, err)
	}
	rt, err := kr.Get(tokencache.KeyringService, s.cache.TokenPath("my-sso")+" refreshToken")
	if err != nil || rt != first.RefreshToken {
		t.Errorf("keyring entry for the refresh token: %q, %v", rt, err)
	}

	out, errOut, err := cli.Run("configure", "export-credentials", "--profile", "dev", "--format", "env")
	if err != nil || !strings.Contains(out, "AWS_SESSION_TOKEN=") {
		t.Errorf("the AWS CLI got no credentials with the access token alone: %v\n%s%s", err, out, errOut)
	}

	s.now = first.ExpiresAt.Add(-5 * time.Minute)
	before := srv.Count("CreateToken")
	tok, err := login.NewSession(sso, s.opts).Token(context.Background())
	if err != nil {
		t.Fatalf("refresh from the keyring: %v\n%s", err, s.msgs)
	}
	if srv.Count("CreateToken") != before+1 || tok.AccessToken == first.AccessToken {
		t.Errorf("no refresh from the keyring")
	}
	if got := fileFields(t, s.cache, "my-sso"); !slices.Equal(got, strippedFields) {
		t.Errorf("after the refresh, token file fields = %v", got)
	}

	s.now = time.Time{}
	if err := login.NewSession(sso, s.opts).Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.cache.LoadSecrets("my-sso"); err != tokencache.ErrNotFound {
		t.Errorf("after logout, LoadSecrets = %v, want ErrNotFound", err)
	}
}
