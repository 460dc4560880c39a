//go:build windows

package exec

import (
	"bufio"
	"errors"
	"os"
	osexec "os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCtrlBreakReachesTheChildAndExecKeepsItsCode runs a stand-in for
// ssokit exec in a process group of its own and sends that group
// Ctrl-Break: the child gets the event from the console and exits with its
// own code, and the stand-in, which gets it too, must outlive it and exit
// with that code.
//
// Consoles that do not deliver the event (wine without a console, a
// service without one) make the test skip, saying so; a stand-in that
// dies of the event fails it.
func TestCtrlBreakReachesTheChildAndExecKeepsItsCode(t *testing.T) {
	if testing.Short() {
		t.Skip("sends a console control event to a process group; skipped with -short")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(exe, "wait-interrupt", exe)
	cmd.Env = append(os.Environ(), helperEnv+"=relay")
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || strings.TrimSpace(lines.Text()) != "ready" {
		t.Fatalf("child did not get ready: %q", lines.Text())
	}

	const ctrlBreak = 1
	gen := syscall.NewLazyDLL("kernel32.dll").NewProc("GenerateConsoleCtrlEvent")
	if r, _, err := gen.Call(ctrlBreak, uintptr(cmd.Process.Pid)); r == 0 {
		_ = cmd.Process.Kill()
		<-done
		t.Skipf("GenerateConsoleCtrlEvent: %v (no console to send events through)", err)
	}
	select {
	case err := <-done:
		var exitErr *osexec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 42 {
			t.Fatalf("stand-in for ssokit exec ended with %v, want the child's exit code 42", err)
		}
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Skip("the console did not deliver Ctrl-Break within 15s (wine does not always)")
	}
}

func TestRelayedSignalsOnWindows(t *testing.T) {
	// Without SIGTERM, closing the console window would end ssokit before
	// the child and lose its exit code.
	want := map[os.Signal]bool{os.Interrupt: true, syscall.SIGTERM: true}
	if len(relayedSignals) != len(want) {
		t.Fatalf("relayedSignals = %v, want %v", relayedSignals, want)
	}
	for _, s := range relayedSignals {
		if !want[s] {
			t.Errorf("relayedSignals = %v, want %v", relayedSignals, want)
		}
	}
}
