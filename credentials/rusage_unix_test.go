//go:build unix

package credentials_test

import (
	"os"
	"syscall"
)

func rusageMaxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
