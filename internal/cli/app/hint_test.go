package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// The library errors carry facts; the CLI adds what to do with ssokit's own
// commands, once, below the message.
func TestHintsAreAddedByTheCLI(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantHint string // "" means no line beyond the message (and usage)
	}{
		{"an unknown profile", &cmdutil.FlagError{Err: &config.ProfileNotFoundError{Profile: "nope", Paths: config.Paths{Config: "/h/.aws/config"}}}, 2,
			"Run `ssokit profiles` to list the profiles, or add one with `ssokit configure sso`."},
		{"a profile that is not an SSO profile", &cmdutil.FlagError{Err: &config.NotSSOProfileError{Profile: "static"}}, 2,
			"Choose an SSO profile (`ssokit profiles` lists them), or add one with `ssokit configure sso`."},
		{"a file with several problems", &config.ParseError{Path: "/h/.aws/config", Problems: []config.Problem{{Message: "a"}, {Message: "b"}}}, 1,
			"Run `ssokit doctor` to list every problem."},
		{"a file with one problem needs no doctor", &config.ParseError{Path: "/h/.aws/config", Problems: []config.Problem{{Message: "a"}}}, 1, ""},
		{"a role not assigned", fmt.Errorf("get credentials: %w", &credentials.RoleNotAssignedError{Profile: "dev", AccountID: "111122223333", RoleName: "Admin"}), 1,
			"`ssokit accounts` lists the accounts and roles you can use."},
		{"a profile without a role", &credentials.NoRoleError{Profile: "signin-only"}, 1,
			"`ssokit accounts` lists the accounts and roles you can use."},
		{"a busy callback port", &login.ListenError{Port: 8400, Err: errors.New("address already in use")}, 1,
			"Choose another --port, or sign in with --use-device-code."},
		{"a busy callback port from the config", &login.ListenError{Port: 8400, Setting: `ssokit_callback_port of sso-session "corp"`, Session: "corp", Err: errors.New("address already in use")}, 1,
			"Free port 8400, change ssokit_callback_port in [sso-session corp] (or remove it to use any free port), or sign in with --use-device-code."},
		{"a session without start URL", &login.IncompleteError{What: `session "x"`}, 1,
			"Run `ssokit configure sso` to set them."},
		{"a sign-in needed", &credentials.TokenRejectedError{URL: "https://portal", SignIn: &login.SignInRequiredError{Session: "corp", Profile: "dev"}}, 3,
			"To sign in, run: ssokit login --profile dev"},
		{"a legacy session needs its profile", &login.SignInRequiredError{Session: "https://x/start", Legacy: true, Profile: "old one"}, 3,
			"To sign in, run: ssokit login --profile 'old one'"},
		{"a chain ending in static keys", &cmdutil.FlagError{Err: &config.UnsupportedSourceError{Profile: "prod", Chain: []string{"prod", "static"}, Source: "a static-keys profile"}}, 2,
			"ssokit starts role chains from SSO credentials only: point the chain's last source_profile at an SSO profile (`ssokit profiles` shows the chains), or use the AWS CLI for this profile."},
		{"a role that does not trust the source", &credentials.AssumeRoleError{Profile: "prod", RoleARN: "arn:aws:iam::1:role/x", Code: "AccessDenied", Message: "User: x is not authorized"}, 1,
			"The role's trust policy must allow the role before it in the chain, with the external_id and MFA code it asks for; `ssokit profiles` shows the chain."},
		{"a duration the role refuses needs no trust advice", &credentials.AssumeRoleError{Profile: "prod", RoleARN: "arn:aws:iam::1:role/x", Code: "ValidationError", Message: "too long"}, 1, ""},
		{"an MFA code with no terminal", &credentials.MFACodeRequiredError{Profile: "prod admin", Serial: "arn:aws:iam::1:mfa/a", RoleARN: "arn:aws:iam::1:role/x"}, 1,
			"In a terminal, run `ssokit export --profile 'prod admin'` once to enter the code: the credentials it caches serve the next runs for up to an hour."},
		{"a keyring that cannot be reached", fmt.Errorf("refresh: %w", &tokencache.KeyringError{Op: "read", Key: "corp", Account: "/h/.aws/sso/cache/x.json refreshToken", Err: errors.New(`exec: "dbus-launch": executable file not found in $PATH`)}), 1,
			"SSO session corp keeps its refresh token in the OS keyring (ssokit_token_storage = keyring). Unlock the keyring or start it (on Linux: a Secret Service such as GNOME Keyring or KWallet on the D-Bus session bus), or keep the secrets in ~/.aws/sso/cache instead: set ssokit_token_storage = file in [sso-session corp] (and unset SSOKIT_TOKEN_STORAGE if it says keyring)."},
		{"a token storage in the environment that is neither", &config.TokenStorageEnvError{Value: "vault"}, 1,
			"Set SSOKIT_TOKEN_STORAGE to file or keyring, or unset it."},
		{"another error", errors.New("boom"), 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			code := exitCode(&cmdutil.Factory{IOStreams: ios}, nil, tt.err)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if out.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
			lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
			if lines[0] != "ssokit: "+tt.err.Error() {
				t.Errorf("first line = %q, want the error", lines[0])
			}
			switch {
			case tt.wantHint == "" && len(lines) > 1:
				t.Errorf("stderr = %q, want no hint", errOut)
			case tt.wantHint != "" && (len(lines) < 2 || lines[1] != tt.wantHint):
				t.Errorf("stderr = %q, want the hint %q", errOut, tt.wantHint)
			}
		})
	}
}
