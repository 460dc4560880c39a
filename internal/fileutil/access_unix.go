//go:build !windows

package fileutil

// AccessFix names the command that makes the file at path (the folder,
// when dir is set) the user's alone: chmod 600 or chmod 700.
func AccessFix(path string, dir bool) string {
	if dir {
		return "e.g. chmod 700 " + path
	}
	return "chmod 600 " + path + ", and chown it to you if another user owns it"
}
