//go:build windows

package fileutil

// AccessFix says where the user sees and changes who may use the file or
// folder at path: Windows keeps no modes to chmod, only an owner and an
// access list.
func AccessFix(path string, _ bool) string {
	return "its owner and permissions are under Properties > Security, or shown by icacls " + path
}
