package credentials_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/keyringtest"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Fifty programs start at once against a session with keyring storage
// whose access token has expired: one of them refreshes it with the
// refresh token from the OS keyring, the others wait on the lock and use
// its token; the token file keeps no secret.
func TestFiftyProcessesRefreshOnceFromTheKeyring(t *testing.T) {
	if testing.Short() || os.Getenv("SSOKIT_FLOORS") == "" {
		t.Skip("a stress floor of 50 processes (ten seconds): set SSOKIT_FLOORS=1 to run it, as CI does")
	}
	bin := ssokitbin.Path(t)
	keyringtest.Require(t)
	env := signedin.New(t)
	env.AppendConfig(t, config.KeySSOKitTokenStorage+" = keyring\n")
	cache := tokencache.New(tokencache.DefaultDir(env.Home))
	t.Cleanup(func() { cache.DeleteSecrets(signedin.Session) })

	// Move the secrets of the sign-in to the keyring, then let the access
	// token expire.
	cfg, err := config.Load(config.Paths{Config: env.ConfigPath, Credentials: env.CredentialsPath})
	if err != nil {
		t.Fatal(err)
	}
	sso, err := cfg.ResolveSSO(signedin.Profile, func(k string) string { return env.Vars[k] })
	if err != nil || sso.TokenStorage != config.TokenStorageKeyring {
		t.Fatalf("ResolveSSO = %+v, %v; want keyring storage", sso, err)
	}
	if _, err := login.NewSession(sso, func(o *login.Options) { o.Home = env.Home }).Token(context.Background()); err != nil {
		t.Fatalf("moving the secrets to the keyring: %v", err)
	}
	tok, err := cache.LoadToken(signedin.Session)
	if err != nil || tok.HasSecrets() {
		t.Fatalf("token file after the move: %+v, %v", tok, err)
	}
	tok.ExpiresAt = time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	if err := cache.SaveToken(signedin.Session, tok); err != nil {
		t.Fatal(err)
	}

	before := env.Srv.Count("CreateToken")
	// The processes that wait for the refresh longer than a moment say so.
	waitNotice := regexp.MustCompile(`^(Another ssokit process is signing in to session "emu"; waiting for it to finish.\n\(Waiting up to 1 minute; Ctrl-C to cancel.\)\n)+$`)
	runConcurrentlyAllowing(t, bin, processEnv(env, keyringtest.Environ()...), signedin.Profile, 50, waitNotice.MatchString)
	if got := env.Srv.Count("CreateToken") - before; got != 1 {
		t.Errorf("CreateToken (refresh) calls = %d for 50 processes, want exactly 1", got)
	}
	if got := env.Srv.Count("GetRoleCredentials"); got != 1 {
		t.Errorf("GetRoleCredentials calls = %d for 50 processes, want exactly 1", got)
	}

	data, err := os.ReadFile(cache.TokenPath(signedin.Session))
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"refreshToken", "clientSecret", "clientId", "registrationExpiresAt"} {
		if _, ok := fields[name]; ok {
			t.Errorf("the token file holds %s", name)
		}
	}
	for _, name := range []string{"startUrl", "region", "accessToken", "expiresAt"} {
		if s, _ := fields[name].(string); s == "" {
			t.Errorf("the token file lacks %s", name)
		}
	}
	if len(fields) != 4 {
		t.Errorf("the token file has %d fields, want 4: %v", len(fields), slices.Sorted(func(yield func(string) bool) {
			for k := range fields {
				if !yield(k) {
					return
				}
			}
		}))
	}
	fresh, err := cache.LoadToken(signedin.Session)
	if err != nil || fresh.Remaining(time.Now()) < 30*time.Minute {
		t.Errorf("the refreshed token was not saved: %+v, %v", fresh, err)
	}
}
