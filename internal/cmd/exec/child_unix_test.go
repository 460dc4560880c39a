//go:build unix

package exec

import (
	"bufio"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

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
