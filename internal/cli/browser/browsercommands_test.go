package browser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBrowserCommands(t *testing.T) {
	const url = "https://example.com/start?a=1"
	const chrome = `C:\Program Files\Google\Chrome\Application\chrome.exe`
	files := map[string]bool{
		chrome:                     true,
		"/opt/My Browser/open-url": true,
		"/opt/odd:name/browser":    true,
		"/usr/bin/firefox":         true,
		`C:\Tools\browser.exe`:     true,
	}
	isFile := func(p string) bool { return files[p] }
	tests := []struct {
		name  string
		value string
		sep   rune
		want  [][]string
	}{
		{"one command", "firefox", ':', [][]string{{"firefox", url}}},
		{"a command with flags", "firefox --new-window", ':', [][]string{{"firefox", "--new-window", url}}},
		{"a list, as xdg reads it", "firefox:chromium --incognito", ':', [][]string{{"firefox", url}, {"chromium", "--incognito", url}}},
		{"empty entries are skipped", ":firefox::", ':', [][]string{{"firefox", url}}},
		{"%s places the URL", "firefox --url=%s --new-tab", ':', [][]string{{"firefox", "--url=" + url, "--new-tab"}}},
		{"a path with spaces, whole", chrome, ';', [][]string{{chrome, url}}},
		{"a path with spaces, whole, around blanks", "  " + chrome + " ", ';', [][]string{{chrome, url}}},
		{"a Unix path with spaces, whole", "/opt/My Browser/open-url", ':', [][]string{{"/opt/My Browser/open-url", url}}},
		{"a Unix path with a colon, whole", "/opt/odd:name/browser", ':', [][]string{{"/opt/odd:name/browser", url}}},
		{"a double-quoted path with flags", `"` + chrome + `" --new-window`, ';', [][]string{{chrome, "--new-window", url}}},
		{"a single-quoted path and %s", `'/opt/My Browser/open-url' --open %s`, ':', [][]string{{"/opt/My Browser/open-url", "--open", url}}},
		{"an unquoted path with spaces, then flags", chrome + " --incognito", ';', [][]string{{chrome, "--incognito", url}}},
		{"a Windows list", chrome + `;C:\Tools\browser.exe -x`, ';', [][]string{{chrome, url}, {`C:\Tools\browser.exe`, "-x", url}}},
		{"backslashes are not escapes", `C:\Tools\browser.exe`, ';', [][]string{{`C:\Tools\browser.exe`, url}}},
		{"a quoted empty argument stays", `firefox ""`, ':', [][]string{{"firefox", "", url}}},
		{"nothing but blanks", "  ", ':', nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := browserCommands(tt.value, url, tt.sep, isFile)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("browserCommands(%q) (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}
