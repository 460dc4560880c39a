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

// An explicit login that waits while another process signs in uses the
// token that process saved, says so, and signs in no more; one that waits
// for a holder that saved nothing still signs in.
func TestLoginThatWaitedUsesTheOtherSignInsToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		saves bool
	}{
		{"the other process saved a token", true},
		{"the other process saved nothing", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, autoApprove)
			old := &tokencache.Token{AccessToken: "from-before", ExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Second)}
			if err := s.cache.SaveToken("my-sso", old); err != nil {
				t.Fatal(err)
			}
			release := holdLock(t, s)
			saved := &tokencache.Token{AccessToken: "from-the-other-sign-in", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Truncate(time.Second)}
			go func() {
				waitForMessage(t, s, "waiting for it to finish")
				if tc.saves {
					s.cache.SaveToken("my-sso", saved)
				}
				release()
			}()
			tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
				o.UseDeviceCode, o.NoBrowser = true, true
			}).Login(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			said := strings.Contains(s.msgs.String(), `Another ssokit process signed in to session "my-sso" while this one waited; using that token.`)
			signIns := s.srv.Count("StartDeviceAuthorization")
			if tc.saves && (tok.AccessToken != saved.AccessToken || !said || signIns != 0) {
				t.Errorf("Login = %q with %d sign-ins; want the other process's token, no sign-in and a message:\n%s", tok.AccessToken, signIns, s.msgs)
			}
			if !tc.saves && (tok.AccessToken == old.AccessToken || said || signIns != 1) {
				t.Errorf("Login = %q with %d sign-ins; want a new sign-in and no message about another:\n%s", tok.AccessToken, signIns, s.msgs)
			}
		})
	}
}

// A token saved after the program started but before Login was called
// (another login was quicker than this one's start) counts as the other
// process's sign-in when Options.Started says so; a token from before the
// start never does, and without Started only a change seen while waiting
// counts.
func TestLoginUsesATokenSavedSinceTheProgramStarted(t *testing.T) {
	for _, tc := range []struct {
		name    string
		started time.Duration // relative to the save
		want    string        // "reuse" or "sign in"
	}{
		{"the program started a minute before the save", -time.Minute, "reuse"},
		{"the program started a minute after the save", time.Minute, "sign in"},
		{"the start is not known", 0, "sign in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, autoApprove)
			saved := &tokencache.Token{AccessToken: "saved", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Truncate(time.Second)}
			if err := s.cache.SaveToken("my-sso", saved); err != nil {
				t.Fatal(err)
			}
			written, err := s.cache.TokenModTime("my-sso")
			if err != nil {
				t.Fatal(err)
			}
			tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) {
				o.UseDeviceCode, o.NoBrowser = true, true
				if tc.started != 0 {
					o.Started = written.Add(tc.started)
				}
			}).Login(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := "sign in"
			if tok.AccessToken == saved.AccessToken {
				got = "reuse"
			}
			if got != tc.want || (got == "reuse") != (s.srv.Count("StartDeviceAuthorization") == 0) {
				t.Errorf("Login did %q (%d sign-ins), want %q; messages:\n%s", got, s.srv.Count("StartDeviceAuthorization"), tc.want, s.msgs)
			}
		})
	}
}

// A token saved meanwhile that is already expired is no sign-in to share.
func TestLoginSignsInWhenTheTokenSavedMeanwhileIsExpired(t *testing.T) {
	s := newSetup(t, autoApprove)
	release := holdLock(t, s)
	go func() {
		waitForMessage(t, s, "waiting for it to finish")
		s.cache.SaveToken("my-sso", &tokencache.Token{AccessToken: "expired", ExpiresAt: time.Now().Add(-time.Minute).UTC().Truncate(time.Second)})
		release()
	}()
	tok, err := login.NewSession(s.session(), s.opts, func(o *login.Options) { o.UseDeviceCode, o.NoBrowser = true, true }).Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "expired" || s.srv.Count("StartDeviceAuthorization") != 1 {
		t.Errorf("Login = %q; want a new sign-in", tok.AccessToken)
	}
}

// waitForMessage waits until the session's messages hold want: the other
// process acts once this one is waiting, not after a guessed delay.
func waitForMessage(t *testing.T, s *setup, want string) {
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.msgs.String(), want) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}
