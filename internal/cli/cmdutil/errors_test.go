package cmdutil

import (
	"fmt"
	"testing"

	"github.com/ssokit/ssokit/login"
)

func TestSignInCommand(t *testing.T) {
	tests := []struct {
		name string
		err  *login.SignInRequiredError
		want string
	}{
		{"a profile is named with --profile", &login.SignInRequiredError{Session: "s", Profile: "dev"}, "ssokit login --profile dev"},
		{"a session alone is named with --sso-session", &login.SignInRequiredError{Session: "my-sso"}, "ssokit login --sso-session my-sso"},
		{"a name with a space is quoted for the shell", &login.SignInRequiredError{Session: "s", Profile: "my dev"}, "ssokit login --profile 'my dev'"},
		{"a quote inside a name survives", &login.SignInRequiredError{Session: "it's"}, `ssokit login --sso-session 'it'\''s'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := SignInCommand(fmt.Errorf("wrapped: %w", tc.err)); !ok || got != tc.want {
				t.Errorf("SignInCommand() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNoSignInCommandForOtherErrors(t *testing.T) {
	if got, ok := SignInCommand(fmt.Errorf("some failure")); ok || got != "" {
		t.Errorf("SignInCommand(plain error) = %q, %v; want none", got, ok)
	}
}
