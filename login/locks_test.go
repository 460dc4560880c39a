package login_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// holdLock takes the session's lock as another process signing in would,
// until the test ends or release is called.
func holdLock(t *testing.T, s *setup) (release func()) {
	t.Helper()
	unlock, err := s.cache.Lock(context.Background(), "my-sso")
	if err != nil {
		t.Fatal(err)
	}
	release = sync.OnceFunc(unlock)
	t.Cleanup(release)
	return release
}

// While another process signs in, a caller that does not sign in itself
// and has no token anyone could be refreshing does not wait: it needs a
// sign-in, says that one is going on, and says so promptly.
func TestCallerThatCannotSignInDoesNotWaitForAnotherSignIn(t *testing.T) {
	for _, tc := range []struct {
		name  string
		token *tokencache.Token
	}{
		{"no token at all", nil},
		{"an expired token that cannot be refreshed", &tokencache.Token{AccessToken: "old", ExpiresAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t)
			if tc.token != nil {
				if err := s.cache.SaveToken("my-sso", tc.token); err != nil {
					t.Fatal(err)
				}
			}
			holdLock(t, s)
			start := time.Now()
			_, err := login.NewSession(s.session(), s.opts).Token(context.Background())
			took := time.Since(start)
			var need *login.SignInRequiredError
			if !errors.As(err, &need) || !need.OtherSignIn || !strings.Contains(err.Error(), "another process is signing in") {
				t.Fatalf("Token = %v, want a *SignInRequiredError saying another process is signing in", err)
			}
			if took > 2*time.Second {
				t.Errorf("took %s, want an answer within the lock's patience", took)
			}
		})
	}
}

// A caller that signs in itself waits for the other sign-in, says so and
// for how long, and gets the token the other one saved.
func TestCallerThatSignsInWaitsForTheOtherSignIn(t *testing.T) {
	s := newSetup(t, autoApprove)
	release := holdLock(t, s)
	saved := &tokencache.Token{AccessToken: "from-the-other-sign-in", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Truncate(time.Second)}
	time.AfterFunc(time.Second, func() {
		s.cache.SaveToken("my-sso", saved)
		release()
	})
	tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) { o.SignIn = true }).Token(context.Background())
	if err != nil || tok.AccessToken != saved.AccessToken {
		t.Fatalf("Token = %+v, %v; want the other sign-in's token", tok, err)
	}
	msgs := s.msgs.String()
	for _, want := range []string{`Another ssokit process is signing in to session "my-sso"; waiting for it to finish.`, "Waiting up to 11 minutes; Ctrl-C to cancel."} {
		if !strings.Contains(msgs, want) {
			t.Errorf("messages lack %q:\n%s", want, msgs)
		}
	}
}

// A lock held past the longest sign-in ends the wait with an error that
// names the lock and what to do.
func TestLockHeldPastASignInsTimeIsAnError(t *testing.T) {
	s := newSetup(t)
	holdLock(t, s)
	start := time.Now()
	_, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
		o.SignIn = true
		o.AuthorizationTimeout = time.Second
	}).Login(context.Background())
	var timeout *login.LockTimeoutError
	if !errors.As(err, &timeout) || !strings.Contains(err.Error(), s.cache.TokenPath("my-sso")+".lock") || !strings.Contains(err.Error(), "or it is stuck") {
		t.Fatalf("Login = %v, want a *LockTimeoutError naming the lock file", err)
	}
	if took := time.Since(start); took < time.Second || took > 5*time.Second {
		t.Errorf("gave up after %s, want 1.1 s", took)
	}
}
