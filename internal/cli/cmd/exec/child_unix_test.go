//go:build unix

package exec

import (
	"bufio"
	"io"
	"os"
	osexec "os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
)

func TestRunChildRelaysSignals(t *testing.T) {
	pr, pw := io.Pipe()
	env := append(os.Environ(), helperEnv+"=wait-signal")
	type result struct {
		code int
		err  error
	}
	res := make(chan result, 1)
	go func() {
		code, err := runChild(helperArgv(t), env, strings.NewReader(""), pw, io.Discard)
		pw.Close()
		res <- result{code, err}
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("child did not get ready: %q", lines.Text())
	}
	// Signals sent to ssokit alone (not through a terminal) reach the child;
	// go test's stdin is no terminal, so SIGINT is relayed too.
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM} {
		if err := syscall.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond) // keep the order the child sees
	}
	var got []string
	for lines.Scan() {
		got = append(got, lines.Text())
	}
	want := "got hangup,interrupt,terminated"
	if deliveredByTerminal(syscall.SIGINT) {
		// Run from a terminal: Ctrl-C would reach the child from there.
		want = "got hangup,terminated"
	}
	if diff := cmp.Diff([]string{want}, got); diff != "" {
		t.Errorf("child saw (-want +got):\n%s", diff)
	}
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.code != 40+int(syscall.SIGTERM) {
		t.Errorf("exit code %d, want %d", r.code, 40+int(syscall.SIGTERM))
	}
}

func TestRunChildKilledBySignal(t *testing.T) {
	code, err := runChild([]string{"sh", "-c", "kill -KILL $$"}, os.Environ(), nil, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if code != 128+9 {
		t.Errorf("exit code %d, want 137", code)
	}
}

// TestCtrlCReachesTheChildOnce runs a stand-in for ssokit exec in a
// terminal, as its foreground job, and presses Ctrl-C: the terminal sends
// SIGINT to both, and the child must not get a second copy from the relay
// (a second Ctrl-C means "stop now" to tools such as Terraform).
func TestCtrlCReachesTheChildOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a process in a pseudo-terminal; skipped with -short")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(exe, "count-sigint", exe)
	// TERM=dumb: packages linked in query a real terminal's colours at start
	// and wait seconds for an answer a pseudo-terminal never gives.
	cmd.Env = append(os.Environ(), helperEnv+"=relay", "TERM=dumb")
	term, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer term.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	lines := bufio.NewScanner(term)
	waitFor := func(prefix string) string {
		t.Helper()
		for lines.Scan() {
			if l := strings.TrimSpace(lines.Text()); strings.Contains(l, prefix) {
				return l[strings.Index(l, prefix):]
			}
		}
		t.Fatalf("no line with %q: %v", prefix, lines.Err())
		return ""
	}
	waitFor("ready")
	if _, err := term.Write([]byte{3}); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	if got := waitFor("sigint "); got != "sigint 1" {
		t.Errorf("child saw %q, want exactly one SIGINT", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("relay exited with %v, want the child's 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("relay did not exit")
	}
}
