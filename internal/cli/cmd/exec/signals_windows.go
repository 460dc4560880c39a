//go:build windows

package exec

import (
	"os"
	"syscall"
)

// relayedSignals are the console events ssokit must outlive while the
// child runs. Go reports Ctrl-C and Ctrl-Break as os.Interrupt, and the
// console window closing, a log-off and a shutdown as SIGTERM; left
// uncaught, each ends ssokit at once, before the child has finished and
// without its exit code. Caught, ssokit keeps waiting (on a close, Windows
// allows a few seconds) and exits with the child's code.
var relayedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// deliveredByTerminal is true for every console event: Windows sends it to
// every process attached to the console, the child included, so there is
// nothing to pass on.
func deliveredByTerminal(os.Signal) bool { return true }

func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
