//go:build !windows

package fileutil

import "testing"

// waitLonger has nothing to do on Unix: a rename replaces an open file.
func waitLonger(*testing.T) {}
