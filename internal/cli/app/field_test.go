package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/awsproxy"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
)

// fieldEnv is a user's machine behind a TLS-inspecting corporate proxy:
// no AWS_ENDPOINT_URL_* at all; the emulator answers for the real AWS host
// names through the proxy, whose CA the user must trust.
type fieldEnv struct {
	srv   *emulatortest.Server
	proxy *awsproxy.Proxy
	env   *cmdtest.Env
}

func newFieldEnv(t *testing.T, region string, caInProfile bool) *fieldEnv {
	t.Helper()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.AutoApprove = directory.DemoUser
		o.Region = region
	})
	e := &fieldEnv{srv: srv, proxy: awsproxy.New(t, srv.URL), env: cmdtest.NewEnv(t, nil)}
	e.env.Vars["HTTPS_PROXY"] = e.proxy.URL
	caLine := ""
	if caInProfile {
		caLine = "ca_bundle = " + e.proxy.CAFile + "\n"
	} else {
		e.env.Vars["AWS_CA_BUNDLE"] = e.proxy.CAFile
	}
	// A browser of this machine: it goes through the proxy too.
	e.env.Vars["BROWSER"] = "stub"
	client := e.proxy.Client()
	e.env.F.Browser = &browserstub.Stub{Follow: func(u string) error {
		resp, err := client.Get(u)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}}
	cfg := fmt.Sprintf(`[profile dev]
sso_session = corp
sso_account_id = %s
sso_role_name = %s
region = %s
%s
[sso-session corp]
sso_start_url = %s
sso_region = %s
`, directory.DemoAccount, directory.DemoRole, region, caLine, srv.StartURL, region)
	os.MkdirAll(filepath.Join(e.env.Home, ".aws"), 0o700)
	if err := os.WriteFile(filepath.Join(e.env.Home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *fieldEnv) run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	e.env.Out.Reset()
	e.env.ErrOut.Reset()
	code = Run(context.Background(), e.env.F, args)
	return e.env.Out.String(), e.env.ErrOut.String(), code
}

// Behind a TLS-inspecting proxy, with the proxy's CA given by
// AWS_CA_BUNDLE or by ca_bundle, in the aws partition and in China: both
// sign-in flows, credential-process and console reach the real host
// names of the session's partition through HTTPS_PROXY.
func TestThroughATLSInspectingProxy(t *testing.T) {
	for _, tc := range []struct {
		name, region string
		caInProfile  bool
		hosts        []string
	}{
		{"AWS_CA_BUNDLE, aws partition", "us-east-2", false,
			[]string{"oidc.us-east-2.amazonaws.com:443", "portal.sso.us-east-2.amazonaws.com:443", "us-east-2.signin.aws.amazon.com:443"}},
		{"ca_bundle, China", "cn-north-1", true,
			[]string{"oidc.cn-north-1.amazonaws.com.cn:443", "portal.sso.cn-north-1.amazonaws.com.cn:443", "signin.amazonaws.cn:443"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newFieldEnv(t, tc.region, tc.caInProfile)
			if _, stderr, code := e.run(t, "login", "--profile", "dev"); code != 0 {
				t.Fatalf("login (PKCE): exit %d\n%s", code, stderr)
			}
			if _, stderr, code := e.run(t, "login", "--profile", "dev", "--use-device-code", "--no-browser"); code != 0 {
				t.Fatalf("login (device code): exit %d\n%s", code, stderr)
			}
			if e.srv.Count("Authorize") != 1 || e.srv.Count("StartDeviceAuthorization") != 1 {
				t.Errorf("emulator saw %d authorize, %d device sign-ins; want one of each", e.srv.Count("Authorize"), e.srv.Count("StartDeviceAuthorization"))
			}
			stdout, stderr, code := e.run(t, "credential-process", "--profile", "dev")
			if code != 0 {
				t.Fatalf("credential-process: exit %d\n%s", code, stderr)
			}
			var creds struct{ AccessKeyId, SecretAccessKey, SessionToken string }
			if err := json.Unmarshal([]byte(stdout), &creds); err != nil || creds.AccessKeyId == "" || creds.SessionToken == "" {
				t.Fatalf("credential-process printed %q (%v)", stdout, err)
			}
			stdout, stderr, code = e.run(t, "console", "--profile", "dev", "--print")
			if code != 0 {
				t.Fatalf("console: exit %d\n%s", code, stderr)
			}
			u, err := url.Parse(strings.TrimSpace(stdout))
			if err != nil || u.Scheme != "https" || u.Query().Get("SigninToken") == "" {
				t.Fatalf("console printed %q", stdout)
			}
			if e.srv.Count("GetSigninToken") != 1 {
				t.Errorf("getSigninToken calls: %d", e.srv.Count("GetSigninToken"))
			}
			for _, h := range tc.hosts {
				if !slices.Contains(e.proxy.Hosts(), h) {
					t.Errorf("no connection to %s through the proxy; it saw %v", h, e.proxy.Hosts())
				}
			}
		})
	}
}

// The proxy's CA is what makes TLS work: without it, and past the proxy
// (NO_PROXY), the same commands fail, saying where.
func TestProxyAndCABundleAreNeeded(t *testing.T) {
	e := newFieldEnv(t, "us-east-2", false)
	delete(e.env.Vars, "AWS_CA_BUNDLE")
	_, stderr, code := e.run(t, "login", "--profile", "dev", "--use-device-code", "--no-browser")
	if code != 1 || !strings.Contains(stderr, "https://oidc.us-east-2.amazonaws.com") || !strings.Contains(stderr, "certificate") {
		t.Errorf("without the CA: exit %d, stderr:\n%s", code, stderr)
	}
	e.env.Vars["AWS_CA_BUNDLE"] = e.proxy.CAFile
	e.env.Vars["NO_PROXY"] = ".amazonaws.com"
	_, stderr, code = e.run(t, "login", "--profile", "dev", "--use-device-code", "--no-browser")
	if code != 1 || !strings.Contains(stderr, "cannot reach the SSO OIDC service at https://oidc.us-east-2.amazonaws.com") {
		t.Errorf("with NO_PROXY: exit %d, stderr:\n%s", code, stderr)
	}
	if n := e.srv.Count("RegisterClient"); n > 0 {
		t.Errorf("%d calls reached the emulator without the CA or past NO_PROXY", n)
	}
}

// The reference: the AWS CLI from Debian, with the same proxy, CA and
// profile, signs in and hands out credentials through it too.
func TestAWSCLIThroughTheSameProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the AWS CLI; skipped with -short")
	}
	e := newFieldEnv(t, "us-east-2", false)
	cli := awscli.New(t, "")
	cfg, err := os.ReadFile(filepath.Join(e.env.Home, ".aws", "config"))
	if err != nil {
		t.Fatal(err)
	}
	cli.WriteConfig(string(cfg))
	cli.Env = append(cli.Env, "HTTPS_PROXY="+e.proxy.URL, "AWS_CA_BUNDLE="+e.proxy.CAFile)
	if _, stderr, err := cli.Run("sso", "login", "--profile", "dev", "--no-browser"); err != nil {
		t.Fatalf("aws sso login: %v\n%s", err, stderr)
	}
	stdout, _, err := cli.Run("configure", "export-credentials", "--profile", "dev")
	if err != nil {
		t.Fatal(err)
	}
	var creds struct{ AccessKeyId string }
	if err := json.Unmarshal([]byte(stdout), &creds); err != nil || creds.AccessKeyId == "" {
		t.Fatalf("export-credentials printed %q (%v)", stdout, err)
	}
	for _, h := range []string{"oidc.us-east-2.amazonaws.com:443", "portal.sso.us-east-2.amazonaws.com:443"} {
		if !slices.Contains(e.proxy.Hosts(), h) {
			t.Errorf("the AWS CLI did not connect to %s through the proxy; it saw %v", h, e.proxy.Hosts())
		}
	}
}

// An assume-role profile behind the same proxy: the AssumeRole call goes
// to the real STS host name of the profile's region (the global one when
// it has none) with the session's CA bundle.
func TestChainThroughATLSInspectingProxy(t *testing.T) {
	e := newFieldEnv(t, "us-east-2", false)
	f, err := os.OpenFile(filepath.Join(e.env.Home, ".aws", "config"), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "\n[profile admin]\nrole_arn = %s\nsource_profile = dev\nregion = eu-west-1\n\n[profile admin-global]\nrole_arn = %s\nsource_profile = dev\nrole_session_name = global\n", directory.DemoAssumableRole, directory.DemoAssumableRole)
	f.Close()
	if _, stderr, code := e.run(t, "login", "--profile", "admin", "--use-device-code", "--no-browser"); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	for _, profile := range []string{"admin", "admin-global"} {
		stdout, stderr, code := e.run(t, "credential-process", "--profile", profile)
		var creds struct{ AccessKeyId string }
		if code != 0 || json.Unmarshal([]byte(stdout), &creds) != nil || creds.AccessKeyId == "" {
			t.Fatalf("credential-process --profile %s: exit %d, %q\n%s", profile, code, stdout, stderr)
		}
	}
	for _, h := range []string{"sts.eu-west-1.amazonaws.com:443", "sts.amazonaws.com:443"} {
		if !slices.Contains(e.proxy.Hosts(), h) {
			t.Errorf("no connection to %s through the proxy; it saw %v", h, e.proxy.Hosts())
		}
	}
	if n := e.srv.Count("AssumeRole"); n != 2 {
		t.Errorf("AssumeRole calls = %d, want 2", n)
	}
}
