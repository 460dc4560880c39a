package export

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShellFormat(t *testing.T) {
	env := func(kv map[string]string) func(string) string {
		return func(k string) string { return kv[k] }
	}
	tests := []struct {
		name   string
		goos   string
		getenv func(string) string
		want   Format
	}{
		{"Windows: PowerShell", "windows", env(map[string]string{"PSModulePath": `C:\\Program Files\\WindowsPowerShell\\Modules`}), FormatPowerShell},
		{"Windows without an environment: PowerShell", "windows", nil, FormatPowerShell},
		{"Git Bash on Windows sets SHELL: sh syntax", "windows", env(map[string]string{"SHELL": "/usr/bin/bash"}), FormatEnv},
		{"Linux: sh syntax", "linux", env(map[string]string{"SHELL": "/bin/bash"}), FormatEnv},
		{"PowerShell on Linux: sh syntax, as PSModulePath passes to every child", "linux", env(map[string]string{"PSModulePath": "/opt/microsoft/powershell/7/Modules"}), FormatEnv},
		{"macOS: sh syntax", "darwin", env(nil), FormatEnv},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShellFormat(tt.goos, tt.getenv); got != tt.want {
				t.Errorf("ShellFormat = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnsetCommand(t *testing.T) {
	want := map[Format]string{
		FormatEnv:         "unset AWS_PROFILE",
		FormatEnvNoExport: "unset AWS_PROFILE",
		FormatFish:        "set -e AWS_PROFILE",
		FormatPowerShell:  "Remove-Item Env:AWS_PROFILE",
		FormatWindowsCmd:  "set AWS_PROFILE=",
	}
	for _, f := range ShellFormats() {
		if got := UnsetCommand(f, "AWS_PROFILE"); got != want[f] {
			t.Errorf("%s: UnsetCommand = %q, want %q", f, got, want[f])
		}
	}
}

// TestWriteVarsQuotes writes values a shell would split or expand: each
// format's line gives the value back whole.
func TestWriteVarsQuotes(t *testing.T) {
	const name = "AWS_CA_BUNDLE"
	const value = `C:\Users\Jo O'Neil\$cache\"ca".pem` + "`"
	want := map[Format]string{
		FormatEnv:         `export AWS_CA_BUNDLE='C:\Users\Jo O'\''Neil\$cache\"ca".pem` + "`'\n",
		FormatEnvNoExport: `AWS_CA_BUNDLE='C:\Users\Jo O'\''Neil\$cache\"ca".pem` + "`'\n",
		FormatFish:        `set -gx AWS_CA_BUNDLE "C:\\Users\\Jo O'Neil\\\$cache\\\"ca\".pem` + "`\"\n",
		FormatPowerShell:  "$Env:AWS_CA_BUNDLE=\"C:\\Users\\Jo O'Neil\\`$cache\\`\"ca`\".pem``\"\n",
		FormatWindowsCmd:  "set AWS_CA_BUNDLE=" + value + "\n",
	}
	for _, f := range ShellFormats() {
		var out bytes.Buffer
		if err := WriteVars(&out, f, name, value); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[f], out.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f, diff)
		}
	}
}
