package credentials_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
)

// processEnv is the whole environment a credential_process child gets in
// these tests: env's home and endpoints, PATH, and nothing else of the
// machine's (no AWS_PROFILE, AWS_CA_BUNDLE or real keys).
func processEnv(env *signedin.Env, extra ...string) []string {
	vars := []string{"PATH=" + os.Getenv("PATH"), "USERPROFILE=" + env.Home}
	vars = append(vars, env.Environ()...)
	return append(vars, extra...)
}

// isolateAWSEnv clears every AWS_ variable of the test process and sets
// vars, for code (the Go SDK) that reads the process environment and hands
// it to the credential_process it runs. t.Setenv restores them afterwards.
func isolateAWSEnv(t *testing.T, vars []string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// The Go SDK's own config loader, given a profile whose credential_process
// is ssokit, gets credentials STS accepts: for an SSO profile, and for an
// assume-role profile, whose credentials ssokit's provider then reads from
// the cache the process left (one AssumeRole).
func TestGoSDKRunsSsokitAsCredentialProcess(t *testing.T) {
	bin := ssokitbin.Path(t)
	for _, tt := range []struct {
		profile, wantARN string
		assumeRoles      int
	}{
		{signedin.Profile, signedin.RoleARNPrefix(), 0},
		{signedin.Chained, signedin.ChainedARN(), 1},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			env := signedin.New(t)
			env.AddChains(t)
			env.AppendConfig(t, "\n[profile via-process]\nregion = eu-west-1\ncredential_process = \""+bin+"\" credential-process --profile "+tt.profile+"\n")
			isolateAWSEnv(t, processEnv(env, "AWS_CONFIG_FILE="+env.ConfigPath, "AWS_SHARED_CREDENTIALS_FILE="+env.CredentialsPath))

			ctx := context.Background()
			cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithSharedConfigProfile("via-process"))
			if err != nil {
				t.Fatal(err)
			}
			out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatalf("GetCallerIdentity through credential_process: %v", err)
			}
			if arn := aws.ToString(out.Arn); !strings.HasPrefix(arn, tt.wantARN) {
				t.Errorf("caller = %s, want %s", arn, tt.wantARN)
			}
			creds, err := cfg.Credentials.Retrieve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !creds.CanExpire || time.Until(creds.Expires) < 30*time.Minute {
				t.Errorf("the SDK sees credentials expiring at %v (CanExpire %v), want the role's hour", creds.Expires, creds.CanExpire)
			}
			p, _ := newChainProvider(t, env, tt.profile)
			if ours, err := p.Retrieve(ctx); err != nil || ours.AccessKeyID != creds.AccessKeyID {
				t.Errorf("ssokit's provider returned %s (%v), the SDK got %s through the process", ours.AccessKeyID, err, creds.AccessKeyID)
			}
			if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != tt.assumeRoles {
				t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 and %d", g, a, tt.assumeRoles)
			}
		})
	}
}

// cliFor returns the AWS CLI set up on env's emulator, sharing env's home
// folder: same config file, same token and role-credential caches.
func cliFor(t *testing.T, env *signedin.Env) *awscli.CLI {
	t.Helper()
	cli := awscli.New(t, env.Srv.URL)
	cli.Home = env.Home
	cli.ConfigFile, cli.CredentialsFile = env.ConfigPath, env.CredentialsPath
	return cli
}

func exportWithCLI(t *testing.T, cli *awscli.CLI, profile string) string {
	t.Helper()
	stdout, stderr, err := cli.Run("configure", "export-credentials", "--profile", profile, "--format", "process")
	if err != nil {
		t.Fatalf("aws configure export-credentials: %v\n%s", err, stderr)
	}
	var doc struct{ AccessKeyId string }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || doc.AccessKeyId == "" {
		t.Fatalf("aws printed %q", stdout)
	}
	return doc.AccessKeyId
}

func TestAWSCLISharesTheRoleCredentialCache(t *testing.T) {
	profiles := []struct {
		name    string
		profile string
		key     string // token cache key
	}{
		{name: "sso-session profile", profile: signedin.Profile, key: signedin.Session},
		{name: "legacy profile", profile: signedin.Legacy},
	}
	for _, p := range profiles {
		t.Run(p.name+": the CLI uses what ssokit cached", func(t *testing.T) {
			env := signedin.New(t)
			key := p.key
			if key == "" {
				key = env.Srv.StartURL
				env.SignIn(t, key)
			}
			cli := cliFor(t, env)
			prov, _ := newProvider(t, env, p.profile)
			creds, err := prov.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			signIns := env.Srv.Count("CreateToken")
			if got := exportWithCLI(t, cli, p.profile); got != creds.AccessKeyID {
				t.Errorf("the CLI exported key %s, ssokit cached %s", got, creds.AccessKeyID)
			}
			if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
				t.Errorf("GetRoleCredentials calls = %d, want 1: the CLI did not reuse ssokit's entry", n)
			}
			// Nor did it sign in or refresh: it used the token ssokit cached.
			if n := env.Srv.Count("CreateToken"); n != signIns {
				t.Errorf("CreateToken calls = %d, want %d, only the sign-ins'", n, signIns)
			}
		})
		t.Run(p.name+": ssokit uses what the CLI cached", func(t *testing.T) {
			env := signedin.New(t)
			key := p.key
			if key == "" {
				key = env.Srv.StartURL
				env.SignIn(t, key)
			}
			cli := cliFor(t, env)
			fromCLI := exportWithCLI(t, cli, p.profile)
			entries, _ := os.ReadDir(credentials.DefaultCacheDir(env.Home))
			if len(entries) != 1 {
				t.Fatalf("the CLI left %d entries in its cache, want 1", len(entries))
			}
			prov, _ := newProvider(t, env, p.profile)
			creds, err := prov.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if creds.AccessKeyID != fromCLI {
				t.Errorf("ssokit returned key %s, the CLI cached %s", creds.AccessKeyID, fromCLI)
			}
			if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
				t.Errorf("GetRoleCredentials calls = %d, want 1: ssokit did not reuse the CLI's entry", n)
			}
			// Purging is `aws sso logout`'s sweep: the CLI's entry goes.
			removed, err := credentials.PurgeSSOCache(credentials.DefaultCacheDir(env.Home))
			if err != nil || removed != 1 {
				t.Errorf("PurgeSSOCache = %d, %v; want the one entry removed", removed, err)
			}
		})
	}
}

// The AWS CLI (botocore) reads ssokit's credential_process output and
// signs with it: `aws sts get-caller-identity` through a profile whose
// credential_process is ssokit.
func TestAWSCLIRunsSsokitAsCredentialProcess(t *testing.T) {
	bin := ssokitbin.Path(t)
	env := signedin.New(t)
	cli := cliFor(t, env)
	// ssokit runs under the CLI and gets its environment: point it at the
	// emulator too (the CLI itself ignores these variables).
	cli.Env = append(cli.Env, env.Srv.Env()...)
	env.AppendConfig(t, "\n[profile via-process]\nregion = eu-west-1\ncredential_process = "+bin+" credential-process --profile "+signedin.Profile+"\n")

	stdout, stderr, err := cli.Run("sts", "get-caller-identity", "--profile", "via-process", "--output", "json")
	if err != nil {
		t.Fatalf("aws sts get-caller-identity: %v\n%s", err, stderr)
	}
	var out struct{ Arn string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("aws printed %q: %v", stdout, err)
	}
	if !strings.HasPrefix(out.Arn, signedin.RoleARNPrefix()) {
		t.Errorf("caller = %s, want the demo role (%s...)", out.Arn, signedin.RoleARNPrefix())
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials calls = %d, want 1", n)
	}
}

// runSsokit runs the built binary's credential-process for profile.
func runSsokit(ctx context.Context, bin string, envVars []string, profile string) (stdout, stderr string, code int) {
	cmd := exec.CommandContext(ctx, bin, "credential-process", "--profile", profile)
	cmd.Env = envVars
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code = 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		code = -1
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), code
}

// A hundred programs starting at once with an empty role-credential cache:
// one of them asks the portal (and, for an assume-role profile, STS), the
// others wait on the locks and read its answers.
func TestHundredConcurrentProcessesShareOneCall(t *testing.T) {
	bin := ssokitbin.Path(t)
	for _, tt := range []struct {
		profile, wantARN string
		assumeRoles      int
	}{
		{signedin.Profile, signedin.RoleARNPrefix(), 0},
		{signedin.Chained, signedin.ChainedARN(), 1},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			env := signedin.New(t)
			env.AddChains(t)
			first := runConcurrently(t, bin, processEnv(env), tt.profile, 100)
			if got := env.Srv.Count("GetRoleCredentials"); got != 1 {
				t.Errorf("GetRoleCredentials calls = %d for 100 processes, want exactly 1", got)
			}
			if got := env.Srv.Count("AssumeRole"); got != tt.assumeRoles {
				t.Errorf("AssumeRole calls = %d for 100 processes, want exactly %d", got, tt.assumeRoles)
			}
			if arn := env.CallerARN(t, first); !strings.HasPrefix(arn, tt.wantARN) {
				t.Errorf("STS says the shared credentials are %s, want %s", arn, tt.wantARN)
			}
		})
	}
}

// runConcurrently starts n credential-process runs for profile at once,
// checks that each printed the same valid document and nothing on stderr,
// and returns the credentials.
func runConcurrently(t *testing.T, bin string, vars []string, profile string, n int) aws.Credentials {
	t.Helper()
	return runConcurrentlyAllowing(t, bin, vars, profile, n, nil)
}

// runConcurrentlyAllowing is runConcurrently where stderr may hold what
// allowed accepts.
func runConcurrentlyAllowing(t *testing.T, bin string, vars []string, profile string, n int, allowed func(stderr string) bool) aws.Credentials {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		stdout, stderr string
		code           int
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var r result
			r.stdout, r.stderr, r.code = runSsokit(ctx, bin, vars, profile)
			results[i] = r
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	t.Logf("%d processes done in %s", n, time.Since(began).Round(time.Millisecond))

	var first aws.Credentials
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("process %d exited %d: %s", i, r.code, r.stderr)
		}
		if r.stderr != "" && (allowed == nil || !allowed(r.stderr)) {
			t.Errorf("process %d wrote to stderr: %s", i, r.stderr)
		}
		var doc struct {
			Version                                    int
			AccessKeyId, SecretAccessKey, SessionToken string
			Expiration                                 time.Time
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Version != 1 {
			t.Fatalf("process %d printed %q: %v", i, r.stdout, err)
		}
		c := aws.Credentials{AccessKeyID: doc.AccessKeyId, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.SessionToken, CanExpire: true, Expires: doc.Expiration}
		if i == 0 {
			first = c
		} else if c != first {
			t.Errorf("process %d printed key %s, process 0 printed %s", i, c.AccessKeyID, first.AccessKeyID)
		}
	}
	return first
}

// What a program running `ssokit credential-process` sees when it cannot
// give credentials: nothing on stdout, a non-zero exit, and a message on
// stderr that says what to do and holds no secret.
func TestCredentialProcessFailures(t *testing.T) {
	bin := ssokitbin.Path(t)
	tests := []struct {
		name     string
		faults   emulator.Faults
		profile  string
		vars     func(env *signedin.Env) []string
		config   string // added to the config file, with AddChains' profiles
		wantCode int
		wantErr  []string
	}{
		{name: "unknown profile is a usage error", profile: "nope", wantCode: 2, wantErr: []string{`"nope"`}},
		{name: "a profile that is not SSO is a usage error", profile: signedin.Static, wantCode: 2, wantErr: []string{`"static"`}},
		{name: "a role the user is not assigned", profile: signedin.NotAssigned, wantCode: 1, wantErr: []string{"SecurityAudit", "777788889999"}},
		{name: "no SSO token: exit 3 and the login command", profile: signedin.Legacy, wantCode: 3, wantErr: []string{"ssokit login --profile legacy"}},
		{
			name: "the portal is down", profile: signedin.Profile, wantCode: 1, wantErr: []string{"cannot reach the SSO portal", "try again"},
			vars: func(*signedin.Env) []string { return []string{"AWS_ENDPOINT_URL_SSO=" + closedPortURL(t)} },
		},
		{
			name: "the portal throttles", profile: signedin.Profile, wantCode: 1, wantErr: []string{"throttling", "try again"},
			faults: emulator.Faults{RateLimit: 0.001, RateBurst: 3},
		},
		{
			name: "a credential_process loop", profile: signedin.Profile, wantCode: 1, wantErr: []string{"infinite loop", "dev -> dev"},
			vars: func(*signedin.Env) []string { return []string{"_AWS_CLI_PROFILE_CHAIN=dev"} },
		},
		{name: "a role that does not trust the SSO role", profile: signedin.Untrusted, wantCode: 1,
			wantErr: []string{`profile "prod-notrust": STS refused to assume role arn:aws:iam::210987654321:role/NoTrust: AccessDenied`, "trust policy"}},
		{name: "an MFA code and no terminal", profile: "mfa", wantCode: 1, wantErr: []string{"needs a code from MFA device", "In a terminal"},
			config: "[profile mfa]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = dev\nmfa_serial = arn:aws:iam::123456789011:mfa/alice\n"},
		{name: "a source_profile loop", profile: "loop-a", wantCode: 1, wantErr: []string{`the source_profile chain of profile "loop-a" comes back to it`},
			config: "[profile loop-a]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = loop-b\n[profile loop-b]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = loop-a\n"},
		{name: "a chain ending in static keys is a usage error", profile: "on-static", wantCode: 2, wantErr: []string{"which is a static-keys profile, not an SSO profile"},
			config: "[profile on-static]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = static\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			faults := tt.faults
			env := signedin.New(t, func(o *emulator.Options) { o.Faults = faults })
			env.AddChains(t)
			env.AppendConfig(t, "\n"+tt.config)
			var extra []string
			if tt.vars != nil {
				extra = tt.vars(env)
			}
			stdout, stderr, code := runSsokit(context.Background(), bin, processEnv(env, extra...), tt.profile)
			t.Logf("stderr: %s", stderr)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not mention %q", s)
				}
			}
			assertNoSecrets(t, env, stderr)
			// At most the SSO role's entry: nothing for a step that failed.
			if entries, _ := filepath.Glob(filepath.Join(credentials.DefaultCacheDir(env.Home), "*.json")); len(entries) > 1 {
				t.Errorf("cache folder holds %d entries after a failure", len(entries))
			}
		})
	}
}

// Secrets of a cache hit never leak into stderr either: the happy path is
// silent.
func TestCredentialProcessIsSilentOnSuccess(t *testing.T) {
	bin := ssokitbin.Path(t)
	env := signedin.New(t)
	for i := range 2 {
		stdout, stderr, code := runSsokit(context.Background(), bin, processEnv(env), signedin.Profile)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, `{"Version":1,`) {
			t.Fatalf("run %d: exit %d, stdout %q, stderr %q", i, code, stdout, stderr)
		}
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials calls = %d for two runs, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(credentials.DefaultCacheDir(env.Home))); err != nil {
		t.Error(err)
	}
}

// The Go SDK's own chain (its SSO provider on the token ssokit keeps, then
// stscreds) and ssokit's provider agree on who the chained profile is.
func TestGoSDKAgreesOnTheChain(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	p, _ := newChainProvider(t, env, signedin.Chained)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ours := env.CallerARN(t, creds)

	isolateAWSEnv(t, processEnv(env, "AWS_CONFIG_FILE="+env.ConfigPath, "AWS_SHARED_CREDENTIALS_FILE="+env.CredentialsPath))
	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithSharedConfigProfile(signedin.Chained))
	if err != nil {
		t.Fatal(err)
	}
	sdkCreds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatalf("the Go SDK's chain: %v", err)
	}
	theirs := env.CallerARN(t, sdkCreds)
	if ours != signedin.ChainedARN() || theirs != ours {
		t.Errorf("ssokit's credentials are %s, the Go SDK's %s; want both %s", ours, theirs, signedin.ChainedARN())
	}
	if left := time.Until(sdkCreds.Expires); left < 50*time.Minute {
		t.Errorf("the SDK's credentials last %s, want duration_seconds' hour", left)
	}
	// The SDK signed in with nothing but the token ssokit's cache holds.
	if n := env.Srv.Count("CreateToken"); n != 1 {
		t.Errorf("CreateToken calls = %d, want only the sign-in's", n)
	}
}

// The AWS CLI reads what ssokit cached for an assume-role profile, and the
// other way round: the file name is the CLI's key over the AssumeRole
// arguments and the JSON is the CLI's. One AssumeRole serves both.
//
// The CLI under test (2.9) cannot itself chain a role onto an sso-session
// profile (its SSO token provider looks at the profile asked for, which
// has no sso_session, and fails with "'NoneType' object has no attribute
// 'get_frozen_token'"); with ssokit's entry in its cache it never has to.
// Where the CLI assumes the role first, the chain starts from a legacy SSO
// profile.
func TestAWSCLISharesTheAssumeRoleCache(t *testing.T) {
	const legacyChained = "legacy-admin"
	setup := func(t *testing.T) *signedin.Env {
		env := signedin.New(t)
		env.SignIn(t, env.Srv.StartURL)
		env.AddChains(t)
		env.AppendConfig(t, "\n[profile "+legacyChained+"]\nrole_arn = "+directory.DemoAssumableRole+"\nsource_profile = "+signedin.Legacy+
			"\nrole_session_name = "+signedin.ChainedSession+"\nduration_seconds = 3600\n")
		return env
	}
	for _, profile := range []string{signedin.Chained, legacyChained} {
		t.Run("the CLI uses what ssokit cached for "+profile, func(t *testing.T) {
			env := setup(t)
			cli := cliFor(t, env)
			p, _ := newChainProvider(t, env, profile)
			creds, err := p.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := exportWithCLI(t, cli, profile); got != creds.AccessKeyID {
				t.Errorf("the CLI exported key %s, ssokit cached %s", got, creds.AccessKeyID)
			}
			stdout, stderr, err := cli.Run("sts", "get-caller-identity", "--profile", profile, "--output", "json")
			if err != nil {
				t.Fatalf("aws sts get-caller-identity: %v\n%s", err, stderr)
			}
			var who struct{ Arn string }
			if err := json.Unmarshal([]byte(stdout), &who); err != nil || who.Arn != signedin.ChainedARN() {
				t.Errorf("the CLI's caller = %q (%v), want %s", who.Arn, err, signedin.ChainedARN())
			}
			if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 1 {
				t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 each: the CLI did not reuse ssokit's entries", g, a)
			}
		})
	}
	t.Run("ssokit uses what the CLI cached", func(t *testing.T) {
		env := setup(t)
		cli := cliFor(t, env)
		fromCLI := exportWithCLI(t, cli, legacyChained)
		ch := resolveChain(t, env, legacyChained)
		// (The CLI keeps the SSO step of a chain in memory only.)
		if _, err := os.Stat(filepath.Join(credentials.DefaultCacheDir(env.Home), credentials.AssumeRoleCacheFileName(ch.Steps[0]))); err != nil {
			t.Fatalf("the CLI's entry is not under ssokit's name for it: %v", err)
		}
		p, _ := newChainProvider(t, env, legacyChained)
		creds, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if creds.AccessKeyID != fromCLI || creds.AccountID != "210987654321" {
			t.Errorf("ssokit returned key %s of %s, the CLI cached %s", creds.AccessKeyID, creds.AccountID, fromCLI)
		}
		// The sso-session profile's chain has the same AssumeRole
		// arguments, so the CLI's entry serves it too.
		p, _ = newChainProvider(t, env, signedin.Chained)
		if creds, err := p.Retrieve(context.Background()); err != nil || creds.AccessKeyID != fromCLI {
			t.Errorf("%s: key %s, %v; want the CLI's %s", signedin.Chained, creds.AccessKeyID, err, fromCLI)
		}
		if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 1 {
			t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 each: ssokit did not reuse the CLI's entries", g, a)
		}
	})
}
