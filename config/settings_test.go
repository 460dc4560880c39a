package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

const settingsConfig = `[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
ssokit_use_device_code = TRUE
ssokit_callback_port = 8400

[sso-session plain]
sso_start_url = https://plain.awsapps.com/start
sso_region = eu-west-1
ssokit_use_device_code = false
ssokit_callback_port =
`

func TestSessionSettingsResolve(t *testing.T) {
	c, err := Load(Paths{Config: writeFile(t, tempdir.New(t), "config", settingsConfig)})
	if err != nil {
		t.Fatal(err)
	}
	viaProfile, err := c.ResolveSSO("dev", nil)
	if err != nil {
		t.Fatal(err)
	}
	session, err := c.ResolveSSOSession("corp", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]SSO{"profile dev": viaProfile, "sso-session corp": session} {
		if !s.UseDeviceCode || s.CallbackPort != 8400 {
			t.Errorf("%s: UseDeviceCode = %v, CallbackPort = %d; want true, 8400", name, s.UseDeviceCode, s.CallbackPort)
		}
	}
	plain, err := c.ResolveSSOSession("plain", "", nil)
	if err != nil || plain.UseDeviceCode || plain.CallbackPort != 0 {
		t.Errorf("sso-session plain = %+v, %v; want neither setting", plain, err)
	}
}

func TestBadSessionSettingsAreValidationErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"not a boolean", "ssokit_use_device_code = yes", `ssokit_use_device_code in sso-session "corp" is "yes", not true or false`},
		{"not a number", "ssokit_callback_port = http", `ssokit_callback_port in sso-session "corp" is "http", not a port number from 1 to 65535`},
		{"port zero", "ssokit_callback_port = 0", "not a port number from 1 to 65535"},
		{"port too high", "ssokit_callback_port = 65536", "not a port number from 1 to 65535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tempdir.New(t)
			cfg := writeFile(t, dir, "config", "[profile dev]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"+tt.line+"\n")
			c, err := Load(Paths{Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			for _, resolve := range []func() error{
				func() error { _, err := c.ResolveSSO("dev", nil); return err },
				func() error { _, err := c.ResolveSSOSession("corp", "", nil); return err },
			} {
				var ve *ValidationError
				if err := resolve(); !errors.As(err, &ve) || ve.Location.Line != 7 || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("resolve = %v; want a *ValidationError at line 7 saying %q", err, tt.want)
				}
			}
			// doctor lists it once, though both the profile and the
			// session resolve through it.
			problems := Check(Paths{Config: cfg, Credentials: filepath.Join(dir, "credentials")})
			if len(problems) != 1 || problems[0].Location.Line != 7 || !strings.Contains(problems[0].Message, tt.want) || problems[0].Fix == "" {
				t.Errorf("Check = %+v; want the one problem at line 7", problems)
			}
		})
	}
}

func TestCheckReportsEveryBadSessionSetting(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", "[profile dev]\nsso_session = corp\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nssokit_use_device_code = yes\nssokit_callback_port = 99999\n")
	problems := Check(Paths{Config: cfg, Credentials: filepath.Join(dir, "credentials")})
	var got []string
	for _, p := range problems {
		got = append(got, fmt.Sprintf("%d: %s", p.Location.Line, p.Message))
	}
	want := []string{
		`7: ssokit_use_device_code in sso-session "corp" is "yes", not true or false`,
		`8: ssokit_callback_port in sso-session "corp" is "99999", not a port number from 1 to 65535`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
}

func TestSessionSettingsInAProfileAreFlagged(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", "[profile old]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nssokit_callback_port = 8400\n")
	problems := Check(Paths{Config: cfg, Credentials: filepath.Join(dir, "credentials")})
	if len(problems) != 1 || problems[0].Location.Line != 4 || !strings.Contains(problems[0].Message, "ssokit_callback_port in [profile old] has no effect") {
		t.Errorf("Check = %+v; want the key in the profile flagged at line 4", problems)
	}
}
