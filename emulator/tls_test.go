package emulator_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestCASignsCertificatesForAnyHost(t *testing.T) {
	ca, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	block := ca.PEM()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(block) {
		t.Fatalf("PEM() is not a PEM certificate: %q", block)
	}
	cert, err := ca.Certificate("oidc.cn-north-1.amazonaws.com.cn", "*.awsapps.com", "192.0.2.7", "[::1]")
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"oidc.cn-north-1.amazonaws.com.cn", "d-0123456789.awsapps.com", "192.0.2.7", "::1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: host}); err != nil {
			t.Errorf("certificate for %s: %v", host, err)
		}
	}
	for _, host := range []string{"oidc.us-east-1.amazonaws.com", "awsapps.com", "127.0.0.1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: host}); err == nil {
			t.Errorf("the certificate also covers %s", host)
		}
	}
	other, err := emulator.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: other.Pool(), DNSName: "192.0.2.7"}); err == nil {
		t.Error("another CA's pool trusts the certificate")
	}
	for _, hosts := range [][]string{nil, {"a b"}, {"https://example.com"}, {""}} {
		if _, err := ca.Certificate(hosts...); err == nil {
			t.Errorf("Certificate(%q) succeeded", hosts)
		}
	}
}

// Over TLS every operation and page works as over HTTP, and errors still
// reach the SDK as its typed exceptions.
func TestTLSServerWithTheSDK(t *testing.T) {
	srv := emulatortest.NewServer(t, emulatortest.TLS())
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") || srv.CAFile == "" {
		t.Fatalf("URL %s, CAFile %q: want an https server and its CA file", srv.URL, srv.CAFile)
	}
	oidc := ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	ctx := context.Background()
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("tls"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/device?user_code="; !strings.HasPrefix(aws.ToString(dev.VerificationUriComplete), want) {
		t.Errorf("verificationUriComplete = %s, want %s...", aws.ToString(dev.VerificationUriComplete), want)
	}
	poll := func() (*ssooidc.CreateTokenOutput, error) {
		return oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
			GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
		})
	}
	_, err = poll()
	wantErrAs[*types.AuthorizationPendingException](t, "poll before approval", err)
	if err := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser)).Follow(aws.ToString(dev.VerificationUriComplete)); err != nil {
		t.Fatal(err)
	}
	tok, err := poll()
	if err != nil {
		t.Fatal(err)
	}
	portal := sso.New(sso.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
	if _, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken}); err != nil {
		t.Fatal(err)
	}

	t.Run("a client without the CA refuses the server", func(t *testing.T) {
		plain := ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1})
		_, err := plain.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public")})
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Errorf("err = %v, want an unknown-authority error", err)
		}
	})
}

// The CA file Env names is all the SDK needs, given as AWS_CA_BUNDLE.
func TestAWSCABundleTrustsTheEmulator(t *testing.T) {
	srv := emulatortest.NewServer(t, emulatortest.TLS())
	dir := tempdir.New(t)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// Keep the SDK away from the real home folder's files.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(srv.Region), config.WithCredentialsProvider(aws.AnonymousCredentials{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ssooidc.NewFromConfig(cfg).RegisterClient(context.Background(), &ssooidc.RegisterClientInput{
		ClientName: aws.String("ca-bundle"), ClientType: aws.String("public"),
	})
	if err != nil {
		t.Fatalf("RegisterClient with AWS_CA_BUNDLE=%s: %v", srv.CAFile, err)
	}
	if srv.Count("RegisterClient") != 1 {
		t.Errorf("Count(RegisterClient) = %d, want 1", srv.Count("RegisterClient"))
	}
}

// Behind a TLS-inspecting proxy that answers for the AWS host names of a
// region, in any partition, clients use the real endpoints (no
// AWS_ENDPOINT_URL_*), and every URL the emulator hands out names the host
// and scheme the client used, so browsers come back through the proxy.
func TestBehindAProxyAnsweringForAWSHostNames(t *testing.T) {
	tests := []struct {
		name, region, suffix string
		// tlsEmulator: the proxy reaches the emulator over TLS; else over
		// plain HTTP, saying X-Forwarded-Proto: https.
		tlsEmulator bool
	}{
		{"aws, emulator over TLS", "us-east-1", "amazonaws.com", true},
		{"aws-cn, emulator over HTTP", "cn-north-1", "amazonaws.com.cn", false},
		{"aws-eusc, emulator over TLS", "eusc-de-east-1", "amazonaws.eu", true},
		{"aws-us-gov, emulator over HTTP", "us-gov-west-1", "amazonaws.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			optFns := []func(*emulator.Options){func(o *emulator.Options) { o.Region = tt.region }}
			if tt.tlsEmulator {
				optFns = append(optFns, emulatortest.TLS())
			}
			srv := emulatortest.NewServer(t, optFns...)
			ca := srv.CA()
			if ca == nil {
				var err error
				if ca, err = emulator.NewCA(); err != nil {
					t.Fatal(err)
				}
			}
			oidcHost, portalHost := "oidc."+tt.region+"."+tt.suffix, "portal.sso."+tt.region+"."+tt.suffix
			proxy := newAWSProxy(t, ca, srv, oidcHost, portalHost)
			client := &http.Client{Transport: proxy.Transport()}
			oidc := ssooidc.New(ssooidc.Options{Region: tt.region, HTTPClient: client, RetryMaxAttempts: 1})
			portal := sso.New(sso.Options{Region: tt.region, HTTPClient: client, RetryMaxAttempts: 1})
			ctx := context.Background()
			origin := "https://" + oidcHost

			// Device flow.
			reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
				ClientName: aws.String("proxied"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
			})
			if err != nil {
				t.Fatalf("RegisterClient through the proxy: %v", err)
			}
			dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL),
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(dev.VerificationUri), origin+"/device"; got != want {
				t.Errorf("verificationUri = %s, want %s", got, want)
			}
			if got, want := aws.ToString(dev.VerificationUriComplete), origin+"/device?user_code="+aws.ToString(dev.UserCode); got != want {
				t.Errorf("verificationUriComplete = %s, want %s", got, want)
			}
			browser := srv.Browser(t, directory.DemoUser, srv.Password(t, directory.DemoUser))
			browser.Transport = proxy.Transport()
			if err := browser.Follow(aws.ToString(dev.VerificationUriComplete)); err != nil {
				t.Fatalf("approve on the pages through the proxy: %v", err)
			}
			tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
				GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := portal.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken}); err != nil {
				t.Fatalf("ListAccounts through the proxy: %v", err)
			}

			// PKCE: the authorization endpoint and its redirects stay on
			// the AWS host; only the last one goes to the loopback client.
			pk, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
				ClientName: aws.String("proxied-pkce"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
				GrantTypes: []string{"authorization_code", "refresh_token"}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
				IssuerUrl: aws.String(srv.StartURL),
			})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(pk.AuthorizationEndpoint), origin+"/authorize"; got != want {
				t.Errorf("authorizationEndpoint = %s, want %s", got, want)
			}
			if got, want := aws.ToString(pk.TokenEndpoint), origin+"/token"; got != want {
				t.Errorf("tokenEndpoint = %s, want %s", got, want)
			}
			codes := make(chan url.Values, 1)
			listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case codes <- r.URL.Query():
				default:
				}
				_, _ = io.WriteString(w, "You can close this window.")
			}))
			defer listener.Close()
			redirect := listener.URL + "/oauth/callback"
			authorize := aws.ToString(pk.AuthorizationEndpoint) + "?" + url.Values{
				"response_type": {"code"}, "client_id": {aws.ToString(pk.ClientId)}, "redirect_uri": {redirect},
				"state": {"st"}, "code_challenge_method": {"S256"}, "scopes": {"sso:account:access"},
				"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
			}.Encode()
			if err := browser.Follow(authorize); err != nil {
				t.Fatalf("consent on the pages through the proxy: %v", err)
			}
			var q url.Values
			select {
			case q = <-codes:
			case <-time.After(10 * time.Second):
				t.Fatal("the loopback listener got no code")
			}
			pkTok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
				ClientId: pk.ClientId, ClientSecret: pk.ClientSecret, GrantType: aws.String("authorization_code"),
				Code: aws.String(q.Get("code")), RedirectUri: aws.String(redirect), CodeVerifier: aws.String("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
			})
			if err != nil {
				t.Fatalf("CreateToken with the code: %v", err)
			}
			if pkTok.ExpiresIn != 3600 {
				t.Errorf("expiresIn = %d, want 3600", pkTok.ExpiresIn)
			}

			// The portal home page names the origin the browser used.
			resp, err := client.Get(origin + "/start")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Request.URL.Host != oidcHost || resp.Request.URL.Path != "/signin" || !strings.Contains(string(body), `id="signin"`) {
				t.Errorf("GET /start through the proxy ended at %s (%s)", resp.Request.URL, resp.Status)
			}
			if setCookie := resp.Header.Get("Set-Cookie"); !strings.Contains(setCookie, "Secure") {
				t.Errorf("the session cookie of an https page is not Secure: %s", setCookie)
			}

			for _, host := range []string{oidcHost, portalHost} {
				if proxy.Tunnels(host) == 0 {
					t.Errorf("no request went through the proxy to %s", host)
				}
			}
		})
	}
}
