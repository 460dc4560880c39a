package login

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	home := t.TempDir()
	env := processEnv(t, home, srv)

	const processes = 50
	stderr := make([]syncbuf.Buffer, processes)
	errs := runTogether(t, stderr, env, bin, "login", "--profile", "dev", "--if-needed", "--use-device-code", "--no-browser")

	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v\nstderr:\n%s", i, err, stderr[i].String())
		} else if !strings.Contains(stderr[i].String(), `Signed in to `+srv.StartURL+` as session "my-sso"`) {
			t.Errorf("process %d printed no success line:\n%s", i, stderr[i].String())
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

// Twenty explicit logins started together from an empty cache open one
// browser tab: one process signs in, the others wait on the cache lock,
// then take the token it saved and say so. The browser holds the sign-in
// back until every other process is waiting, as a person would take a
// moment to approve.
func TestTwentyLoginsStartedTogetherOpenOneBrowserTab(t *testing.T) {
	bin := ssokitbin.Path(t)
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	home := t.TempDir()
	const processes = 20
	stderr := make([]syncbuf.Buffer, processes)
	waiting := func() (n int) {
		for i := range stderr {
			if strings.Contains(stderr[i].String(), "waiting for it to finish") {
				n++
			}
		}
		return n
	}
	launches, browserAt := browserLaunches(t, func(signInURL string) error {
		deadline := time.Now().Add(30 * time.Second)
		for waiting() < processes-1 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		resp, err := http.Get(signInURL)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := append(processEnv(t, home, srv), "BROWSER="+self, envBrowserAt+"="+browserAt)

	start := time.Now()
	errs := runTogether(t, stderr, env, bin, "login", "--profile", "dev")
	t.Logf("%d logins took %s", processes, time.Since(start).Round(time.Millisecond))

	shared := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v\nstderr:\n%s", i, err, stderr[i].String())
			continue
		}
		if !strings.Contains(stderr[i].String(), `Signed in to `+srv.StartURL+` as session "my-sso"`) {
			t.Errorf("process %d printed no success line:\n%s", i, stderr[i].String())
		}
		if strings.Contains(stderr[i].String(), `Another ssokit process signed in to session "my-sso" while this one waited; using that token.`) {
			shared++
		}
	}
	if got := launches(); got != 1 {
		t.Errorf("browser launches = %d, want 1", got)
	}
	if shared != processes-1 {
		t.Errorf("%d processes said they use another's sign-in, want %d", shared, processes-1)
	}
	if got := srv.Count("CreateToken"); got != 1 {
		t.Errorf("CreateToken requests at the emulator = %d, want 1", got)
	}
}

// runTogether starts len(stderr) processes of name and args at once, each
// writing its stderr to its own buffer, and returns how each ended.
func runTogether(t *testing.T, stderr []syncbuf.Buffer, env []string, name string, args ...string) []error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	errs := make([]error, len(stderr))
	var wg sync.WaitGroup
	for i := range stderr {
		cmd := exec.CommandContext(ctx, name, args...)
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
	return errs
}

// browserLaunches serves the address a BROWSER of envBrowserAt posts to:
// each post is one launch, and follow plays the person's part with its URL
// while the browser process has already exited. launches counts the posts.
func browserLaunches(t *testing.T, follow func(url string) error) (launches func() int, at string) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := r.PostFormValue("url")
		mu.Lock()
		n++
		mu.Unlock()
		go func() {
			if err := follow(u); err != nil {
				t.Errorf("follow the sign-in URL: %v", err)
			}
		}()
	}))
	t.Cleanup(srv.Close)
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}, srv.URL
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
	home := t.TempDir()
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
