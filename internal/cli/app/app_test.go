package app

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		want       int
		wantErrOut string
	}{
		{name: "no error is success", err: nil, want: 0},
		{
			name: "a flag error is a usage error with a pointer to --help",
			err:  &cmdutil.FlagError{Err: errors.New("--output: use one of process, env")},
			want: 2, wantErrOut: "ssokit: --output: use one of process, env\nRun `ssokit login --help` for usage.\n",
		},
		{
			name: "a wrapped flag error too",
			err:  fmt.Errorf("login: %w", cmdutil.FlagErrorf("no profile")),
			want: 2, wantErrOut: "ssokit: login: no profile\nRun `ssokit login --help` for usage.\n",
		},
		{
			name: "cobra's unknown command",
			err:  errors.New(`unknown command "lgoin" for "ssokit"`),
			want: 2, wantErrOut: "ssokit: unknown command \"lgoin\" for \"ssokit\"\nRun `ssokit login --help` for usage.\n",
		},
		{
			name: "cobra's wrong number of arguments",
			err:  errors.New("accepts 1 arg(s), received 2"),
			want: 2, wantErrOut: "ssokit: accepts 1 arg(s), received 2\nRun `ssokit login --help` for usage.\n",
		},
		{
			name: "cobra's invalid argument",
			err:  errors.New(`invalid argument "x" for "--duration" flag`),
			want: 2, wantErrOut: "ssokit: invalid argument \"x\" for \"--duration\" flag\nRun `ssokit login --help` for usage.\n",
		},
		{name: "the user cancelled", err: cmdutil.ErrCancel, want: 2, wantErrOut: "cancelled\n"},
		{name: "the context was cancelled", err: context.Canceled, want: 2, wantErrOut: "cancelled\n"},
		{name: "a wrapped cancellation", err: fmt.Errorf("wait for approval: %w", context.Canceled), want: 2, wantErrOut: "cancelled\n"},
		{
			name: "a sign-in is needed",
			err:  &login.SignInRequiredError{Session: "corp", Profile: "dev"},
			want: 3, wantErrOut: "ssokit: no SSO token for session \"corp\"\nTo sign in, run: ssokit login --profile dev\n",
		},
		{
			name: "a wrapped sign-in error",
			err:  fmt.Errorf("get credentials: %w", &login.SignInRequiredError{Session: "corp"}),
			want: 3, wantErrOut: "ssokit: get credentials: no SSO token for session \"corp\"\nTo sign in, run: ssokit login --sso-session corp\n",
		},
		{name: "an exact exit code, printed by nobody", err: &cmdutil.ExitCodeError{Code: 7}, want: 7},
		{name: "a wrapped exact exit code", err: fmt.Errorf("run terraform: %w", &cmdutil.ExitCodeError{Code: 7}), want: 7},
		{name: "a silent error: the command said what went wrong", err: cmdutil.ErrSilent, want: 1},
		{name: "any other error", err: errors.New("read ~/.aws/config: permission denied"), want: 1, wantErrOut: "ssokit: read ~/.aws/config: permission denied\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			login, _, err := NewRootCmd(f).Find([]string{"login"})
			if err != nil {
				t.Fatal(err)
			}
			if got := exitCode(f, login, tt.err); got != tt.want {
				t.Errorf("exit code = %d, want %d", got, tt.want)
			}
			if diff := cmp.Diff(tt.wantErrOut, errOut.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

// Usage mistakes cobra finds itself, through the whole command tree.
func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantErrOut string
	}{
		{
			name:       "an unknown command",
			args:       []string{"frobnicate"},
			wantErrOut: "ssokit: unknown command \"frobnicate\" for \"ssokit\"\nRun `ssokit --help` for usage.\n",
		},
		{
			name:       "an unknown flag",
			args:       []string{"login", "--no-such-flag"},
			wantErrOut: "ssokit: unknown flag: --no-such-flag\nRun `ssokit login --help` for usage.\n",
		},
		{
			name:       "an argument to a command that takes none",
			args:       []string{"profiles", "extra"},
			wantErrOut: "ssokit: unknown command \"extra\" for \"ssokit profiles\"\nRun `ssokit profiles --help` for usage.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			if got := Run(context.Background(), f, tt.args); got != cmdutil.ExitUsage {
				t.Errorf("exit code = %d, want %d", got, cmdutil.ExitUsage)
			}
			if diff := cmp.Diff(tt.wantErrOut, errOut.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out)
			}
		})
	}
}

func TestRunVersion(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	if got := Run(context.Background(), f, []string{"--version"}); got != cmdutil.ExitOK {
		t.Errorf("exit code = %d, want 0\nstderr: %s", got, errOut)
	}
	if printed := out.String() + errOut.String(); printed != "ssokit version "+versionString()+"\n" {
		t.Errorf("printed %q, want the version line", printed)
	}
}
