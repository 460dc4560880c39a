package credentialprocess

import (
	"context"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"

	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// BenchmarkRunCached is the work of one `ssokit credential-process` after
// process start, answered from the role-credential cache: guard, config
// files, one cache file, JSON out. The process-level figure, start-up
// included, is credentials.BenchmarkCredentialProcessCached.
func BenchmarkRunCached(b *testing.B) {
	env := signedin.New(b)
	f, out, _ := cmdtest.SignedIn(env)
	opts := &Options{IO: f.IOStreams, Factory: f, Profile: signedin.Profile}
	if err := run(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	calls := env.Srv.Count("GetRoleCredentials")
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != calls {
		b.Fatalf("GetRoleCredentials called %d more times: the loop missed the cache", n-calls)
	}
}
