package credentials_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"

	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/emulator/storage/memory"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// The floor of credential_process under faults: with three API requests
// in ten failing, 100 of 100 runs with an empty role-credential cache
// print credentials, each within 30 s. The sign-in happens on a healthy
// emulator; a second one sharing its store fails 30 % of requests.
func TestCredentialProcessRidesOutFaults(t *testing.T) {
	bin := ssokitbin.Path(t)
	store := memory.New()
	env := signedin.New(t, func(o *emulator.Options) { o.Store = store })
	faulty := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.Store = store
		o.Faults.ErrorRate = 0.3
	})
	for _, kv := range faulty.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env.Vars[k] = v
	}
	vars := processEnv(env)
	const n, deadline = 100, 30 * time.Second
	ok := 0
	var slowest time.Duration
	for i := 0; i < n; i++ {
		os.RemoveAll(credentials.DefaultCacheDir(env.Home))
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		stdout, stderr, code := runSsokit(ctx, bin, vars, signedin.Profile)
		cancel()
		slowest = max(slowest, time.Since(start))
		var doc struct{ AccessKeyId string }
		if code != 0 || json.Unmarshal([]byte(stdout), &doc) != nil || doc.AccessKeyId == "" {
			t.Errorf("run %d: exit %d, stdout %q, stderr %s", i+1, code, stdout, stderr)
			continue
		}
		ok++
	}
	calls := faulty.Count("GetRoleCredentials")
	t.Logf("credential-process, error rate 0.3: %d of %d printed credentials, slowest %s; %d GetRoleCredentials requests (%.2f per run)",
		ok, n, slowest.Round(time.Millisecond), calls, float64(calls)/n)
	if ok < n || slowest > deadline {
		t.Errorf("below the floor of %d of %d within %s", n, n, deadline)
	}
}
