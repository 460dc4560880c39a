package credentials_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// BenchmarkCredentialProcessCached measures what a program pays per AWS call
// when its profile says credential_process = ssokit credential-process: a
// new ssokit process answering from a warm role-credential cache, timed from
// start to exit. A Go hello-world runs alternately in the same loop, so the
// ratio holds on a busy machine. Run with -benchtime=200x:
//
//	go test ./credentials -run '^$' -bench CredentialProcessCached -benchtime 200x
//
// Reported: median and p90 wall time of each, their ratio, ssokit's peak
// RSS (linux), and the median of `ssokit --version`, which is the binary's
// start-up alone: the difference is what credential-process itself costs;
// and the median of testdata/floor, a program of nothing but cobra and the
// three SDK clients ssokit must link, which is as fast as ssokit can start. The profile's portal endpoint is a closed port and there is
// no token at all, so a run that touched either would fail.
func BenchmarkCredentialProcessCached(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and runs ssokit and two other programs; skipped with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		b.Skipf("builds ssokit, and the go command is not on PATH: %v", err)
	}
	dir := tempdir.New(b)
	// The shipped binary, not the tests' build: start-up is what is measured.
	bin := filepath.Join(dir, "ssokit"+exeSuffix())
	if out, err := goBuild(bin, ssokitbin.Package); err != nil {
		b.Fatalf("build ssokit: %v\n%s", err, out)
	}
	hello := filepath.Join(dir, "hello"+exeSuffix())
	src := filepath.Join(dir, "hello.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello, world\") }\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if out, err := goBuild(hello, src); err != nil {
		b.Fatalf("build hello: %v\n%s", err, out)
	}
	floor := filepath.Join(dir, "floor"+exeSuffix())
	if out, err := goBuild(floor, "./testdata/floor"); err != nil {
		b.Fatalf("build the floor program: %v\n%s", err, out)
	}

	home := filepath.Join(dir, "home")
	env := cachedProfileEnv(b, home)
	// One checked run first: the loop below discards output.
	cmd := exec.Command(bin, "credential-process", "--profile", "dev")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("ssokit credential-process: %v\n%s", err, stderr.Bytes())
	}
	var doc struct{ AccessKeyId string }
	if err := json.Unmarshal(out, &doc); err != nil || doc.AccessKeyId != "ASIABENCHMARK" {
		b.Fatalf("ssokit printed %q, want the cached credentials", out)
	}

	logInitCosts(b, bin, env)

	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	run := func(name string, args ...string) (time.Duration, int64) {
		c := exec.Command(name, args...)
		c.Env = env
		c.Stdout, c.Stderr = devNull, devNull
		start := time.Now()
		if err := c.Run(); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		return time.Since(start), maxRSS(c.ProcessState)
	}

	floorInput := filepath.Join(home, ".aws", "config")
	var ssokitTimes, helloTimes, versionTimes, floorTimes []time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, _ := run(hello)
		helloTimes = append(helloTimes, d)
		d, rss := run(bin, "credential-process", "--profile", "dev")
		ssokitTimes = append(ssokitTimes, d)
		peak = max(peak, rss)
		// The binary's own start-up: everything but the command's work.
		d, _ = run(bin, "--version")
		versionTimes = append(versionTimes, d)
		d, _ = run(floor, floorInput)
		floorTimes = append(floorTimes, d)
	}
	b.StopTimer()

	sm, hm := quantile(ssokitTimes, 0.5), quantile(helloTimes, 0.5)
	b.ReportMetric(ms(sm), "ssokit-median-ms")
	b.ReportMetric(ms(quantile(ssokitTimes, 0.9)), "ssokit-p90-ms")
	b.ReportMetric(ms(hm), "hello-median-ms")
	b.ReportMetric(ms(quantile(helloTimes, 0.9)), "hello-p90-ms")
	b.ReportMetric(ms(quantile(versionTimes, 0.5)), "version-median-ms")
	b.ReportMetric(float64(sm)/float64(hm), "x-hello")
	fm := quantile(floorTimes, 0.5)
	b.ReportMetric(ms(fm), "floor-median-ms")
	b.ReportMetric(float64(fm)/float64(hm), "floor-x-hello")
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "ssokit-peak-rss-MB")
	}
}

// BenchmarkCredentialProcessChainedCached compares, in the same run, what
// a warm credential-process costs for an assume-role profile on an SSO
// profile ("chained") and for the SSO profile itself ("dev"): the two run
// alternately, so the ratio holds on a busy machine. Both answer from the
// role-credential cache; the portal and STS endpoints are closed ports and
// there is no token, so a run that touched either would fail. The chained
// run must stay within 1.1 times the SSO run (median). Run with
// -benchtime=200x:
//
//	go test ./credentials -run '^$' -bench CredentialProcessChainedCached -benchtime 200x
func BenchmarkCredentialProcessChainedCached(b *testing.B) {
	const floor = 1.1
	bin := ssokitbin.Path(b)
	env := cachedProfileEnv(b, filepath.Join(tempdir.New(b), "home"))
	for _, profile := range []string{"dev", "chained"} {
		cmd := exec.Command(bin, "credential-process", "--profile", profile)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("ssokit credential-process --profile %s: %v\n%s", profile, err, stderr.Bytes())
		}
		var doc struct{ AccessKeyId string }
		want := map[string]string{"dev": "ASIABENCHMARK", "chained": "ASIACHAINED"}[profile]
		if err := json.Unmarshal(out, &doc); err != nil || doc.AccessKeyId != want {
			b.Fatalf("ssokit printed %q for %s, want the cached credentials", out, profile)
		}
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	run := func(profile string) time.Duration {
		c := exec.Command(bin, "credential-process", "--profile", profile)
		c.Env = env
		c.Stdout, c.Stderr = devNull, devNull
		start := time.Now()
		if err := c.Run(); err != nil {
			b.Fatalf("%s: %v", profile, err)
		}
		return time.Since(start)
	}
	var ssoTimes, chainedTimes []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ssoTimes = append(ssoTimes, run("dev"))
		chainedTimes = append(chainedTimes, run("chained"))
	}
	b.StopTimer()
	sm, cm := quantile(ssoTimes, 0.5), quantile(chainedTimes, 0.5)
	ratio := float64(cm) / float64(sm)
	b.ReportMetric(ms(sm), "sso-median-ms")
	b.ReportMetric(ms(quantile(ssoTimes, 0.9)), "sso-p90-ms")
	b.ReportMetric(ms(cm), "chained-median-ms")
	b.ReportMetric(ms(quantile(chainedTimes, 0.9)), "chained-p90-ms")
	b.ReportMetric(ratio, "x-sso")
	if b.N >= 20 && ratio > floor {
		b.Errorf("a cached chained credential-process takes %.2f times an SSO one (median %s against %s), above the %.1f floor", ratio, cm, sm, floor)
	}
}

// cachedProfileEnv writes a config with profile "dev", an SSO profile, and
// "chained", which assumes a role with dev's credentials, and a
// role-credential cache entry for each valid for an hour, and returns the
// environment to run ssokit in.
func cachedProfileEnv(tb testing.TB, home string) []string {
	tb.Helper()
	cfg := `[profile dev]
sso_session = bench
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[profile chained]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = dev
role_session_name = bench
duration_seconds = 3600
region = eu-west-1

[sso-session bench]
sso_start_url = https://d-0123456789.awsapps.com/start
sso_region = us-east-2
`
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	sso := config.SSO{Profile: "dev", SessionName: "bench", StartURL: "https://d-0123456789.awsapps.com/start",
		Region: "us-east-2", AccountID: "111122223333", RoleName: "ReadOnly"}
	entry := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIABENCHMARK", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": "` +
		time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z") + `", "AccountId": "111122223333"}}`
	cacheDir := credentials.DefaultCacheDir(home)
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cacheDir, credentials.CacheFileName(sso)), []byte(entry), 0o600); err != nil {
		tb.Fatal(err)
	}
	step := config.AssumeRole{Profile: "chained", RoleARN: "arn:aws:iam::210987654321:role/Admin", RoleSessionName: "bench", DurationSeconds: 3600}
	chained := `{"Credentials": {"AccessKeyId": "ASIACHAINED", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": "` +
		time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05+00:00") + `", "AccountId": "210987654321"}, ` +
		`"AssumedRoleUser": {"AssumedRoleId": "AROABENCH:bench", "Arn": "arn:aws:sts::210987654321:assumed-role/Admin/bench"}, ` +
		`"ResponseMetadata": {"RequestId": "r", "HTTPStatusCode": 200, "RetryAttempts": 0}}`
	if err := os.WriteFile(filepath.Join(cacheDir, credentials.AssumeRoleCacheFileName(step)), []byte(chained), 0o600); err != nil {
		tb.Fatal(err)
	}
	return []string{
		"HOME=" + home,
		"USERPROFILE=" + home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_ENDPOINT_URL_SSO=http://127.0.0.1:1",
		"AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:1",
		"AWS_ENDPOINT_URL_STS=http://127.0.0.1:1",
	}
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// maxRSS is the peak resident set of a finished process in bytes, or 0
// where the platform does not say.
func maxRSS(ps *os.ProcessState) int64 {
	if runtime.GOOS != "linux" {
		return 0
	}
	return rusageMaxRSS(ps) * 1024 // kilobytes on linux
}

// logInitCosts logs the packages whose init takes longest in one run of
// the binary (GODEBUG=inittrace=1): start-up is most of what a cached run
// costs, and this is where it goes.
func logInitCosts(b *testing.B, bin string, env []string) {
	cmd := exec.Command(bin, "credential-process", "--profile", "dev")
	cmd.Env = append(slices.Clone(env), "GODEBUG=inittrace=1")
	var trace bytes.Buffer
	cmd.Stderr = &trace
	if err := cmd.Run(); err != nil {
		b.Logf("inittrace run: %v", err)
		return
	}
	type cost struct {
		pkg string
		ms  float64
	}
	var costs []cost
	var total float64
	for _, line := range strings.Split(trace.String(), "\n") {
		// init github.com/x/y @1.2 ms, 0.31 ms clock, 1024 bytes, 7 allocs
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "init" {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		costs = append(costs, cost{f[1], ms})
		total += ms
	}
	slices.SortFunc(costs, func(a, b cost) int { return cmp.Compare(b.ms, a.ms) })
	b.Logf("package init: %.2f ms in %d packages; the most expensive:", total, len(costs))
	for _, c := range costs[:min(len(costs), 10)] {
		b.Logf("  %.3f ms  %s", c.ms, c.pkg)
	}
}

// goBuild runs `go build -o out pkg` with CGO off, as releases are built, so
// that ssokit, hello and the floor program compare like for like.
func goBuild(out string, pkg ...string) ([]byte, error) {
	cmd := exec.Command("go", append([]string{"build", "-o", out}, pkg...)...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd.CombinedOutput()
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
