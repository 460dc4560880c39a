package cmdutil

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
)

func TestNoBrowserReason(t *testing.T) {
	tests := []struct {
		name string
		goos string
		vars map[string]string
		want string
	}{
		{"a Linux desktop has a browser", "linux", map[string]string{"DISPLAY": ":0"}, ""},
		{"Wayland counts as a display", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, ""},
		{"Linux without a display has none", "linux", nil, "no graphical display: DISPLAY and WAYLAND_DISPLAY are not set"},
		{"macOS needs no DISPLAY", "darwin", nil, ""},
		{"Windows needs no DISPLAY", "windows", nil, ""},
		{"SSH wins over a forwarded display", "linux", map[string]string{"DISPLAY": "localhost:10.0", "SSH_TTY": "/dev/pts/1"}, "this is an SSH session"},
		{"SSH into a Mac", "darwin", map[string]string{"SSH_CONNECTION": "a b c d"}, "this is an SSH session"},
		{"an explicit BROWSER is trusted", "linux", map[string]string{"BROWSER": "w3m", "SSH_TTY": "/dev/pts/1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := noBrowserReason(func(k string) string { return tc.vars[k] }, tc.goos); got != tc.want {
				t.Errorf("noBrowserReason() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSignInOptions(t *testing.T) {
	session := config.SSO{SessionName: "my-sso"}
	legacy := config.SSO{StartURL: "https://d-0123456789.awsapps.com/start"}
	deviceSession := config.SSO{SessionName: "my-sso", UseDeviceCode: true}
	// The session applies the port itself: Options.Port stays the flag's.
	portSession := config.SSO{SessionName: "my-sso", CallbackPort: 8400}
	ssh := map[string]string{"SSH_TTY": "/dev/pts/1", "DISPLAY": "localhost:10.0"}
	desktop := map[string]string{"DISPLAY": ":0"}
	type got struct {
		UseDeviceCode, NoBrowser bool
		Port                     int
		Said                     string
	}
	tests := []struct {
		name          string
		sso           config.SSO
		vars          map[string]string
		device, noBrw bool
		port          int
		want          got
	}{
		{name: "a desktop signs in with the browser", sso: session, vars: desktop, want: got{}},
		{name: "--no-browser on a desktop prints the PKCE URL", sso: session, vars: desktop, noBrw: true, want: got{NoBrowser: true}},
		{name: "SSH switches to the code, saying why", sso: session, vars: ssh, want: got{UseDeviceCode: true, NoBrowser: true, Said: "No browser can be opened here (this is an SSH session): signing in with a code instead.\n"}},
		{name: "SSH with a fixed port keeps PKCE and prints its URL", sso: session, vars: ssh, port: 8400, want: got{NoBrowser: true, Port: 8400}},
		{name: "a desktop with a fixed port opens the browser", sso: session, vars: desktop, port: 8400, want: got{Port: 8400}},
		{name: "SSH with --use-device-code opens no browser, silently", sso: session, vars: ssh, device: true, want: got{UseDeviceCode: true, NoBrowser: true}},
		{name: "SSH with a legacy profile opens no browser, silently", sso: legacy, vars: ssh, want: got{UseDeviceCode: true, NoBrowser: true}},
		{name: "a legacy profile on a desktop may open the browser", sso: legacy, vars: desktop, want: got{}},
		{name: "ssokit_use_device_code counts as --use-device-code", sso: deviceSession, vars: desktop, want: got{UseDeviceCode: true}},
		{name: "SSH with ssokit_use_device_code opens no browser, silently", sso: deviceSession, vars: ssh, want: got{UseDeviceCode: true, NoBrowser: true}},
		{name: "SSH with ssokit_callback_port keeps PKCE and prints its URL", sso: portSession, vars: ssh, want: got{NoBrowser: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			var o login.Options
			SignInOptions(ios, func(k string) string { return tc.vars[k] }, "linux", tc.sso, SignInFlags{UseDeviceCode: tc.device, NoBrowser: tc.noBrw, Port: tc.port})(&o)
			if !o.SignIn || o.Spinner == nil {
				t.Errorf("SignIn = %v, Spinner = %v: want a sign-in with a spinner", o.SignIn, o.Spinner)
			}
			if diff := cmp.Diff(tc.want, got{o.UseDeviceCode, o.NoBrowser, o.Port, errOut.String()}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
