//go:build unix

package config

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system, GC
// workers included: a measure that holds on a busy machine, where wall
// time also counts the time spent waiting for a core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
