package fileutil

import (
	"os"
	"path/filepath"
	"strings"
)

// tempInfix is in the name of every temp file WriteAtomic creates:
// ".NAME.tmp-DIGITS" next to NAME; probeInfix in the name of the empty
// file CheckWritable creates and removes at once.
const (
	tempInfix  = ".tmp-"
	probeInfix = ".probe-"
)

// isTempName reports whether name is one of WriteAtomic's temp files or
// CheckWritable's probes.
func isTempName(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	for _, infix := range []string{tempInfix, probeInfix} {
		if i := strings.LastIndex(name, infix); i >= 2 {
			digits := name[i+len(infix):]
			return digits != "" && strings.Trim(digits, "0123456789") == ""
		}
	}
	return false
}

// RemoveLeftovers deletes the temp files in dir that WriteAtomic left
// behind in processes that died mid-write (killed, or the machine lost
// power): they may hold whole tokens or keys. A temp file that a live
// process still holds is left alone. It returns how many it removed;
// files it cannot remove are skipped silently, as are a missing or
// unreadable folder.
func RemoveLeftovers(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, de := range entries {
		if de.Type().IsRegular() && isTempName(de.Name()) && removeIfAbandoned(filepath.Join(dir, de.Name())) {
			n++
		}
	}
	return n
}
