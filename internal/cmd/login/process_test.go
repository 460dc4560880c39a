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
	"github.com/ssokit/ssokit/tokencache"
)

// buildSSOKit builds the ssokit binary once for the test.
func buildSSOKit(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; cannot build ssokit")
	}
	bin := filepath.Join(t.TempDir(), "ssokit")
	out, err := exec.Command(goBin, "build", "-o", bin, "github.com/ssokit/ssokit/cmd/ssokit").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Fifty real processes need a token at once with none cached: one signs in,
// the others wait on the cache lock and then use its token. The emulator is
// slowed down so that the sign-in is still running while the last process
// starts.
func TestFiftyProcessesShareOneSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildSSOKit(t)
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		o.Faults.Latency = 300 * time.Millisecond
	})
	home := t.TempDir()
	configPath := filepath.Join(home, ".aws", "config")
	if err := os.MkdirAll(filepath.Dir(configPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(configPath, fmt.Appendf(nil, testConfig, srv.StartURL, srv.Region), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append([]string{
		"HOME=" + home, "USERPROFILE=" + home, "PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + configPath,
	}, srv.Env()...)

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
