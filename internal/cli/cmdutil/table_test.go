package cmdutil

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

func TestSummarise(t *testing.T) {
	names := make([]string, 900)
	for i := range names {
		names[i] = fmt.Sprintf("p%03d", i)
	}
	tests := []struct {
		name  string
		items []string
		width int
		want  string
	}{
		{"a list that fits is whole", []string{"dev", "prod"}, 9, "dev, prod"},
		{"as many as fit, then how many more", []string{"dev", "prod", "qa", "stage"}, 19, "dev, prod, +2 more"},
		{"900 names in 30 columns", names, 30, "p000, p001, p002, +897 more"},
		{"a first name too long is cut", []string{"a-very-long-profile-name", "b"}, 16, "a-very…, +1 more"},
		{"no room for a name gives the count", []string{"dev", "prod"}, 8, "2 in all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarise(tt.items, tt.width)
			if got != tt.want {
				t.Errorf("summarise = %q, want %q", got, tt.want)
			}
			if len([]rune(got)) > tt.width {
				t.Errorf("%q is wider than %d", got, tt.width)
			}
		})
	}
}

func TestTableFitsTheTerminal(t *testing.T) {
	render := func(tty bool, width int) string {
		ios, _, out, _ := iostreams.Test()
		ios.SetTTY(tty)
		ios.SetTerminalWidth(width)
		tab := NewTable(ios)
		tab.AddHeader("NAME", "URL", "LIST")
		tab.AddField("dev")
		tab.AddField("https://example.awsapps.com/start")
		tab.AddListField([]string{"alpha", "beta", "gamma", "delta"})
		tab.EndRow()
		tab.AddField("tab\there")
		tab.AddField("-")
		tab.AddListField(nil)
		tab.EndRow()
		if err := tab.Render(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	tests := []struct {
		name  string
		tty   bool
		width int
		want  string
	}{
		{"a wide terminal shows everything", true, 100,
			"NAME      URL                                LIST\ndev       https://example.awsapps.com/start  alpha, beta, gamma, delta\ntab here  -                                  -\n"},
		{"the list gives up room first", true, 65,
			"NAME      URL                                LIST\ndev       https://example.awsapps.com/start  alpha, beta, +2 more\ntab here  -                                  -\n"},
		{"then the widest column is cut", true, 50,
			"NAME      URL                     LIST\ndev       https://example.awsap…  alpha, +3 more\ntab here  -                       -\n"},
		{"piped, values are whole", false, 10,
			"NAME      URL                                LIST\ndev       https://example.awsapps.com/start  alpha, beta, gamma, delta\ntab here  -                                  -\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(tt.tty, tt.width)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if tt.tty {
				for _, l := range strings.Split(got, "\n") {
					if len([]rune(l)) > tt.width {
						t.Errorf("%q is wider than %d", l, tt.width)
					}
				}
			}
		})
	}
}
