package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Floors: a typical file loads in under 200µs; a 10,000-profile config
// (about 1 MB) parses in under 30 ms. Besides wall time each benchmark
// reports cpu-ns/op, the process's CPU time per operation, which is the
// fairer figure on a shared machine.

// reportCPU adds cpu-ns/op for the loop that follows; call it deferred.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		if end, ok2 := processCPU(); ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func BenchmarkLoadTypical(b *testing.B) {
	dir := tempdir.New(b)
	paths := Paths{
		Config:      writeBenchFile(b, dir, "config", string(mustRead(b, filepath.Join("testdata", "typical_config")))),
		Credentials: writeBenchFile(b, dir, "credentials", string(mustRead(b, filepath.Join("testdata", "crlf_credentials")))),
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		c, err := Load(paths)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.ResolveSSO("dev", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func largeConfig(n int) []byte {
	var sb strings.Builder
	sb.WriteString("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "\n# account %d\n[profile p%05d]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = AdministratorAccess\nregion = us-east-1\noutput = json\n", i, i, i)
	}
	return []byte(sb.String())
}

func BenchmarkParse10kProfiles(b *testing.B) {
	data := largeConfig(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Parse("config", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad10kProfiles(b *testing.B) {
	path := writeBenchFile(b, tempdir.New(b), "config", string(largeConfig(10000)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		c, err := Load(Paths{Config: path})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.profiles) != 10000 {
			b.Fatal(len(c.profiles))
		}
	}
}

func writeBenchFile(b *testing.B, dir, name, content string) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkCheck10kProfiles(b *testing.B) {
	dir := tempdir.New(b)
	paths := Paths{Config: writeBenchFile(b, dir, "config", string(largeConfig(10000))), Credentials: filepath.Join(dir, "credentials")}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if ps := Check(paths); len(ps) != 0 {
			b.Fatal(ps[0])
		}
	}
}
