package credentialprocess

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/login"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{name: "no flags leave the profile to AWS_PROFILE", args: nil, want: Options{}},
		{name: "--profile names the profile", args: []string{"--profile", "dev"}, want: Options{Profile: "dev"}},
		{name: "-p is short for --profile, --sign-in opts in to the browser", args: []string{"-p", "dev", "--sign-in"}, want: Options{Profile: "dev", SignIn: true}},
		{name: "arguments are refused", args: []string{"dev"}, wantErr: `unknown command "dev"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			got, err := cmdtest.ParseFlags(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Options{}, "IO", "Factory")); diff != "" {
				t.Errorf("Options (-want +got):\n%s", diff)
			}
			if got.IO != f.IOStreams || got.Factory != f {
				t.Error("Options do not carry the factory's streams and dependencies")
			}
		})
	}
}

// signedinFactory is a factory for a home signed in to a fresh emulator;
// vars are added to its environment.
func signedinFactory(t *testing.T, vars map[string]string) (*cmdutil.Factory, *signedin.Env, func() (string, string)) {
	t.Helper()
	env := signedin.New(t)
	for k, v := range vars {
		env.Vars[k] = v
	}
	f, out, errOut := cmdtest.SignedIn(env)
	return f, env, func() (string, string) { return out.String(), errOut.String() }
}

func TestRun(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		vars    map[string]string
		check   func(t *testing.T, err error)
		success bool
	}{
		{name: "a signed-in profile prints its credentials", opts: Options{Profile: signedin.Profile}, success: true},
		{name: "AWS_PROFILE picks the profile when there is no flag", vars: map[string]string{"AWS_PROFILE": signedin.Profile}, success: true},
		{
			name: "a profile nobody signed in to asks for ssokit login and opens no browser",
			opts: Options{Profile: signedin.Legacy},
			check: func(t *testing.T, err error) {
				if cmd, ok := cmdutil.SignInCommand(err); !ok || cmd != "ssokit login --profile "+signedin.Legacy {
					t.Errorf("err = %v, want sign-in required with `ssokit login --profile %s`", err, signedin.Legacy)
				}
			},
		},
		{
			name: "an unknown profile",
			opts: Options{Profile: "nope"},
			check: func(t *testing.T, err error) {
				var notFound *config.ProfileNotFoundError
				if !errors.As(err, &notFound) {
					t.Errorf("err = %v (%T), want *config.ProfileNotFoundError", err, err)
				}
			},
		},
		{
			name: "a profile with static keys is not an SSO profile",
			opts: Options{Profile: signedin.Static},
			check: func(t *testing.T, err error) {
				var notSSO *config.NotSSOProfileError
				if !errors.As(err, &notSSO) {
					t.Errorf("err = %v (%T), want *config.NotSSOProfileError", err, err)
				}
			},
		},
		{
			name: "a role the user is not assigned",
			opts: Options{Profile: signedin.NotAssigned},
			check: func(t *testing.T, err error) {
				var notAssigned *credentials.RoleNotAssignedError
				if !errors.As(err, &notAssigned) {
					t.Errorf("err = %v (%T), want *credentials.RoleNotAssignedError", err, err)
				}
			},
		},
		{
			name: "a credential_process that runs itself is stopped",
			opts: Options{Profile: signedin.Profile},
			vars: map[string]string{export.ProfileChainEnv: "outer," + signedin.Profile},
			check: func(t *testing.T, err error) {
				var chain *export.ProfileChainError
				if !errors.As(err, &chain) || !chain.Cycle {
					t.Errorf("err = %v (%T), want a profile cycle", err, err)
				}
			},
		},
		{
			name: "a chain of credential processes too deep is stopped",
			opts: Options{Profile: signedin.Profile},
			vars: map[string]string{export.ProfileChainEnv: "a,b,c,d"},
			check: func(t *testing.T, err error) {
				var chain *export.ProfileChainError
				if !errors.As(err, &chain) || chain.Cycle {
					t.Errorf("err = %v (%T), want the chain-length error", err, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, env, output := signedinFactory(t, tt.vars)
			opts := tt.opts
			opts.IO, opts.Factory = f.IOStreams, f
			err := run(context.Background(), &opts)
			stdout, stderr := output()
			if !tt.success {
				if err == nil {
					t.Fatalf("run succeeded, printing %q", stdout)
				}
				tt.check(t, err)
				if stdout != "" {
					t.Errorf("stdout = %q after a failure, want nothing", stdout)
				}
				if urls := env.Browser.URLs(); len(urls) > 0 {
					t.Errorf("opened %v; credential-process opens no browser without --sign-in", urls)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v\nstderr: %s", err, stderr)
			}
			creds := parseProcessOutput(t, stdout)
			if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
				t.Errorf("STS says the printed credentials are %s", arn)
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing on success", stderr)
			}

			// The second run is answered from the cache.
			f2, _, _ := cmdtest.SignedIn(env)
			opts.IO, opts.Factory = f2.IOStreams, f2
			if err := run(context.Background(), &opts); err != nil {
				t.Fatal(err)
			}
			if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
				t.Errorf("GetRoleCredentials calls after two runs = %d, want 1", n)
			}
		})
	}
}

// parseProcessOutput checks that out is exactly one credential_process
// document and returns its credentials.
func parseProcessOutput(t *testing.T, out string) aws.Credentials {
	t.Helper()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "}\n") {
		t.Fatalf("stdout = %q, want one line of JSON", out)
	}
	var doc struct {
		Version                                    int
		AccessKeyId, SecretAccessKey, SessionToken string
		Expiration                                 string
		AccountId                                  string
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout %q: %v", out, err)
	}
	exp, err := time.Parse("2006-01-02T15:04:05Z", doc.Expiration)
	if err != nil || doc.Version != 1 || doc.AccessKeyId == "" || doc.SecretAccessKey == "" || doc.SessionToken == "" || doc.AccountId == "" {
		t.Fatalf("stdout %q is not a complete Version 1 document", out)
	}
	return aws.Credentials{AccessKeyID: doc.AccessKeyId, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.SessionToken, CanExpire: true, Expires: exp}
}

// --sign-in lets the command sign in through the browser when needed.
func TestRunSignIn(t *testing.T) {
	f, env, output := signedinFactory(t, nil)
	env.Vars["DISPLAY"] = ":0" // a desktop, where a browser can open
	env.Browser.Follow = env.Srv.Browser(t, "demo", env.Srv.Password(t, "demo")).Follow
	opts := Options{IO: f.IOStreams, Factory: f, Profile: signedin.Legacy, SignIn: true}
	err := run(context.Background(), &opts)
	stdout, stderr := output()
	if err != nil {
		var signIn *login.SignInRequiredError
		t.Fatalf("run --sign-in: %v (sign-in required: %v)\nstderr: %s", err, errors.As(err, &signIn), stderr)
	}
	creds := parseProcessOutput(t, stdout)
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("STS says the printed credentials are %s", arn)
	}
	if len(env.Browser.URLs()) == 0 {
		t.Error("no browser was opened to sign in")
	}
}

// An assume-role profile on the SSO profile prints the assumed role's
// credentials; the second run reads them from the cache.
func TestRunChainedProfile(t *testing.T) {
	f, env, output := signedinFactory(t, nil)
	env.AddChains(t)
	opts := Options{IO: f.IOStreams, Factory: f, Profile: signedin.Chained}
	if err := run(context.Background(), &opts); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := output()
	creds := parseProcessOutput(t, stdout)
	if arn := env.CallerARN(t, creds); arn != signedin.ChainedARN() {
		t.Errorf("STS says the printed credentials are %s, want %s", arn, signedin.ChainedARN())
	}
	if stderr != "" {
		t.Errorf("stderr = %q", stderr)
	}
	f2, out2, _ := cmdtest.SignedIn(env)
	opts.IO, opts.Factory = f2.IOStreams, f2
	if err := run(context.Background(), &opts); err != nil {
		t.Fatal(err)
	}
	if again := parseProcessOutput(t, out2.String()); again.AccessKeyID != creds.AccessKeyID {
		t.Errorf("second run printed key %s, want the cached %s", again.AccessKeyID, creds.AccessKeyID)
	}
	if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 1 {
		t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 each", g, a)
	}
}
