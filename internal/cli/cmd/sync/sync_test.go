package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{name: "no flags: the environment's profile", args: nil, want: Options{}},
		{name: "several profiles", args: []string{"--profile", "dev", "-p", "prod"}, want: Options{Profiles: []string{"dev", "prod"}}},
		{name: "one profile under another name", args: []string{"-p", "dev", "--as", "legacy-tool", "--force"}, want: Options{Profiles: []string{"dev"}, As: "legacy-tool", Force: true}},
		{name: "--as with several profiles", args: []string{"-p", "dev", "-p", "prod", "--as", "x"}, wantErr: "--as names one section"},
		{name: "--as with a bracket", args: []string{"-p", "dev", "--as", "x]"}, wantErr: "--as: section name"},
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
			if diff := cmp.Diff(tt.want, Options{Profiles: got.Profiles, As: got.As, Force: got.Force}); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// section reads the keys sync writes back from the credentials file.
func section(t *testing.T, path, name string) aws.Credentials {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := config.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	s := f.Section(name)
	if s == nil {
		t.Fatalf("no [%s] in %s:\n%s", name, path, data)
	}
	var c aws.Credentials
	c.AccessKeyID, _ = s.Get(config.KeyAccessKeyID)
	c.SecretAccessKey, _ = s.Get(config.KeySecretAccessKey)
	c.SessionToken, _ = s.Get(config.KeySessionToken)
	return c
}

func TestRunWritesWorkingCredentials(t *testing.T) {
	env := signedin.New(t)
	const handWritten = "# my keys\n[static]\naws_access_key_id = AKIASTATICEXAMPLE\naws_secret_access_key = staticsecret\n\n; tail comment\n"
	if err := os.WriteFile(env.CredentialsPath, []byte(handWritten), 0o600); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "--profile", signedin.Profile, "--as", "legacy-tool")); err != nil {
		t.Fatal(err)
	}
	creds := section(t, env.CredentialsPath, "legacy-tool")
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("written credentials belong to %s", arn)
	}
	got, _ := os.ReadFile(env.CredentialsPath)
	want := handWritten + fmt.Sprintf("\n[legacy-tool]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n",
		creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("credentials file (-want +got):\n%s", diff)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
	if msg := errOut.String(); !strings.Contains(msg, "[legacy-tool]") || !strings.Contains(msg, "valid until") || !strings.Contains(msg, "to renew them, run: ssokit sync --profile "+signedin.Profile+" --as legacy-tool.\n") || strings.Contains(msg, creds.SecretAccessKey) {
		t.Errorf("stderr = %q", msg)
	}
}

func TestRunRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "long-term keys without --force", args: []string{"-p", signedin.Profile, "--as", signedin.Static}, want: "long-term access keys"},
		{name: "a typo in the last profile writes nothing", args: []string{"-p", signedin.Profile, "-p", "nope"}, want: "nope"},
		{name: "a profile that is not SSO", args: []string{"-p", signedin.Static}, want: signedin.Static},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := signedin.New(t)
			before, _ := os.ReadFile(env.CredentialsPath)
			f, _, _ := cmdtest.SignedIn(env)
			err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, tt.args...))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tt.want)
			}
			after, _ := os.ReadFile(env.CredentialsPath)
			if diff := cmp.Diff(string(before), string(after)); diff != "" {
				t.Errorf("file changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestRunForceReplacesLongTermKeys(t *testing.T) {
	env := signedin.New(t)
	f, _, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile, "--as", signedin.Static, "--force")); err != nil {
		t.Fatal(err)
	}
	if c := section(t, env.CredentialsPath, signedin.Static); !strings.HasPrefix(env.CallerARN(t, c), signedin.RoleARNPrefix()) {
		t.Error("the section does not hold the role's credentials")
	}
}

func TestRunSeveralProfilesOneFetchEach(t *testing.T) {
	env := signedin.New(t)
	f, _, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	// Again: the AWS CLI cache still holds the credentials.
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials called %d times, want 1", n)
	}
	section(t, env.CredentialsPath, signedin.Profile)
}

// TestSyncedCredentialsWorkInTheAWSCLI: a tool that reads only the
// credentials file — here the real AWS CLI — signs its calls with what sync
// wrote.
func TestSyncedCredentialsWorkInTheAWSCLI(t *testing.T) {
	env := signedin.New(t)
	cli := awscli.New(t, env.Srv.URL)
	f, _, _ := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "-p", signedin.Profile)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(env.CredentialsPath)
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteCredentials(string(data))
	cli.Env = []string{"AWS_REGION=" + signedin.ProfileRegion}
	out, _, err := cli.Run("sts", "get-caller-identity", "--profile", signedin.Profile, "--output", "json")
	if err != nil {
		t.Fatal(err)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.HasPrefix(id.Arn, signedin.RoleARNPrefix()) {
		t.Errorf("the CLI called STS as %q", id.Arn)
	}
}

func TestRoughly(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1h", 59*time.Minute + 40*time.Second: "1h", 59 * time.Minute: "59m", 125 * time.Minute: "2h 5m", 20 * time.Second: "0m",
	} {
		if got := roughly(d); got != want {
			t.Errorf("roughly(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestConcurrentSyncsLoseNothing: syncs running at once (cron jobs, two
// terminals) each take the file's lock, so every section they write stays.
func TestConcurrentSyncsLoseNothing(t *testing.T) {
	env := signedin.New(t)
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			f, _, _ := cmdtest.SignedIn(env)
			got, err := cmdtest.ParseFlags(f, NewCmd, "-p", signedin.Profile, "--as", fmt.Sprintf("job-%d", i))
			if err != nil {
				errs <- err
				return
			}
			errs <- run(context.Background(), got)
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if c := section(t, env.CredentialsPath, fmt.Sprintf("job-%d", i)); c.AccessKeyID == "" {
			t.Errorf("[job-%d] has no key", i)
		}
	}
	if c := section(t, env.CredentialsPath, signedin.Static); c.AccessKeyID != "AKIASTATICEXAMPLE" {
		t.Errorf("[static] was changed: %+v", c)
	}
}

// An assume-role profile's section gets the assumed role's keys.
func TestRunChainedProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	f, _, errOut := cmdtest.SignedIn(env)
	if err := run(context.Background(), cmdtest.MustParseFlags(t, f, NewCmd, "--profile", signedin.Chained)); err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, section(t, env.CredentialsPath, signedin.Chained)); arn != signedin.ChainedARN() {
		t.Errorf("written credentials belong to %s, want %s", arn, signedin.ChainedARN())
	}
	if msg := errOut.String(); !strings.Contains(msg, "profile "+signedin.Chained+" to ["+signedin.Chained+"]") {
		t.Errorf("stderr = %q", msg)
	}
}
