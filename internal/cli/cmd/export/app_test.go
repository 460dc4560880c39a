package export_test

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/emulator/storage/memory"
	"github.com/ssokit/ssokit/internal/cli/app"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// TestExitCodes runs the credential hand-over commands through the whole
// application, as a user would, and checks what the user sees for bad input.
func TestExitCodes(t *testing.T) {
	env := signedin.New(t)
	down := httptest.NewServer(nil)
	downURL := down.URL
	down.Close()

	tests := []struct {
		name     string
		args     []string
		vars     map[string]string
		unixOnly bool
		want     int
		wantErr  string
	}{
		{name: "export works", args: []string{"export", "-p", signedin.Profile}, want: 0},
		{name: "an unknown profile is a usage error", args: []string{"export", "-p", "nope"}, want: 2, wantErr: `"nope"`},
		{name: "a profile that is not SSO is a usage error", args: []string{"export", "-p", signedin.Static}, want: 2, wantErr: "not an SSO profile"},
		{name: "an unknown format is a usage error", args: []string{"export", "-p", signedin.Profile, "--output", "yaml"}, want: 2, wantErr: "use one of process, env"},
		{name: "a role the user is not assigned", args: []string{"export", "-p", signedin.NotAssigned}, want: 1, wantErr: "SecurityAudit"},
		{name: "a profile nobody signed in to needs a sign-in", args: []string{"export", "-p", signedin.Legacy}, want: 3, wantErr: "ssokit login"},
		{name: "a portal that is down", args: []string{"sync", "-p", signedin.NotAssigned}, vars: map[string]string{"AWS_ENDPOINT_URL_SSO": downURL}, want: 1, wantErr: downURL},
		{name: "exec without a command is a usage error", args: []string{"exec", "-p", signedin.Profile}, want: 2, wantErr: "no command to run"},
		{name: "exec exits with the command's code", args: []string{"exec", "-p", signedin.Profile, "--", "sh", "-c", "exit 5"}, unixOnly: true, want: 5},
		{name: "serve refuses a public address", args: []string{"serve", "-p", signedin.Profile, "--addr", "0.0.0.0:0"}, want: 2, wantErr: "loopback"},
		{name: "console with a bad destination is a usage error", args: []string{"console", "--destination", "s3"}, want: 2, wantErr: "--destination"},
		{name: "sync --as with two profiles is a usage error", args: []string{"sync", "-p", "a", "-p", "b", "--as", "c"}, want: 2, wantErr: "--as"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.unixOnly && runtime.GOOS == "windows" {
				t.Skip("needs sh")
			}
			for k, v := range tt.vars {
				old, had := env.Vars[k]
				env.Vars[k] = v
				t.Cleanup(func() {
					if had {
						env.Vars[k] = old
					} else {
						delete(env.Vars, k)
					}
				})
			}
			if tt.unixOnly {
				env.Vars["PATH"] = "/usr/bin:/bin"
			}
			f, out, errOut := cmdtest.SignedIn(env)
			got := app.Run(context.Background(), f, tt.args)
			if got != tt.want {
				t.Errorf("exit code %d, want %d\nstderr: %s", got, tt.want, errOut)
			}
			if tt.wantErr != "" && !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q does not mention %q", errOut.String(), tt.wantErr)
			}
			if tt.want != 0 && tt.args[0] != "exec" && out.Len() != 0 {
				t.Errorf("stdout = %q after a failure", out.String())
			}
			for _, secret := range []string{"SecretAccessKey", "aws_secret_access_key", "staticsecret"} {
				if strings.Contains(errOut.String(), secret) {
					t.Errorf("stderr carries a secret: %s", errOut)
				}
			}
		})
	}
}

// TestChainExitCodes: assume-role profiles that cannot work, through the
// whole application: a clear message, the exit code, nothing on stdout and
// nothing cached for the step that failed.
func TestChainExitCodes(t *testing.T) {
	env := signedin.New(t, signedin.ChainRoles)
	env.AddChains(t)
	env.AppendConfig(t, `
[profile partner]
role_arn = `+signedin.PartnerRole+`
source_profile = dev
external_id = wrong-id

[profile guarded]
role_arn = `+signedin.GuardedRole+`
source_profile = dev
mfa_serial = `+signedin.MFASerial+`

[profile loop-a]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = loop-a

[profile on-static]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = static
`)
	tests := []struct {
		name    string
		profile string
		want    int
		wantErr []string
	}{
		{"a role that does not trust the source", signedin.Untrusted, 1, []string{"AccessDenied", "not authorized to perform: sts:AssumeRole on resource: " + directory.DemoUntrustedRole, "trust policy"}},
		{"a wrong external ID", "partner", 1, []string{`profile "partner": STS refused to assume role arn:aws:iam::210987654321:role/Partner: AccessDenied`}},
		{"a missing MFA code", "guarded", 1, []string{`profile "guarded" needs a code from MFA device arn:aws:iam::123456789011:mfa/alice`, "In a terminal, run `ssokit export --profile guarded` once"}},
		{"a loop", "loop-a", 1, []string{`the source_profile chain of profile "loop-a" comes back to it and never reaches credentials`, "config:"}},
		{"a chain ending in static keys", "on-static", 2, []string{`which is a static-keys profile, not an SSO profile`, "ssokit starts role chains from SSO credentials only"}},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"credential-process", "export"} {
			t.Run(tt.name+" ("+cmd+")", func(t *testing.T) {
				f, out, errOut := cmdtest.SignedIn(env)
				if got := app.Run(context.Background(), f, []string{cmd, "--profile", tt.profile}); got != tt.want {
					t.Errorf("exit code %d, want %d\nstderr: %s", got, tt.want, errOut)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(errOut.String(), w) {
						t.Errorf("stderr %q does not mention %q", errOut.String(), w)
					}
				}
				if out.Len() != 0 {
					t.Errorf("stdout = %q after a failure", out.String())
				}
			})
		}
	}
	// Only the SSO step was ever cached.
	entries, _ := os.ReadDir(credentials.DefaultCacheDir(env.Home))
	for _, e := range entries {
		if name := e.Name(); !strings.HasSuffix(name, ".lock") && name != credentials.CacheFileName(resolveSSO(t, env)) {
			t.Errorf("the cache holds %s after failures", name)
		}
	}
}

func resolveSSO(t *testing.T, env *signedin.Env) config.SSO {
	t.Helper()
	cfg, err := config.Load(config.Paths{Config: env.ConfigPath, Credentials: env.CredentialsPath})
	if err != nil {
		t.Fatal(err)
	}
	sso, err := cfg.ResolveSSO(signedin.Profile, func(k string) string { return env.Vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return sso
}

// TestThrottledPortal: a portal that answers every call with 429 gives a
// clear message and a non-zero exit, once the SDK's retries are spent. The
// sign-in happens on a healthy emulator; a second one sharing its store
// throttles.
func TestThrottledPortal(t *testing.T) {
	store := memory.New()
	env := signedin.New(t, func(o *emulator.Options) { o.Store = store })
	throttled := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.Store = store
		o.Faults.RateLimit = 0.001
		o.Faults.RateBurst = 1
	})
	for _, kv := range throttled.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env.Vars[k] = v
	}
	f, _, errOut := cmdtest.SignedIn(env)
	// The first call spends the burst, so the second is throttled.
	if got := app.Run(context.Background(), f, []string{"export", "-p", signedin.Profile}); got != 0 {
		t.Fatalf("first export: exit code %d\nstderr: %s", got, errOut)
	}
	f, _, errOut = cmdtest.SignedIn(env)
	if got := app.Run(context.Background(), f, []string{"export", "-p", signedin.NotAssigned}); got != 1 {
		t.Errorf("exit code %d, want 1\nstderr: %s", got, errOut)
	}
	if msg := strings.ToLower(errOut.String()); !strings.Contains(msg, "too many requests") && !strings.Contains(msg, "throttl") && !strings.Contains(msg, "rate") {
		t.Errorf("stderr %q does not say the service is throttling", errOut)
	}
	if throttled.Count("GetRoleCredentials") < 2 {
		t.Errorf("the throttled emulator saw %d calls", throttled.Count("GetRoleCredentials"))
	}
}

// TestOldFormatFlagKeepsStdoutClean: scripts that still say --format or -f
// get the same stdout as with -o, and the note about the new name, naming
// the form typed, goes to stderr, so `eval "$(ssokit export --format env)"`
// runs no stray words.
func TestOldFormatFlagKeepsStdoutClean(t *testing.T) {
	env := signedin.New(t)
	runOut := func(args ...string) (string, string) {
		t.Helper()
		f, out, errOut := cmdtest.SignedIn(env)
		if code := app.Run(context.Background(), f, append([]string{"export", "-p", signedin.Profile}, args...)); code != 0 {
			t.Fatalf("%v: exit code %d\nstderr: %s", args, code, errOut)
		}
		return out.String(), errOut.String()
	}
	want, _ := runOut("-o", "env", "--region", "eu-west-1")
	if !strings.HasSuffix(want, "export AWS_REGION=eu-west-1\nexport AWS_DEFAULT_REGION=eu-west-1\n") {
		t.Errorf("-o env --region eu-west-1 printed %q, want the region lines last", want)
	}
	for _, old := range []struct {
		args []string
		note string
	}{
		{[]string{"--format", "env"}, "note: --format is now -o/--output; --format keeps working\n"},
		{[]string{"-f", "env"}, "note: -f is now -o/--output; -f keeps working\n"},
		{[]string{"--format=env"}, "note: --format is now -o/--output; --format keeps working\n"},
	} {
		got, stderr := runOut(append(old.args, "--region", "eu-west-1")...)
		if got != want {
			t.Errorf("%v: stdout %q, want what -o env prints, %q", old.args, got, want)
		}
		if !strings.Contains(stderr, old.note) {
			t.Errorf("%v: stderr %q has not the note %q", old.args, stderr, old.note)
		}
	}
}
