package fileutil

import (
	"fmt"
	"strings"
	"time"
)

// HeldError is a file that another program keeps open in a way that
// forbids replacing it, for longer than a writer waits: on Windows, a
// reader that does not share delete access. Holders names the programs
// when the system can tell (Windows' Restart Manager); Lookup says why
// it could not.
type HeldError struct {
	Path    string
	Waited  time.Duration
	Holders []Holder
	Lookup  error
	Err     error
}

// Holder is a program that has a file open.
type Holder struct {
	Name string
	PID  int
}

func (e *HeldError) Error() string {
	msg := fmt.Sprintf("another program has it open and does not let it be replaced (still after %v)", e.Waited)
	switch {
	case len(e.Holders) > 0:
		names := make([]string, len(e.Holders))
		for i, h := range e.Holders {
			names[i] = fmt.Sprintf("%s (process %d)", h.Name, h.PID)
		}
		return msg + ": " + strings.Join(names, ", ")
	case e.Lookup != nil:
		return fmt.Sprintf("%s; which program is unknown: %v", msg, e.Lookup)
	}
	return msg
}

func (e *HeldError) Unwrap() error { return e.Err }
