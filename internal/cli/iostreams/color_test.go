package iostreams

import "testing"

func TestColorWanted(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		tty  bool
		want bool
	}{
		{"a terminal gets colour", nil, true, true},
		{"a pipe gets none", nil, false, false},
		{"NO_COLOR turns it off", map[string]string{"NO_COLOR": "1"}, true, false},
		{"NO_COLOR turns it off whatever its value", map[string]string{"NO_COLOR": "0"}, true, false},
		{"an empty NO_COLOR is not set", map[string]string{"NO_COLOR": ""}, true, true},
		{"a dumb terminal gets none", map[string]string{"TERM": "dumb"}, true, false},
		{"CLICOLOR_FORCE colours a pipe", map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{"FORCE_COLOR colours a pipe", map[string]string{"FORCE_COLOR": "true"}, false, true},
		{"FORCE_COLOR=0 forces nothing", map[string]string{"FORCE_COLOR": "0"}, false, false},
		{"forcing colours a dumb terminal", map[string]string{"TERM": "dumb", "CLICOLOR_FORCE": "1"}, true, true},
		{"NO_COLOR wins over forcing", map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1", "FORCE_COLOR": "1"}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ColorWanted(func(k string) string { return tc.vars[k] }, tc.tty); got != tc.want {
				t.Errorf("ColorWanted = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestColorScheme(t *testing.T) {
	ios, _, _, _ := Test()
	if got := ios.ColorScheme().Red("5m left"); got != "5m left" {
		t.Errorf("Red without colour = %q, want the text alone", got)
	}
	ios.SetColorEnabled(true)
	cs := ios.ColorScheme()
	for _, tc := range []struct{ got, want string }{
		{cs.Red("5m left"), "\x1b[31m5m left\x1b[0m"},
		{cs.Yellow("45m left"), "\x1b[33m45m left\x1b[0m"},
		{cs.Green("ok"), "\x1b[32mok\x1b[0m"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
