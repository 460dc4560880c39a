//go:build windows

package exec

import "os"

// Windows delivers Ctrl-C and Ctrl-Break to every process attached to the
// console, the child included; ssokit only has to survive it.
var relayedSignals = []os.Signal{os.Interrupt}

func deliveredByTerminal(os.Signal) bool { return true }

func exitCode(ps *os.ProcessState) int { return ps.ExitCode() }
