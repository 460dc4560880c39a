package credentials_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/login"
)

// resolveChain loads env's config files and resolves profile's chain.
func resolveChain(t testing.TB, env *signedin.Env, profile string) config.Chain {
	t.Helper()
	cfg, err := config.Load(config.Paths{Config: env.ConfigPath, Credentials: env.CredentialsPath})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := cfg.ResolveChain(profile, func(k string) string { return env.Vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// newChainProvider returns the provider of profile's chain in env, as the
// commands build it, and the buffer its messages go to.
func newChainProvider(t testing.TB, env *signedin.Env, profile string, optFns ...func(*credentials.AssumeRoleOptions)) (*credentials.AssumeRoleProvider, *bytes.Buffer) {
	t.Helper()
	ch := resolveChain(t, env, profile)
	msgs := &bytes.Buffer{}
	sess := login.NewSession(ch.SSO, func(o *login.Options) { o.Home = env.Home; o.Messages = msgs })
	return credentials.NewAssumeRole(sess, ch, optFns...), msgs
}

func TestAssumeRoleOnSSO(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	p, msgs := newChainProvider(t, env, signedin.Chained)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); arn != signedin.ChainedARN() {
		t.Errorf("STS says the credentials are %s, want %s", arn, signedin.ChainedARN())
	}
	if !creds.CanExpire || creds.AccountID != "210987654321" || creds.Source != credentials.Source {
		t.Errorf("creds: CanExpire %v, AccountID %q, Source %q", creds.CanExpire, creds.AccountID, creds.Source)
	}
	if left := time.Until(creds.Expires); left < 59*time.Minute || left > time.Hour {
		t.Errorf("credentials expire in %s, want duration_seconds' hour", left)
	}

	// Both steps are cached under the AWS CLI's names.
	ch := resolveChain(t, env, signedin.Chained)
	dir := credentials.DefaultCacheDir(env.Home)
	for _, name := range []string{credentials.CacheFileName(ch.SSO), credentials.AssumeRoleCacheFileName(ch.Steps[0])} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no cache entry: %v", err)
		}
	}
	// Another provider, as another process would build it, reads the cache.
	again, _ := newChainProvider(t, env, signedin.Chained)
	second, err := again.Retrieve(context.Background())
	if err != nil || second != creds {
		t.Errorf("second Retrieve = %+v, %v; want the cached credentials", second, err)
	}
	if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 1 {
		t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 each", g, a)
	}
	if msgs.Len() > 0 {
		t.Errorf("messages: %s", msgs)
	}
}

// Without role_session_name the session is named as the AWS CLI names it.
func TestAssumeRoleDefaultSessionName(t *testing.T) {
	env := signedin.New(t)
	env.AppendConfig(t, "\n[profile anon]\nrole_arn = "+directory.DemoAssumableRole+"\nsource_profile = "+signedin.Profile+"\n")
	p, _ := newChainProvider(t, env, "anon")
	before := time.Now().Unix()
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	arn := env.CallerARN(t, creds)
	if !strings.HasPrefix(arn, "arn:aws:sts::210987654321:assumed-role/Admin/botocore-session-") {
		t.Errorf("caller = %s, want a botocore-session-<time> session", arn)
	}
	ts, err := strconv.ParseInt(strings.TrimPrefix(arn[strings.LastIndexByte(arn, '/')+1:], "botocore-session-"), 10, 64)
	if err != nil || ts < before || ts > time.Now().Unix() {
		t.Errorf("session name %s: want the unix time of the call", arn)
	}
}

// A chain two roles deep: each step is cached on its own.
func TestAssumeRoleTwoSteps(t *testing.T) {
	d := directory.Demo()
	d.IAMRoles = append(d.IAMRoles, directory.IAMRole{ARN: "arn:aws:iam::333333333333:role/Deploy", Trust: []string{directory.DemoAssumableRole}})
	env := signedin.New(t, func(o *emulator.Options) { o.Directory = d })
	env.AddChains(t)
	env.AppendConfig(t, "\n[profile deploy]\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nsource_profile = "+signedin.Chained+"\nrole_session_name = ci\n")
	p, _ := newChainProvider(t, env, "deploy")
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); arn != "arn:aws:sts::333333333333:assumed-role/Deploy/ci" {
		t.Errorf("caller = %s", arn)
	}
	// The middle step's entry serves its own profile.
	mid, _ := newChainProvider(t, env, signedin.Chained)
	if _, err := mid.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 2 {
		t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 and 2", g, a)
	}
}

// Goroutines of one process share the call, as processes do.
func TestAssumeRoleConcurrentCallersShareOneCall(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	p, _ := newChainProvider(t, env, signedin.Chained)
	var wg sync.WaitGroup
	keys := make([]string, 20)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := p.Retrieve(context.Background())
			if err != nil {
				t.Error(err)
			}
			keys[i] = creds.AccessKeyID
		}()
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("callers got different keys: %v", keys)
		}
	}
	if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 1 {
		t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 each", g, a)
	}
}

// Cached SSO credentials that STS no longer knows (an emulator restarted
// without its store, a session revoked) are fetched anew, once.
func TestAssumeRoleReplacesRefusedSourceCredentials(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	ch := resolveChain(t, env, signedin.Chained)
	forgotten := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAFORGOTTEN", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` +
		time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z") + `", "AccountId": "` + directory.DemoAccount + `"}}`
	dir := credentials.DefaultCacheDir(env.Home)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, credentials.CacheFileName(ch.SSO)), []byte(forgotten), 0o600); err != nil {
		t.Fatal(err)
	}
	p, _ := newChainProvider(t, env, signedin.Chained)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); arn != signedin.ChainedARN() {
		t.Errorf("caller = %s", arn)
	}
	if g, a := env.Srv.Count("GetRoleCredentials"), env.Srv.Count("AssumeRole"); g != 1 || a != 2 {
		t.Errorf("GetRoleCredentials %d, AssumeRole %d; want 1 and 2 (the refused try and the one after)", g, a)
	}
}

func TestAssumeRoleFailures(t *testing.T) {
	serial := signedin.MFASerial
	tests := []struct {
		name    string
		profile string // keys of the profile, sourced from signedin.Profile
		tokens  func(t *testing.T, env *signedin.Env) func(serial string) (string, error)
		check   func(t *testing.T, err error)
	}{
		{
			name: "a role that does not trust the source", profile: "role_arn = " + directory.DemoUntrustedRole,
			check: func(t *testing.T, err error) {
				var are *credentials.AssumeRoleError
				if !errors.As(err, &are) || !are.Denied() || are.Profile != "p" || !strings.Contains(err.Error(), `profile "p": STS refused to assume role `+directory.DemoUntrustedRole+": AccessDenied: User: arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_") {
					t.Errorf("err = %v", err)
				}
			},
		},
		{
			name: "a wrong external ID", profile: "role_arn = " + signedin.PartnerRole + "\nexternal_id = wrong-id",
			check: func(t *testing.T, err error) {
				var are *credentials.AssumeRoleError
				if !errors.As(err, &are) || !are.Denied() {
					t.Errorf("err = %v, want AccessDenied", err)
				}
			},
		},
		{
			name: "an MFA role with no way to ask for the code", profile: "role_arn = " + signedin.GuardedRole + "\nmfa_serial = " + serial,
			check: func(t *testing.T, err error) {
				var mfa *credentials.MFACodeRequiredError
				if !errors.As(err, &mfa) || mfa.Serial != serial || !strings.Contains(err.Error(), `profile "p" needs a code from MFA device `+serial) {
					t.Errorf("err = %v", err)
				}
			},
		},
		{
			name: "a wrong MFA code", profile: "role_arn = " + signedin.GuardedRole + "\nmfa_serial = " + serial,
			tokens: func(t *testing.T, env *signedin.Env) func(string) (string, error) {
				return func(string) (string, error) { _, wrong := env.MFACode(t); return wrong, nil }
			},
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "MultiFactorAuthentication failed") {
					t.Errorf("err = %v", err)
				}
			},
		},
		{
			name: "a cancelled prompt", profile: "role_arn = " + signedin.GuardedRole + "\nmfa_serial = " + serial,
			tokens: func(*testing.T, *signedin.Env) func(string) (string, error) {
				return func(string) (string, error) { return "", context.Canceled }
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v", err)
				}
			},
		},
		{
			name: "a duration the role does not allow", profile: "role_arn = " + directory.DemoAssumableRole + "\nduration_seconds = 7200",
			check: func(t *testing.T, err error) {
				var are *credentials.AssumeRoleError
				if !errors.As(err, &are) || are.Code != "ValidationError" || !strings.Contains(err.Error(), "MaxSessionDuration") {
					t.Errorf("err = %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := signedin.New(t, signedin.ChainRoles)
			env.AppendConfig(t, "\n[profile p]\nsource_profile = "+signedin.Profile+"\n"+tt.profile+"\n")
			p, _ := newChainProvider(t, env, "p", func(o *credentials.AssumeRoleOptions) {
				if tt.tokens != nil {
					o.TokenProvider = tt.tokens(t, env)
				}
			})
			_, err := p.Retrieve(context.Background())
			tt.check(t, err)
			// Nothing was cached for the failed step: only the SSO entry.
			entries, _ := os.ReadDir(credentials.DefaultCacheDir(env.Home))
			var names []string
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".lock") {
					names = append(names, e.Name())
				}
			}
			if len(names) > 1 {
				t.Errorf("cache holds %v after a failure", names)
			}
		})
	}
}

// With MFA, the code is asked once; the cached credentials serve the next
// callers without asking.
func TestAssumeRoleWithMFA(t *testing.T) {
	env := signedin.New(t, signedin.ChainRoles)
	env.AppendConfig(t, "\n[profile guarded]\nrole_arn = "+signedin.GuardedRole+"\nsource_profile = "+signedin.Profile+"\nmfa_serial = "+signedin.MFASerial+"\n")
	var asked []string
	tokens := func(s string) (string, error) {
		asked = append(asked, s)
		code, _ := env.MFACode(t)
		return code, nil
	}
	for range 2 {
		p, _ := newChainProvider(t, env, "guarded", func(o *credentials.AssumeRoleOptions) { o.TokenProvider = tokens })
		creds, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, "arn:aws:sts::210987654321:assumed-role/Guarded/") {
			t.Errorf("caller = %s", arn)
		}
	}
	if len(asked) != 1 || asked[0] != signedin.MFASerial {
		t.Errorf("asked for codes of %v, want once for %s", asked, signedin.MFASerial)
	}
}

// The STS endpoint that cannot be reached is named, with the advice to try
// again.
func TestAssumeRoleUnreachableSTS(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	env.Vars["AWS_ENDPOINT_URL_STS"] = closedPortURL(t)
	p, _ := newChainProvider(t, env, signedin.Chained)
	_, err := p.Retrieve(context.Background())
	var se *credentials.ServiceError
	if !errors.As(err, &se) || !se.STS || !strings.Contains(err.Error(), "cannot reach STS at "+env.Vars["AWS_ENDPOINT_URL_STS"]) {
		t.Errorf("err = %v", err)
	}
}

// A chain of no steps is its SSO profile's credentials.
func TestAssumeRoleProviderOfAnSSOProfile(t *testing.T) {
	env := signedin.New(t)
	p, _ := newChainProvider(t, env, signedin.Profile)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("caller = %s", arn)
	}
	var _ aws.CredentialsProvider = p
}

// fakeSTS answers every AssumeRole with out or err.
type fakeSTS struct {
	out *sts.AssumeRoleOutput
	err error
}

func (f fakeSTS) AssumeRole(context.Context, *sts.AssumeRoleInput, ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	return f.out, f.err
}

// What STS answers that is no refusal: throttling and server errors are a
// *ServiceError saying to try again; an answer without credentials too.
func TestAssumeRoleServiceErrors(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	respErr := func(status int, code string) error {
		return &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole", Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
				Err: &smithy.GenericAPIError{Code: code, Message: "m"}},
		}}
	}
	tests := []struct {
		name    string
		client  fakeSTS
		wantMsg string
	}{
		{"throttling", fakeSTS{err: respErr(400, "Throttling")}, "STS at https://sts.us-west-2.amazonaws.com is throttling requests; try again in a minute"},
		{"a server error", fakeSTS{err: respErr(500, "InternalFailure")}, "STS at https://sts.us-west-2.amazonaws.com failed to assume the role (HTTP 500 InternalFailure); try again in a minute"},
		{"an answer without credentials", fakeSTS{out: &sts.AssumeRoleOutput{}}, "the answer lacks the access key, secret key or expiration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			delete(env.Vars, "AWS_ENDPOINT_URL_STS")
			p, _ := newChainProvider(t, env, signedin.Chained, func(o *credentials.AssumeRoleOptions) {
				o.STS = func(aws.Credentials) credentials.AssumeRoleAPIClient { return tt.client }
			})
			_, err := p.Retrieve(context.Background())
			var se *credentials.ServiceError
			if !errors.As(err, &se) || !se.STS || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %v, want a *ServiceError saying %q", err, tt.wantMsg)
			}
		})
	}
}
