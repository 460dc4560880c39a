package exec

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRunChildReturnsTheExitCode(t *testing.T) {
	for _, code := range []int{0, 1, 7, 255} {
		var out, errOut bytes.Buffer
		env := append(os.Environ(), helperEnv+"=exit")
		got, err := runChild(helperArgv(t, strconv.Itoa(code)), env, strings.NewReader(""), &out, &errOut)
		if err != nil {
			t.Fatal(err)
		}
		if got != code {
			t.Errorf("exit code %d, want %d", got, code)
		}
		if want := "exiting with " + strconv.Itoa(code) + "\n"; errOut.String() != want {
			t.Errorf("child stderr = %q, want %q", errOut.String(), want)
		}
	}
}

func TestRunChildUnknownCommand(t *testing.T) {
	_, err := runChild([]string{"ssokit-no-such-command"}, nil, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `command "ssokit-no-such-command" not found in PATH`) {
		t.Errorf("error = %v", err)
	}
}

func TestRunChildRelaysSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no SIGTERM to relay")
	}
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
	if runtime.GOOS == "windows" {
		t.Skip("no signals on Windows")
	}
	code, err := runChild([]string{"sh", "-c", "kill -KILL $$"}, os.Environ(), nil, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if code != 128+9 {
		t.Errorf("exit code %d, want 137", code)
	}
}
