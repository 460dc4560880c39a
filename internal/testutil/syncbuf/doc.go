// Package syncbuf is a buffer that one goroutine may write while another
// reads it: what a command, a server or a child process prints while the
// test watches for a line.
//
//	var errOut syncbuf.Buffer
//	cmd.Stderr = &errOut
//	... wait until strings.Contains(errOut.String(), "ready") ...
package syncbuf
