package cmdutil

import (
	"errors"
	"runtime"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
)

// Every page a command opens, its own or a sign-in's, goes through one
// test: where no browser can work, none is started.
func TestOneWayToOpenABrowser(t *testing.T) {
	tests := []struct {
		name       string
		vars       map[string]string
		wantOpened bool
		wantReason string
	}{
		{"a desktop opens it", map[string]string{"DISPLAY": ":0"}, true, ""},
		{"an explicit BROWSER opens it, even over SSH", map[string]string{"BROWSER": "firefox", "SSH_TTY": "/dev/pts/1"}, true, ""},
		{"SSH opens nothing", map[string]string{"SSH_CONNECTION": "10.0.0.1 50000 10.0.0.2 22", "DISPLAY": "localhost:10.0"}, false, "this is an SSH session"},
	}
	if runtime.GOOS == "linux" {
		tests = append(tests, struct {
			name       string
			vars       map[string]string
			wantOpened bool
			wantReason string
		}{"Linux without a display opens nothing", nil, false, "no graphical display: DISPLAY and WAYLAND_DISPLAY are not set"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			stub := &browserstub.Stub{}
			home := tempdir.New(t)
			f := &Factory{IOStreams: ios, Browser: stub, Getenv: func(k string) string { return tt.vars[k] }, HomeDir: func() (string, error) { return home, nil }}
			var sessionBrowser login.Opener
			_, err := f.NewSession(config.SSO{SessionName: "s", StartURL: "https://x.awsapps.com/start", Region: "us-east-1"},
				func(o *login.Options) { sessionBrowser = o.Browser })
			if err != nil {
				t.Fatal(err)
			}
			for _, open := range []struct {
				by string
				fn func(string) error
			}{{"f.OpenBrowser", f.OpenBrowser}, {"a sign-in's browser", sessionBrowser.Open}} {
				before := len(stub.URLs())
				err := open.fn("https://example.com/page")
				opened := len(stub.URLs()) > before
				if opened != tt.wantOpened {
					t.Errorf("%s: opened = %v, want %v", open.by, opened, tt.wantOpened)
				}
				var nb *NoBrowserError
				switch {
				case tt.wantReason == "" && err != nil:
					t.Errorf("%s: error = %v", open.by, err)
				case tt.wantReason != "" && (!errors.As(err, &nb) || nb.Reason != tt.wantReason):
					t.Errorf("%s: error = %v, want a *NoBrowserError saying %q", open.by, err, tt.wantReason)
				}
			}
		})
	}
}
