package credentials_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// BenchmarkCredentialProcessCachedKeyringStorage compares, in one run, a
// warm credential-process for a session with keyring storage and for the
// same session with file storage: the two run alternately. Neither has an
// SSO token; the keyring run's D-Bus address and the endpoints lead
// nowhere, so a run that touched the keyring or the network would fail.
// With valgrind on PATH, each is also run once under callgrind and the
// instruction counts compared, which a busy machine does not disturb.
// Either ratio must stay within 1.05. Run with -benchtime=100x:
//
//	go test ./credentials -run '^$' -bench CachedKeyringStorage -benchtime 100x
func BenchmarkCredentialProcessCachedKeyringStorage(b *testing.B) {
	const floor = 1.05
	bin := ssokitbin.Path(b)
	fileEnv := cachedProfileEnv(b, filepath.Join(tempdir.New(b), "home"))
	keyHome := filepath.Join(tempdir.New(b), "home")
	keyEnv := append(cachedProfileEnv(b, keyHome), "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(keyHome, "no-bus"))
	f, err := os.OpenFile(filepath.Join(keyHome, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	f.WriteString("ssokit_token_storage = keyring\n")
	f.Close()

	run := func(env []string, args ...string) time.Duration {
		c := exec.Command(bin, append([]string{"credential-process", "--profile", "dev"}, args...)...)
		c.Env = env
		var out, errOut bytes.Buffer
		c.Stdout, c.Stderr = &out, &errOut
		start := time.Now()
		if err := c.Run(); err != nil || !bytes.Contains(out.Bytes(), []byte("ASIABENCHMARK")) {
			b.Fatalf("credential-process: %v\n%s%s", err, out.Bytes(), errOut.Bytes())
		}
		return time.Since(start)
	}
	inst := callgrindInstructions(b, bin, fileEnv)
	var kinst int64
	if inst > 0 {
		kinst = callgrindInstructions(b, bin, keyEnv)
	}
	var fileTimes, keyTimes []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fileTimes = append(fileTimes, run(fileEnv))
		keyTimes = append(keyTimes, run(keyEnv))
	}
	b.StopTimer()
	fm, km := quantile(fileTimes, 0.5), quantile(keyTimes, 0.5)
	b.ReportMetric(ms(fm), "file-median-ms")
	b.ReportMetric(ms(km), "keyring-median-ms")
	b.ReportMetric(float64(km)/float64(fm), "x-file")
	if inst > 0 {
		ratio := float64(kinst) / float64(inst)
		b.ReportMetric(float64(inst), "file-instructions")
		b.ReportMetric(float64(kinst), "keyring-instructions")
		b.ReportMetric(ratio, "x-file-instructions")
		if ratio > floor {
			b.Errorf("a cached credential-process with keyring storage runs %.3f times the instructions of one with file storage (%d against %d), above %.2f", ratio, kinst, inst, floor)
		}
	} else if b.N >= 50 && float64(km)/float64(fm) > floor {
		b.Errorf("a cached credential-process with keyring storage takes %.3f times one with file storage (median %s against %s), above %.2f", float64(km)/float64(fm), km, fm, floor)
	}
}

var callgrindTotal = regexp.MustCompile(`(?m)^==\d+== Collected : (\d+)`)

// callgrindInstructions runs one warm credential-process under valgrind's
// callgrind and returns the instructions it executed; 0 when valgrind is
// not installed.
func callgrindInstructions(b *testing.B, bin string, env []string) int64 {
	vg, err := exec.LookPath("valgrind")
	if err != nil {
		return 0
	}
	c := exec.Command(vg, "--tool=callgrind", "--callgrind-out-file=/dev/null", bin, "credential-process", "--profile", "dev")
	// Go's preemption signals trip callgrind up: one thread, no preemption.
	c.Env = slices.Concat(env, []string{"GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1"})
	var errOut bytes.Buffer
	c.Stderr = &errOut
	if err := c.Run(); err != nil {
		b.Fatalf("valgrind: %v\n%s", err, errOut.Bytes())
	}
	m := callgrindTotal.FindSubmatch(errOut.Bytes())
	if m == nil {
		b.Fatalf("valgrind reported no instruction count:\n%s", errOut.Bytes())
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}
