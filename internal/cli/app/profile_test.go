package app

import (
	"context"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// A profile that cannot be used is reported with where its name came from
// and, for a typo, the name probably meant; it is a usage mistake (exit
// code 2), but not one of the command's flags, so --help is not offered.
func TestProfileErrorsSayWhereTheNameCameFrom(t *testing.T) {
	env := signedin.New(t)
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want []string // lines of stderr, in order
	}{
		{
			name: "a typo in --profile",
			args: []string{"export", "--profile", "deve"},
			want: []string{`ssokit: profile "deve" is not defined in ` + env.ConfigPath + " or " + env.CredentialsPath, "Did you mean dev?"},
		},
		{
			name: "AWS_PROFILE names a profile that does not exist",
			args: []string{"exec", "--", "true"},
			vars: map[string]string{"AWS_PROFILE": "nope"},
			want: []string{`ssokit: profile "nope" (from AWS_PROFILE) is not defined in ` + env.ConfigPath + " or " + env.CredentialsPath,
				"AWS_PROFILE=nope is set in your environment: set it to another profile, unset it (unset AWS_PROFILE), or name one with --profile.",
				"Run `ssokit profiles` to list the profiles, or add one with `ssokit configure sso`."},
		},
		{
			name: "AWS_DEFAULT_PROFILE with a typo",
			args: []string{"credential-process"},
			vars: map[string]string{"AWS_DEFAULT_PROFILE": "dve"},
			want: []string{`ssokit: profile "dve" (from AWS_DEFAULT_PROFILE) is not defined in`, "Did you mean dev?",
				"AWS_DEFAULT_PROFILE=dve is set in your environment: set it to another profile, unset it (unset AWS_DEFAULT_PROFILE), or name one with --profile."},
		},
		{
			name: "no profile named and no default",
			args: []string{"console", "--print"},
			want: []string{`ssokit: profile "default" (the default: no profile was named) is not defined in`,
				"Name a profile with --profile or AWS_PROFILE, or add a [default] profile."},
		},
		{
			name: "AWS_PROFILE names a profile that is not an SSO profile",
			args: []string{"login"},
			vars: map[string]string{"AWS_PROFILE": signedin.Static},
			want: []string{`profile "static" (from AWS_PROFILE) is not an SSO profile`,
				"AWS_PROFILE=static is set in your environment"},
		},
		{
			name: "an sso-session that does not exist",
			args: []string{"login", "--sso-session", "corpp"},
			want: []string{`ssokit: the specified sso-session does not exist: "corpp"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.vars {
				env.Vars[k] = v
			}
			t.Cleanup(func() {
				for k := range tt.vars {
					delete(env.Vars, k)
				}
			})
			f, out, errOut := cmdtest.SignedIn(env)
			if code := Run(context.Background(), f, tt.args); code != 2 {
				t.Errorf("exit code %d, want 2 (a usage mistake)", code)
			}
			lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
			for i, want := range tt.want {
				if i >= len(lines) || !strings.Contains(lines[i], want) {
					t.Errorf("stderr line %d lacks %q:\n%s", i+1, want, errOut)
				}
			}
			if strings.Contains(errOut.String(), "--help") {
				t.Errorf("stderr offers --help for a name, not a flag:\n%s", errOut)
			}
			if out.Len() > 0 {
				t.Errorf("stdout = %q", out)
			}
		})
	}
}

// On Windows the command that clears the variable is PowerShell's.
func TestProfileHintOnWindowsSaysRemoveItem(t *testing.T) {
	env := signedin.New(t)
	env.Vars["AWS_PROFILE"] = "nope"
	f, _, errOut := cmdtest.SignedIn(env)
	f.GOOS = "windows"
	if code := Run(context.Background(), f, []string{"export"}); code != 2 {
		t.Errorf("exit code %d, want 2 (a usage mistake)", code)
	}
	want := "AWS_PROFILE=nope is set in your environment: set it to another profile, unset it (Remove-Item Env:AWS_PROFILE), or name one with --profile.\n"
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
}
