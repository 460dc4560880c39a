package login_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ssokit/ssokit/login"
)

// BenchmarkLoginPKCE is a full PKCE sign-in against the in-process
// emulator with auto-approve: registration (cached after the first round),
// the loopback listener, /authorize, the redirect back, CreateToken and the
// atomic cache write. The floor to beat is 300 ms per sign-in.
func BenchmarkLoginPKCE(b *testing.B) {
	s := newSetup(b, autoApprove)
	follower := redirectFollower{&http.Client{}}
	ctx := context.Background()
	for b.Loop() {
		if _, err := login.Login(ctx, s.session(), s.opts, func(o *login.Options) { o.Browser = follower }); err != nil {
			b.Fatal(err)
		}
	}
}
