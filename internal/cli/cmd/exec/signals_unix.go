//go:build unix

package exec

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

var relayedSignals = []os.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP}

// deliveredByTerminal reports whether the terminal has already sent sig to
// the child: sig is one the terminal generates (Ctrl-C, Ctrl-\) and our
// process group, which the child shares, is the terminal's foreground
// group. A signal sent with kill(1) to ssokit alone is still relayed.
func deliveredByTerminal(sig os.Signal) bool {
	if sig != syscall.SIGINT && sig != syscall.SIGQUIT {
		return false
	}
	for _, fd := range []int{0, 1, 2} {
		if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
			return pgrp == unix.Getpgrp()
		}
	}
	return false
}

func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
