package login

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/tokencache"
)

// Fifty real processes need a token at once with none cached: one signs in,
// the others wait on the cache lock and then use its token. The emulator is
// slowed down so that the sign-in is still running while the last process
// starts.
func TestFiftyProcessesShareOneSignIn(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		o.Faults.Latency = 300 * time.Millisecond
	})
	home := tempdir.New(t)
	env := processEnv(t, home, srv)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const processes = 50
	stderr := make([]bytes.Buffer, processes)
	errs := make([]error, processes)
	var wg sync.WaitGroup
	for i := range processes {
		cmd := exec.CommandContext(ctx, bin, "login", "--profile", "dev", "--if-needed", "--use-device-code", "--no-browser")
		cmd.Env = env
		cmd.Stderr = &stderr[i]
		if err := cmd.Start(); err != nil {
			t.Fatalf("start process %d: %v", i, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmd.Wait()
		}()
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v\nstderr:\n%s", i, err, &stderr[i])
		} else if !strings.Contains(stderr[i].String(), `Signed in to `+srv.StartURL+` as session "my-sso"`) {
			t.Errorf("process %d printed no success line:\n%s", i, &stderr[i])
		}
	}
	for op, want := range map[string]int{"RegisterClient": 1, "StartDeviceAuthorization": 1, "CreateToken": 1} {
		if got := srv.Count(op); got != want {
			t.Errorf("%s requests at the emulator = %d, want %d", op, got, want)
		}
	}
	if _, err := tokencache.New(tokencache.DefaultDir(home)).LoadToken("my-sso"); err != nil {
		t.Errorf("no token cached after the run: %v", err)
	}
}

// processEnv writes the test config into home and returns the whole
// environment of an ssokit process using it and srv.
func processEnv(t *testing.T, home string, srv *emulatortest.Server) []string {
	t.Helper()
	configPath := filepath.Join(home, ".aws", "config")
	if err := os.MkdirAll(filepath.Dir(configPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(configPath, fmt.Appendf(nil, testConfig, srv.StartURL, srv.Region), 0o600); err != nil {
		t.Fatal(err)
	}
	return append([]string{
		"HOME=" + home, "USERPROFILE=" + home, "PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + configPath,
	}, srv.Env()...)
}

// A process killed in the middle of a sign-in leaves its lock file behind;
// the next process must not wait for it.
func TestLockOfAKilledProcessIsRecovered(t *testing.T) {
	bin := ssokitbin.Path(t)
	home := tempdir.New(t)
	// The first process waits forever for an approval that never comes.
	nobody := emulatortest.NewServer(t)
	stuck := exec.Command(bin, "login", "--profile", "dev", "--use-device-code", "--no-browser")
	stuck.Env = processEnv(t, home, nobody)
	var stuckErr syncbuf.Buffer
	stuck.Stderr = &stuckErr
	if err := stuck.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(stuckErr.String(), "confirm the code") {
		if time.Now().After(deadline) {
			stuck.Process.Kill()
			t.Fatalf("the first process never started waiting:\n%s", stuckErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := stuck.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = stuck.Wait()
	if _, err := os.Stat(tokencache.New(tokencache.DefaultDir(home)).TokenPath("my-sso") + ".lock"); err != nil {
		t.Fatalf("the killed process left no lock file to recover from: %v", err)
	}

	approving := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	next := exec.Command(bin, "login", "--profile", "dev", "--if-needed", "--use-device-code", "--no-browser")
	next.Env = processEnv(t, home, approving)
	start := time.Now()
	out, err := next.CombinedOutput()
	if err != nil {
		t.Fatalf("the next process: %v\n%s", err, out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the next process took %s: it waited on the dead process's lock", d)
	}
	if strings.Contains(string(out), "Another ssokit process") {
		t.Errorf("the next process waited for a dead one:\n%s", out)
	}
}
