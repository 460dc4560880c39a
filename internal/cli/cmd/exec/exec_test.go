package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{
			name: "the command after --", args: []string{"--profile", "dev", "--", "aws", "s3", "ls"},
			want: Options{Profile: "dev", Command: []string{"aws", "s3", "ls"}},
		},
		{
			name: "flags after the command are the command's", args: []string{"-p", "dev", "aws", "s3", "ls", "--recursive", "--profile", "x"},
			want: Options{Profile: "dev", Command: []string{"aws", "s3", "ls", "--recursive", "--profile", "x"}},
		},
		{
			name: "--server", args: []string{"--server", "--profile", "dev", "--", "terraform", "apply"},
			want: Options{Profile: "dev", Server: true, Command: []string{"terraform", "apply"}},
		},
		{
			name: "--region", args: []string{"-p", "dev", "--region", "eu-west-1", "--", "aws", "s3", "ls"},
			want: Options{Profile: "dev", Region: "eu-west-1", Command: []string{"aws", "s3", "ls"}},
		},
		{name: "no command is a usage error", args: []string{"--profile", "dev"}, wantErr: "no command to run"},
		{name: "only -- is a usage error", args: []string{"--profile", "dev", "--"}, wantErr: "no command to run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cmdtest.ParseFlags(nil, NewCmd, tt.args...)
			if tt.wantErr != "" {
				var fe *cmdutil.FlagError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want a usage error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Options{Profile: got.Profile, Region: got.Region, Server: got.Server, Command: got.Command}); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// childVars runs the helper child under `ssokit exec --profile profile`
// and returns the variables it saw.
func childVars(t *testing.T, env *signedin.Env, profile string, names ...string) map[string]string {
	t.Helper()
	return childVarsWith(t, env, []string{"--profile", profile}, names...)
}

// childVarsWith is childVars with exec's flags.
func childVarsWith(t *testing.T, env *signedin.Env, flags []string, names ...string) map[string]string {
	t.Helper()
	env.Vars[helperEnv] = "env"
	f, out, _ := cmdtest.SignedIn(env)
	args := append(append(flags, "--"), helperArgv(t, names...)...)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, args...)); err != nil {
		t.Fatal(err)
	}
	return keyValues(out.String())
}

// keyValues reads the child's KEY=VALUE lines.
func keyValues(out string) map[string]string {
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			got[k] = v
		}
	}
	return got
}

func TestRunGivesTheChildCredentials(t *testing.T) {
	env := signedin.New(t)
	env.Vars["AWS_PROFILE"] = "someone-else"
	env.Vars["AWS_ACCESS_KEY_ID"] = "AKIASTALE"
	env.Vars["AWS_SECURITY_TOKEN"] = "stale"
	env.Vars["KEEP_ME"] = "kept"
	got := childVars(t, env, signedin.Profile, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_SECURITY_TOKEN", "KEEP_ME")

	creds := aws.Credentials{AccessKeyID: got["AWS_ACCESS_KEY_ID"], SecretAccessKey: got["AWS_SECRET_ACCESS_KEY"], SessionToken: got["AWS_SESSION_TOKEN"]}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("the child's credentials belong to %s", arn)
	}
	for k, want := range map[string]string{"AWS_REGION": signedin.ProfileRegion, "AWS_DEFAULT_REGION": signedin.ProfileRegion, "KEEP_ME": "kept"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SECURITY_TOKEN"} {
		if v, ok := got[k]; ok {
			t.Errorf("%s = %q reached the child", k, v)
		}
	}
	if got["AWS_CREDENTIAL_EXPIRATION"] == "" {
		t.Error("no AWS_CREDENTIAL_EXPIRATION")
	}
}

// A region the user set wins over the profile's, as in the AWS CLI, and
// fills in the other region variable.
func TestRunRegionFromTheEnvironmentWins(t *testing.T) {
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Run(name, func(t *testing.T) {
			env := signedin.New(t)
			env.Vars[name] = "ap-south-1"
			got := childVars(t, env, signedin.Profile, "AWS_REGION", "AWS_DEFAULT_REGION")
			want := map[string]string{"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "ap-south-1"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the child's region (-want +got):\n%s", diff)
			}
		})
	}
}

// --region wins over the environment's region, which wins over the
// profile's, in both modes.
func TestRunRegionFlagWinsOverTheEnvironment(t *testing.T) {
	for _, mode := range [][]string{nil, {"--server"}} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			env := signedin.New(t)
			env.Vars["AWS_REGION"] = "ap-south-1"
			env.Vars["AWS_DEFAULT_REGION"] = "ap-south-2"
			got := childVarsWith(t, env, append([]string{"-p", signedin.Profile, "--region", "eu-west-1"}, mode...), "AWS_REGION", "AWS_DEFAULT_REGION")
			want := map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the child's region (-want +got):\n%s", diff)
			}
		})
	}
}

// The child is marked with the profile, for shell prompts; an exec inside
// it is refused with a message that says how to leave or force it.
func TestRunMarksTheChildAndRefusesToNest(t *testing.T) {
	env := signedin.New(t)
	got := childVars(t, env, signedin.Profile, ProfileEnv)
	if got[ProfileEnv] != signedin.Profile {
		t.Errorf("%s = %q in the child, want %q", ProfileEnv, got[ProfileEnv], signedin.Profile)
	}

	// The child's own `ssokit exec` sees the marker.
	env.Vars[ProfileEnv] = signedin.Profile
	env.Vars[helperEnv] = "exit"
	f, _, errOut := cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"-p", signedin.NotAssigned}, helperArgv(t, "0")...)...))
	want := "already inside `ssokit exec` for profile dev (SSOKIT_PROFILE=dev is set), whose credentials this environment holds: leave that command first (exit leaves a shell), or unset SSOKIT_PROFILE to run one inside the other"
	if err == nil || err.Error() != want {
		t.Fatalf("nested exec: error = %v, want %q", err, want)
	}
	if strings.Contains(errOut.String(), "exiting with") {
		t.Error("the nested command ran")
	}
}

func TestRunExitsWithTheChildsCode(t *testing.T) {
	env := signedin.New(t)
	env.Vars[helperEnv] = "exit"
	f, _, errOut := cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"-p", signedin.Profile}, helperArgv(t, "3")...)...))
	var ce *cmdutil.ExitCodeError
	if !errors.As(err, &ce) || ce.Code != 3 {
		t.Fatalf("error = %v, want exit code 3", err)
	}
	if errOut.String() != "exiting with 3\n" {
		t.Errorf("stderr = %q: the child's stderr should pass through untouched", errOut.String())
	}
}

func TestRunServerFeedsAnSDKChild(t *testing.T) {
	env := signedin.New(t)
	env.Vars[helperEnv] = "sdk"
	f, out, errOut := cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"--server", "-p", signedin.Profile}, helperArgv(t)...)...))
	if err != nil {
		t.Fatalf("%v\nstderr: %s", err, errOut)
	}
	got := keyValues(out.String())
	if !strings.HasPrefix(got["arn"], signedin.RoleARNPrefix()) {
		t.Errorf("child called STS as %q, want the profile's role", got["arn"])
	}
	if got["region"] != signedin.ProfileRegion {
		t.Errorf("child region %q, want %q", got["region"], signedin.ProfileRegion)
	}
	if !strings.Contains(got["source"], "Endpoint") {
		t.Errorf("child's credentials came from %q, want the container endpoint", got["source"])
	}
}

func TestRunServerChildSeesNoKeys(t *testing.T) {
	env := signedin.New(t)
	got := func() map[string]string {
		env.Vars[helperEnv] = "env"
		f, out, _ := cmdtest.SignedIn(env)
		args := append([]string{"--server", "--profile", signedin.Profile, "--"}, helperArgv(t,
			"AWS_ACCESS_KEY_ID", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN")...)
		if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, args...)); err != nil {
			t.Fatal(err)
		}
		return keyValues(out.String())
	}()
	if _, ok := got["AWS_ACCESS_KEY_ID"]; ok {
		t.Error("the child got static keys with --server")
	}
	if !strings.HasPrefix(got["AWS_CONTAINER_CREDENTIALS_FULL_URI"], "http://127.0.0.1:") || len(got["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) < 40 {
		t.Errorf("container variables: %v", got)
	}
}

func TestRunBadProfiles(t *testing.T) {
	env := signedin.New(t)
	for _, profile := range []string{"nope", signedin.Static, signedin.NotAssigned} {
		t.Run(profile, func(t *testing.T) {
			env.Vars[helperEnv] = "exit"
			f, _, errOut := cmdtest.SignedIn(env)
			err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"-p", profile}, helperArgv(t, "0")...)...))
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(errOut.String(), "exiting with") {
				t.Error("the child ran without credentials")
			}
		})
	}
}

// An assume-role profile: the child gets the assumed role's credentials
// and the assume-role profile's region, with keys or through --server.
func TestRunChainedProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	got := childVars(t, env, signedin.Chained, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION")
	creds := aws.Credentials{AccessKeyID: got["AWS_ACCESS_KEY_ID"], SecretAccessKey: got["AWS_SECRET_ACCESS_KEY"], SessionToken: got["AWS_SESSION_TOKEN"]}
	if arn := env.CallerARN(t, creds); arn != signedin.ChainedARN() || got["AWS_REGION"] != signedin.ChainedRegion {
		t.Errorf("the child's credentials belong to %s in %s, want %s in %s", arn, got["AWS_REGION"], signedin.ChainedARN(), signedin.ChainedRegion)
	}

	env.Vars[helperEnv] = "sdk"
	f, out, errOut := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"--server", "-p", signedin.Chained}, helperArgv(t)...)...)); err != nil {
		t.Fatalf("%v\nstderr: %s", err, errOut)
	}
	if arn := keyValues(out.String())["arn"]; arn != signedin.ChainedARN() {
		t.Errorf("the SDK child behind --server called STS as %q, want %s", arn, signedin.ChainedARN())
	}
	if a := env.Srv.Count("AssumeRole"); a != 1 {
		t.Errorf("AssumeRole calls = %d, want 1 for both runs", a)
	}
}
