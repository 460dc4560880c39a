package export

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/export"
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
		{name: "no flags: the environment's profile, process format", args: nil, want: Options{Format: export.FormatProcess}},
		{name: "profile and output", args: []string{"--profile", "dev", "--output", "env"}, want: Options{Profile: "dev", Format: export.FormatEnv}},
		{name: "short flags", args: []string{"-p", "dev", "-o", "powershell"}, want: Options{Profile: "dev", Format: export.FormatPowerShell}},
		{name: "ssokit's own formats", args: []string{"--output", "ini"}, want: Options{Format: export.FormatINI}},
		{name: "the old --format still works", args: []string{"--format", "env"}, want: Options{Format: export.FormatEnv}},
		{name: "the old -f still works", args: []string{"-f", "fish"}, want: Options{Format: export.FormatFish}},
		{name: "the old and new names agreeing", args: []string{"-f", "fish", "-o", "fish"}, want: Options{Format: export.FormatFish}},
		{
			name: "the old and new names disagreeing", args: []string{"-f", "fish", "-o", "env"},
			wantErr: `-f is the old name of --output: give one of them, not --output "env" and -f "fish"`,
		},
		{name: "a region with a shell format", args: []string{"-o", "env", "--region", "eu-west-1"}, want: Options{Format: export.FormatEnv, Region: "eu-west-1"}},
		{
			name: "a region with a format that holds no variables", args: []string{"--region", "eu-west-1"},
			wantErr: "--region sets AWS_REGION and AWS_DEFAULT_REGION, which only the shell formats hold (env, env-no-export, fish, powershell, windows-cmd), not --output process",
		},
		{
			name: "an unknown format lists the valid ones", args: []string{"--output", "yaml"},
			wantErr: `--output "yaml": use one of process, env, env-no-export, fish, powershell, windows-cmd, json, ini`,
		},
		{name: "arguments are refused", args: []string{"dev"}, wantErr: `unknown command "dev" for "export"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cmdtest.ParseFlags(nil, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if strings.HasPrefix(tt.wantErr, "--") {
					var fe *cmdutil.FlagError
					if !errors.As(err, &fe) {
						t.Errorf("error %T is not a usage error", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Options{Profile: got.Profile, Format: got.Format, Region: got.Region}); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunPrintsWorkingCredentials(t *testing.T) {
	env := signedin.New(t)
	for _, format := range export.Formats() {
		t.Run(string(format), func(t *testing.T) {
			f, out, errOut := cmdtest.SignedIn(env)
			opts := cmdtest.MustParseFlags(t, f, NewCmd, "--profile", signedin.Profile, "--output", string(format))
			if err := run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			creds := parse(t, format, out.String())
			if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
				t.Errorf("credentials belong to %s", arn)
			}
			if errOut.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", errOut.String())
			}
		})
	}
	// The first format fetched the credentials; the others reused the
	// AWS CLI cache file.
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials called %d times, want 1", n)
	}
}

// An assume-role profile exports the assumed role's credentials.
func TestRunChainedProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	f, out, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "--profile", signedin.Chained, "--output", "env")); err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, parse(t, export.FormatEnv, out.String())); arn != signedin.ChainedARN() {
		t.Errorf("credentials belong to %s, want %s", arn, signedin.ChainedARN())
	}
}

// parse reads credentials back from any format's output.
func parse(t *testing.T, format export.Format, out string) aws.Credentials {
	t.Helper()
	var c aws.Credentials
	switch format {
	case export.FormatProcess, export.FormatJSON:
		var doc struct {
			Version                                   int
			AccessKeyID                               string `json:"AccessKeyId"`
			SecretAccessKey, SessionToken, Expiration string
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Version != 1 {
			t.Fatalf("not credential_process JSON: %v\n%s", err, out)
		}
		return aws.Credentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.SessionToken}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		line = strings.NewReplacer("export ", "", "set -gx ", "", "$Env:", "", "set ", "", `"`, "", " = ", "=", " ", "=").Replace(line)
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("line %q of %s output has no value", line, format)
		}
		switch strings.ToUpper(k) {
		case "AWS_ACCESS_KEY_ID":
			c.AccessKeyID = v
		case "AWS_SECRET_ACCESS_KEY":
			c.SecretAccessKey = v
		case "AWS_SESSION_TOKEN":
			c.SessionToken = v
		case "AWS_CREDENTIAL_EXPIRATION":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				t.Errorf("expiration %q: %v", v, err)
			}
		}
	}
	return c
}

func TestRunRefusesALoop(t *testing.T) {
	env := signedin.New(t)
	env.Vars[export.ProfileChainEnv] = "outer," + signedin.Profile
	f, out, _ := cmdtest.SignedIn(env)
	err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "--profile", signedin.Profile))
	want := "Credential process resolution detected an infinite loop, profile cycle: outer -> dev -> dev"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if out.Len() != 0 || env.Srv.Count("GetRoleCredentials") != 0 {
		t.Errorf("the guard let the export go ahead: stdout %q", out.String())
	}
}

func TestRunBadProfiles(t *testing.T) {
	env := signedin.New(t)
	tests := []struct {
		name    string
		profile string
		want    string
		signIn  bool
	}{
		{name: "an unknown profile", profile: "nope", want: "nope"},
		{name: "a profile that is not SSO", profile: signedin.Static, want: signedin.Static},
		{name: "a role the user is not assigned", profile: signedin.NotAssigned, want: "SecurityAudit"},
		{name: "a legacy profile nobody signed in to", profile: signedin.Legacy, want: "sign-in", signIn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, out, _ := cmdtest.SignedIn(env)
			err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "--profile", tt.profile))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if cmd, isSignIn := cmdutil.SignInCommand(err); isSignIn != tt.signIn {
				t.Errorf("error %q: sign-in required = %v, want %v", err, isSignIn, tt.signIn)
			} else if isSignIn && cmd != "ssokit login --profile "+tt.profile {
				t.Errorf("sign-in command %q", cmd)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
		})
	}
}
