package emulator_test

// Real clients against the emulator: headless Chromium on the pages, and
// the AWS CLI v2 end to end. Both skip with -short or when the program is
// not installed.

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/chromedp/chromedp"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

const chromiumPath = "/usr/bin/chromium"

// newChromium starts headless Chromium with a fresh profile and returns a
// context to run actions in; it stops the browser at the end of the test.
// extra adds command-line options. It skips the test with -short or when
// Chromium is not installed.
func newChromium(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("drives Chromium; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skipf("drives the Linux Chromium at %s; the interop tests run on Linux", chromiumPath)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("chromium not installed at %s (apt-get install chromium): %v", chromiumPath, err)
	}
	profile := tempdir.New(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
	}
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		// Chromium's helpers may write to the profile for a moment after
		// the browser exits; wait so t.TempDir's removal succeeds.
		for range 50 {
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func TestChromiumApprovesADeviceCodeOnThePages(t *testing.T) {
	browserCtx := newChromium(t)
	srv := emulatortest.NewServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	oidc := ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("chromium-interop"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	createToken := func() (*ssooidc.CreateTokenOutput, error) {
		return oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
			GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
		})
	}
	var pending *types.AuthorizationPendingException
	if _, err := createToken(); !errors.As(err, &pending) {
		t.Fatalf("CreateToken before approval: %v, want AuthorizationPendingException", err)
	}

	// A person with a second factor: password, then the code from their app.
	user := directory.DemoTOTPUser
	u, _ := srv.Directory.User(user)
	tabCtx, cancelTab := context.WithTimeout(browserCtx, 30*time.Second)
	defer cancelTab()
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tabCtx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(tabCtx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	run("open the verification URL",
		chromedp.Navigate(aws.ToString(dev.VerificationUriComplete)),
		chromedp.WaitVisible(chromedp.ID("signin")))
	run("sign in",
		chromedp.SetValue(chromedp.ID("username"), user),
		chromedp.SetValue(chromedp.ID("password"), u.Password),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("totp")))
	code, err := directory.TOTP(u.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run("enter the TOTP code",
		chromedp.SetValue(chromedp.ID("code"), code),
		chromedp.Click(chromedp.CSS("#totp button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("device")))
	if got := text(".usercode"); got != aws.ToString(dev.UserCode) {
		t.Errorf("the page shows code %q, the client was given %q", got, aws.ToString(dev.UserCode))
	}
	if got := text("h1"); !strings.Contains(got, "chromium-interop") {
		t.Errorf("the page does not name the application: %q", got)
	}
	run("press Allow",
		chromedp.Click(chromedp.CSS(`#device button[value="allow"]`)),
		chromedp.WaitVisible(chromedp.CSS(".status.ok")))
	if got := text("h1"); got != "Request approved" {
		t.Errorf("after Allow the page says %q", got)
	}

	tok, err := createToken()
	if err != nil {
		t.Fatalf("CreateToken after approval in Chromium: %v", err)
	}
	if aws.ToString(tok.AccessToken) == "" || tok.ExpiresIn <= 0 {
		t.Errorf("token %+v: want an access token with a lifetime", tok)
	}
}

func TestChromiumConsentsToPKCEAndReturnsToTheClient(t *testing.T) {
	browserCtx := newChromium(t)
	srv := emulatortest.NewServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// The client's loopback listener, answering every GET like the CLI's.
	got := make(chan url.Values, 1)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("code") || q.Has("error") {
			select {
			case got <- q:
			default:
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><title>Done</title><h1 id="done">You can close this window.</h1>`)
	}))
	defer listener.Close()
	redirectURI := listener.URL + "/oauth/callback"

	oidc := ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("chromium-pkce"), ClientType: aws.String("public"),
		GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl: aws.String(srv.StartURL), Scopes: []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatal(err)
	}
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	authorize := srv.URL + "/authorize?" + url.Values{
		"response_type": {"code"}, "client_id": {aws.ToString(reg.ClientId)}, "redirect_uri": {redirectURI},
		"state": {"st-1"}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
	}.Encode()

	tabCtx, cancelTab := context.WithTimeout(browserCtx, 30*time.Second)
	defer cancelTab()
	err = chromedp.Do(tabCtx,
		chromedp.Navigate(authorize),
		chromedp.WaitVisible(chromedp.ID("signin")),
		chromedp.SetValue(chromedp.ID("username"), directory.DemoUser),
		chromedp.SetValue(chromedp.ID("password"), srv.Password(t, directory.DemoUser)),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("consent")),
		chromedp.Click(chromedp.CSS(`#consent button[value="allow"]`)),
		chromedp.WaitVisible(chromedp.ID("done")),
	)
	if err != nil {
		t.Fatalf("sign in and allow in Chromium: %v", err)
	}
	var q url.Values
	select {
	case q = <-got:
	case <-ctx.Done():
		t.Fatal("the client's listener got no code")
	}
	if q.Get("state") != "st-1" || q.Get("code") == "" {
		t.Fatalf("listener got %v, want a code and the state", q)
	}
	if _, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"),
		Code: aws.String(q.Get("code")), CodeVerifier: aws.String(verifier), RedirectUri: aws.String(redirectURI),
	}); err != nil {
		t.Fatalf("CreateToken with the code from Chromium: %v", err)
	}
}

// A person signs in on the pages as they are served behind a TLS proxy
// answering for the AWS host names: the links the emulator hands out and
// every redirect of the pages stay on https://oidc.<region>.amazonaws.com,
// until consent sends the browser to the client's loopback listener.
func TestChromiumOnThePagesBehindAProxyForAWSHostNames(t *testing.T) {
	srv := emulatortest.NewServer(t, emulatortest.TLS(), func(o *emulator.Options) { o.Region = "us-east-1" })
	const oidcHost = "oidc.us-east-1.amazonaws.com"
	proxy := newAWSProxy(t, srv.CA(), srv, oidcHost)
	spki := sha256.Sum256(proxy.Cert.Leaf.RawSubjectPublicKeyInfo)
	browserCtx := newChromium(t,
		chromedp.ProxyServer(proxy.URL),
		// Trust the proxy's certificate as a company's managed CA would be.
		chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(spki[:])),
	)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", HTTPClient: &http.Client{Transport: proxy.Transport()}})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("chromium-proxied"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	link := aws.ToString(dev.VerificationUriComplete)
	if !strings.HasPrefix(link, "https://"+oidcHost+"/device?") {
		t.Fatalf("verificationUriComplete = %s, want it on https://%s", link, oidcHost)
	}
	tabCtx, cancelTab := context.WithTimeout(browserCtx, 30*time.Second)
	defer cancelTab()
	currentURL := func() string {
		t.Helper()
		u, err := chromedp.Run(tabCtx, chromedp.Location())
		if err != nil {
			t.Fatalf("read the location: %v", err)
		}
		return u
	}
	err = chromedp.Do(tabCtx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("signin")),
		chromedp.SetValue(chromedp.ID("username"), directory.DemoUser),
		chromedp.SetValue(chromedp.ID("password"), srv.Password(t, directory.DemoUser)),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("device")),
	)
	if err != nil {
		t.Fatalf("sign in through the proxy: %v", err)
	}
	if location := currentURL(); !strings.HasPrefix(location, "https://"+oidcHost+"/device?") {
		t.Errorf("after sign-in the browser is at %s, want the AWS host", location)
	}
	if err := chromedp.Do(tabCtx,
		chromedp.Click(chromedp.CSS(`#device button[value="allow"]`)),
		chromedp.WaitVisible(chromedp.CSS(".status.ok")),
	); err != nil {
		t.Fatalf("allow through the proxy: %v", err)
	}
	if _, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
	}); err != nil {
		t.Fatalf("CreateToken after approval behind the proxy: %v", err)
	}

	// PKCE, in the same signed-in browser: consent, then the loopback
	// listener, which Chromium reaches directly.
	got := make(chan url.Values, 1)
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("code") || q.Has("error") {
			select {
			case got <- q:
			default:
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!DOCTYPE html><title>Done</title><h1 id="done">You can close this window.</h1>`)
	}))
	defer listener.Close()
	pk, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("chromium-proxied-pkce"), ClientType: aws.String("public"),
		GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl: aws.String(srv.StartURL), Scopes: []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatal(err)
	}
	authorize := aws.ToString(pk.AuthorizationEndpoint) + "?" + url.Values{
		"response_type": {"code"}, "client_id": {aws.ToString(pk.ClientId)}, "redirect_uri": {listener.URL + "/oauth/callback"},
		"state": {"st-2"}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
	}.Encode()
	if err := chromedp.Do(tabCtx, chromedp.Navigate(authorize), chromedp.WaitVisible(chromedp.ID("consent"))); err != nil {
		t.Fatalf("open the authorization endpoint through the proxy: %v", err)
	}
	if location := currentURL(); !strings.HasPrefix(location, "https://"+oidcHost+"/consent?") {
		t.Errorf("the consent page is at %s, want the AWS host", location)
	}
	if err := chromedp.Do(tabCtx,
		chromedp.Click(chromedp.CSS(`#consent button[value="allow"]`)),
		chromedp.WaitVisible(chromedp.ID("done")),
	); err != nil {
		t.Fatalf("consent through the proxy: %v", err)
	}
	select {
	case q := <-got:
		if q.Get("state") != "st-2" || q.Get("code") == "" {
			t.Errorf("listener got %v, want a code and the state", q)
		}
	case <-ctx.Done():
		t.Fatal("the client's listener got no code")
	}
	if proxy.Tunnels(oidcHost) == 0 {
		t.Error("nothing went through the proxy")
	}
}

// The Debian AWS CLI (2.9.x) signs in with the device flow; the emulator
// approves it at once for the demo user.
func TestAWSCLILoginExportCredentialsLogout(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf(`[profile emu]
sso_session = emu
sso_account_id = %s
sso_role_name = %s
region = %s
output = json

[sso-session emu]
sso_start_url = %s
sso_region = %s
sso_registration_scopes = sso:account:access
`, directory.DemoAccount, directory.DemoRole, srv.Region, srv.StartURL, srv.Region))

	out, errOut, err := cli.Run("sso", "login", "--profile", "emu", "--no-browser")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Successfully logged into Start URL: " + srv.StartURL; !strings.Contains(out, want) {
		t.Fatalf("sso login printed:\n%s\n%s\nwant %q", out, errOut, want)
	}
	tokenFile := cli.SSOTokenFile("emu")
	var cached struct{ StartURL, Region, AccessToken, RefreshToken string }
	readJSON(t, tokenFile, &cached)
	if cached.StartURL != srv.StartURL || cached.Region != srv.Region || cached.AccessToken == "" {
		t.Errorf("token cache %s = %+v", tokenFile, cached)
	}

	out, _, err = cli.Run("configure", "export-credentials", "--profile", "emu")
	if err != nil {
		t.Fatal(err)
	}
	var creds struct {
		Version                                                int
		AccessKeyID, SecretAccessKey, SessionToken, Expiration string
	}
	if err := json.Unmarshal([]byte(out), &creds); err != nil {
		t.Fatalf("export-credentials printed no JSON: %v\n%s", err, out)
	}
	if creds.Version != 1 || creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.SessionToken == "" {
		t.Fatalf("export-credentials = %s", out)
	}
	if _, err := time.Parse(time.RFC3339, creds.Expiration); err != nil {
		t.Errorf("Expiration %q: %v", creds.Expiration, err)
	}
	if n := countFiles(t, cli.RoleCredentialsCacheDir()); n != 1 {
		t.Errorf("role credentials cached in %d files, want 1", n)
	}

	id, err := sts.New(sts.Options{
		Region:       srv.Region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	}).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the exported credentials: %v", err)
	}
	if aws.ToString(id.Account) != directory.DemoAccount || !strings.Contains(aws.ToString(id.Arn), directory.DemoRole) {
		t.Errorf("caller identity = %s %s, want account %s role %s", aws.ToString(id.Account), aws.ToString(id.Arn), directory.DemoAccount, directory.DemoRole)
	}

	if _, _, err := cli.Run("sso", "logout"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("Logout"); n != 1 {
		t.Errorf("Logout requests = %d, want 1", n)
	}
	if _, err := os.Stat(tokenFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token cache after logout: %v, want it removed", err)
	}
	if n := countFiles(t, cli.RoleCredentialsCacheDir()); n != 0 {
		t.Errorf("%d role credential files left after logout, want 0", n)
	}
	if _, _, err := cli.Run("configure", "export-credentials", "--profile", "emu"); err == nil {
		t.Error("export-credentials succeeded after logout")
	}
}

// The AWS CLI over TLS, trusting the emulator through AWS_CA_BUNDLE alone;
// then with no endpoint override at all, through a TLS-inspecting proxy
// that answers for the real AWS host names.
func TestAWSCLIOverTLS(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, emulatortest.TLS(), func(o *emulator.Options) {
		o.AutoApprove = directory.DemoUser
		o.Region = "us-east-1"
	})
	config := fmt.Sprintf(`[profile emu]
sso_session = emu
sso_account_id = %s
sso_role_name = %s
region = %s

[sso-session emu]
sso_start_url = %s
sso_region = %s
sso_registration_scopes = sso:account:access
`, directory.DemoAccount, directory.DemoRole, srv.Region, srv.StartURL, srv.Region)
	signIn := func(t *testing.T, cli *awscli.CLI) {
		t.Helper()
		cli.WriteConfig(config)
		out, errOut, err := cli.Run("sso", "login", "--profile", "emu", "--no-browser")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "Successfully logged into Start URL: "+srv.StartURL) {
			t.Fatalf("sso login printed:\n%s\n%s", out, errOut)
		}
		if _, _, err := cli.Run("configure", "export-credentials", "--profile", "emu"); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("AWS_CA_BUNDLE", func(t *testing.T) {
		cli := awscli.New(t, srv.URL)
		cli.Env = append(cli.Env, "AWS_CA_BUNDLE="+srv.CAFile)
		signIn(t, cli)
		t.Run("without it the CLI refuses the emulator", func(t *testing.T) {
			cli := awscli.New(t, srv.URL)
			cli.WriteConfig(config)
			if _, errOut, err := cli.Run("sso", "login", "--profile", "emu", "--no-browser"); err == nil || !strings.Contains(errOut, "SSL") {
				t.Errorf("sso login without the CA: %v\n%s", err, errOut)
			}
		})
	})
	t.Run("through a proxy for the AWS host names", func(t *testing.T) {
		proxy := newAWSProxy(t, srv.CA(), srv, "oidc.us-east-1.amazonaws.com", "portal.sso.us-east-1.amazonaws.com")
		cli := awscli.New(t, srv.URL)
		// The CLI's own endpoint rules: the real host names.
		if err := os.RemoveAll(cli.DataPath); err != nil {
			t.Fatal(err)
		}
		cli.Env = append(cli.Env, "AWS_CA_BUNDLE="+srv.CAFile, "HTTPS_PROXY="+proxy.URL, "NO_PROXY=")
		signIn(t, cli)
		for _, host := range []string{"oidc.us-east-1.amazonaws.com", "portal.sso.us-east-1.amazonaws.com"} {
			if proxy.Tunnels(host) == 0 {
				t.Errorf("the CLI sent nothing through the proxy to %s", host)
			}
		}
	})
}

// Without auto-approve: the CLI prints the verification URL and a person
// (the test browser) approves it on the pages while the CLI polls.
func TestAWSCLILoginApprovedOnThePages(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t)
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(fmt.Sprintf("[profile legacy]\nsso_start_url = %s\nsso_region = %s\nsso_account_id = %s\nsso_role_name = %s\n",
		srv.StartURL, srv.Region, directory.DemoAccount, directory.DemoRole))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := cli.Command(ctx, "sso", "login", "--profile", "legacy", "--no-browser")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var printed strings.Builder
	sc := bufio.NewScanner(io.TeeReader(stdout, &printed))
	complete := regexp.MustCompile(`^` + regexp.QuoteMeta(srv.URL) + `/device\?user_code=\S+$`)
	var link string
	for link == "" && sc.Scan() {
		if complete.MatchString(sc.Text()) {
			link = sc.Text()
		}
	}
	if link == "" {
		_ = cmd.Wait()
		t.Fatalf("the CLI printed no verification URL:\n%s\n%s", printed.String(), stderr.String())
	}
	b := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser))
	if err := b.Follow(link); err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, io.TeeReader(stdout, &printed))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("aws sso login: %v\n%s\n%s", err, printed.String(), stderr.String())
	}
	if want := "Successfully logged into Start URL: " + srv.StartURL; !strings.Contains(printed.String(), want) {
		t.Errorf("sso login printed:\n%s\nwant %q", printed.String(), want)
	}
	// A legacy profile's token is cached under the start URL's hash.
	var cached struct{ AccessToken string }
	readJSON(t, cli.SSOTokenFile(srv.StartURL), &cached)
	if cached.AccessToken == "" {
		t.Error("no access token cached")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
