package login_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/keyringtest"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// BenchmarkLoginPKCE is a full PKCE sign-in against the in-process
// emulator with auto-approve: registration (cached after the first round),
// the loopback listener, /authorize, the redirect back, CreateToken and the
// atomic cache write. The floor to beat is 300 ms per sign-in.
//
// "registered" reuses the cached client registration, as every sign-in but
// the first does; "first" starts from an empty cache and registers too.
func BenchmarkLoginPKCE(b *testing.B) {
	s := newSetup(b, autoApprove)
	follower := redirectFollower{&http.Client{}}
	browse := func(o *login.Options) { o.Browser = follower }
	ctx := context.Background()
	b.Run("registered", func(b *testing.B) {
		for b.Loop() {
			if _, err := login.NewSession(s.session(), s.opts, browse).Login(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			fresh := func(o *login.Options) { o.Cache = tokencache.New(tempdir.New(b)) }
			if _, err := login.NewSession(s.session(), s.opts, browse, fresh).Login(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTokenCached is the hot path of every command that needs AWS: a
// valid token in the cache, no lock, no network.
func BenchmarkTokenCached(b *testing.B) {
	cache := tokencache.New(tempdir.New(b))
	sso := config.SSO{SessionName: "my-sso", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-2"}
	tok := &tokencache.Token{StartURL: sso.StartURL, Region: sso.Region, AccessToken: "at", ExpiresAt: time.Now().Add(8 * time.Hour)}
	if err := cache.SaveToken(sso.CacheKey(), tok); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := login.NewSession(sso, func(o *login.Options) { o.Cache = cache }).Token(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefreshTokenStorage is a forced refresh (Session.Refresh: the
// lock, CreateToken at the in-process emulator, the save) with file storage
// and with keyring storage in the OS keyring, where the refresh token and
// the client registration are read from the keyring and the rotated
// refresh token written back: the difference is the keyring's cost. The
// keyring half needs a Secret Service (.ci/with-keyring) and is skipped
// without one.
//
//	.ci/with-keyring go test ./login -run '^$' -bench RefreshTokenStorage
func BenchmarkRefreshTokenStorage(b *testing.B) {
	ctx := context.Background()
	bench := func(b *testing.B, storage string, kr tokencache.Keyring) {
		s := newSetup(b, autoApprove)
		s.cache = tokencache.New(s.cache.Dir(), func(o *tokencache.Options) { o.Keyring = kr })
		sso := s.session()
		sso.TokenStorage = storage
		if _, err := login.NewSession(sso, s.opts, func(o *login.Options) { o.Browser = redirectFollower{&http.Client{}} }).Login(ctx); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.cache.DeleteSecrets("my-sso") })
		for b.Loop() {
			if _, err := login.NewSession(sso, s.opts).Refresh(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("file", func(b *testing.B) { bench(b, "", nil) })
	b.Run("keyring", func(b *testing.B) { bench(b, config.TokenStorageKeyring, keyringtest.Require(b)) })
}
