package export

import "strings"

// ShellFormat is the one of ShellFormats for the shell a person on goos
// most likely types into: PowerShell on Windows, sh syntax elsewhere.
//
// On Windows a set SHELL means a POSIX shell (Git Bash, MSYS2 and Cygwin
// set it; PowerShell and cmd do not), so sh syntax it is. PSModulePath says
// nothing: Windows sets it for every process, and PowerShell on Linux or
// macOS passes it on to the shells it starts. cmd and fish users name
// their format with --format.
func ShellFormat(goos string, getenv func(string) string) Format {
	if goos == "windows" && (getenv == nil || getenv("SHELL") == "") {
		return FormatPowerShell
	}
	return FormatEnv
}

// UnsetCommand is the command that removes the environment variable name
// in format's shell.
func UnsetCommand(format Format, name string) string {
	switch format {
	case FormatPowerShell:
		return "Remove-Item Env:" + name
	case FormatFish:
		return "set -e " + name
	case FormatWindowsCmd:
		return "set " + name + "="
	}
	return "unset " + name
}

// Quote returns s as format's shell reads it back as one word. Values made
// only of letters, digits and -_.@:/+=,% (every credential, URL and plain
// path) come back unchanged in sh syntax, so the lines Write prints are
// exactly the AWS CLI's; others are single-quoted. In the double quotes of
// the fish and PowerShell lines, the characters those shells expand are
// escaped. cmd has no quoting a `set` line could use: its values are left
// as they are.
func Quote(format Format, s string) string {
	switch format {
	case FormatPowerShell:
		return escape(s, "`\"$", '`')
	case FormatFish:
		return escape(s, `\"$`, '\\')
	case FormatWindowsCmd:
		return s
	}
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.@:/+=,%", r))
	}) < 0
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// escape puts esc before each of the special characters in s.
func escape(s, special string, esc rune) string {
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteRune(esc)
		}
		b.WriteRune(r)
	}
	return b.String()
}
