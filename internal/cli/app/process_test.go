package app

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"

	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

func buildSSOKit(t testing.TB) string { return ssokitbin.Path(t) }

func TestMain(m *testing.M) {
	code := m.Run()
	ssokitbin.Cleanup()
	os.Exit(code)
}

// proc is an ssokit process of a test.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr syncbuf.Buffer
	done           chan struct{}
	err            error
}

// startSSOKit starts bin with args in env's home; no browser can open.
func startSSOKit(t *testing.T, bin string, env *signedin.Env, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "USERPROFILE=" + env.Home}, env.Environ()...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitFor waits until the process's stderr holds s.
func (p *proc) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr never said %q:\n%s", s, p.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exit waits for the process to end and returns its exit code.
func (p *proc) exit(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("still running after %s; stderr:\n%s", within, p.stderr.String())
	}
	var exitErr *exec.ExitError
	if errors.As(p.err, &exitErr) {
		return exitErr.ExitCode()
	}
	if p.err != nil {
		t.Fatal(p.err)
	}
	return 0
}

// While one credential-process signs in (waiting for the person to
// approve a code), a plain one for the same role answers at once with exit
// 3, saying a sign-in is going on; one that may sign in itself says what
// it waits for, and uses the token the first one gets.
func TestCredentialProcessBehindAnotherSignIn(t *testing.T) {
	bin := buildSSOKit(t)
	env := signedin.New(t)
	if err := os.RemoveAll(filepath.Join(env.Home, ".aws", "sso", "cache")); err != nil {
		t.Fatal(err)
	}
	first := startSSOKit(t, bin, env, "credential-process", "--profile", signedin.Profile, "--sign-in")
	first.waitFor(t, "confirm the code")

	start := time.Now()
	plain := startSSOKit(t, bin, env, "credential-process", "--profile", signedin.Profile)
	if code := plain.exit(t, 10*time.Second); code != 3 {
		t.Errorf("plain credential-process: exit %d, want 3", code)
	}
	took := time.Since(start)
	msg := plain.stderr.String()
	t.Logf("plain credential-process answered in %s:\n%s", took.Round(time.Millisecond), msg)
	if took > 3*time.Second {
		t.Errorf("it took %s, want an answer within a few hundred milliseconds of patience", took)
	}
	for _, want := range []string{"another process is signing in to it right now", "To sign in, run: ssokit login --profile " + signedin.Profile} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if plain.stdout.String() != "" {
		t.Errorf("stdout = %q", plain.stdout.String())
	}

	second := startSSOKit(t, bin, env, "credential-process", "--profile", signedin.Profile, "--sign-in")
	second.waitFor(t, "Another ssokit process is signing in to session \""+signedin.Session+"\"; waiting for it to finish.")
	second.waitFor(t, "Waiting up to 11 minutes")

	url := deviceURL(t, first.stderr.String())
	b := env.Srv.Browser(t, "demo", env.Srv.Password(t, "demo"))
	if err := b.Follow(url); err != nil {
		t.Fatalf("approve %q: %v", url, err)
	}
	for name, p := range map[string]*proc{"the first": first, "the second": second} {
		if code := p.exit(t, 30*time.Second); code != 0 || !strings.Contains(p.stdout.String(), `"AccessKeyId"`) {
			t.Errorf("%s credential-process: exit %d, stdout %q, stderr:\n%s", name, code, p.stdout.String(), p.stderr.String())
		}
	}
	if n := env.Srv.Count("StartDeviceAuthorization"); n != 2 { // signedin's own, and the first process's
		t.Errorf("device sign-ins at the emulator = %d, want one besides the test's own", n-1)
	}
}

// deviceURL is the URL a device sign-in asked the person to open.
func deviceURL(t *testing.T, stderr string) string {
	t.Helper()
	_, after, ok := strings.Cut(stderr, "confirm the code")
	if ok {
		for _, line := range strings.Split(after, "\n") {
			if u := strings.TrimSpace(line); strings.HasPrefix(u, "http") {
				return u
			}
		}
	}
	t.Fatalf("no device sign-in URL in:\n%s", stderr)
	return ""
}

// SIGTERM (a service manager, a CI job's timeout) and SIGHUP (a closed
// terminal) stop a waiting sign-in as Ctrl-C does: exit 2, "cancelled",
// and nothing left in the token cache but its lock file.
func TestTermAndHangUpCancelLikeInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals other than kill cannot be sent on Windows")
	}
	bin := buildSSOKit(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			env := signedin.New(t)
			cache := filepath.Join(env.Home, ".aws", "sso", "cache")
			os.RemoveAll(cache)
			p := startSSOKit(t, bin, env, "login", "--profile", signedin.Profile, "--use-device-code", "--no-browser")
			p.waitFor(t, "confirm the code")
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := p.exit(t, 10*time.Second); code != 2 || !strings.Contains(p.stderr.String(), "cancelled") {
				t.Errorf("exit %d, want 2 saying cancelled; stderr:\n%s", code, p.stderr.String())
			}
			entries, _ := os.ReadDir(cache)
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".lock") && !strings.HasPrefix(e.Name(), "botocore-client-id") && !isRegistration(filepath.Join(cache, e.Name())) {
					t.Errorf("left in the token cache: %s", e.Name())
				}
			}
		})
	}
}

// isRegistration reports whether path is a cached client registration,
// which a sign-in that was cancelled keeps, as the AWS CLI does.
func isRegistration(path string) bool {
	data, err := os.ReadFile(path)
	return err == nil && strings.Contains(string(data), `"clientSecret"`) && !strings.Contains(string(data), `"accessToken"`)
}
