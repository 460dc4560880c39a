package iostreams

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableEscapes turns on escape-code handling (colours, clearing a line)
// of the console f is, which older Windows consoles leave off; false when
// it cannot be turned on.
func enableEscapes(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
