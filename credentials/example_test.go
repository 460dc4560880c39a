package credentials_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/login"
)

// httpOpener stands in for the user's browser: it follows the sign-in URL.
// The emulator approves every sign-in as the demo user (AutoApprove), so the
// URL redirects straight back to the program's loopback listener.
type httpOpener struct{}

func (httpOpener) Open(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A Go program that embeds ssokit resolves a profile from the user's
// shared config files, as the AWS CLI would (endpoint overrides such as
// AWS_ENDPOINT_URL_SSO included), signs the user in through the browser
// when needed, as the AWS Toolkit does, and hands the role credentials to
// the SDK. Here the home folder is a temporary one, the environment a map,
// and the AWS endpoints an in-process emulator; a real program passes
// os.Getenv and leaves Home to default.
func Example() {
	ctx := context.Background()
	srv, err := emulator.New(emulator.Options{AutoApprove: directory.DemoUser})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	go srv.Serve(serveCtx, ln)
	endpoint := srv.BaseURL(ln.Addr())

	home, err := os.MkdirTemp("", "ssokit-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)
	os.Mkdir(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(fmt.Sprintf(`[profile dev]
sso_session = my-sso
sso_account_id = %s
sso_role_name = %s
region = eu-west-1

[sso-session my-sso]
sso_start_url = %s
sso_region = %s
`, directory.DemoAccount, directory.DemoRole, srv.StartURL(), srv.Region())), 0o600)
	env := map[string]string{
		"AWS_PROFILE":               "dev",
		"AWS_ENDPOINT_URL_SSO":      endpoint,
		"AWS_ENDPOINT_URL_SSO_OIDC": endpoint,
		"AWS_ENDPOINT_URL_STS":      endpoint,
	}
	getenv := func(k string) string { return env[k] }

	// What a program needs, in ten lines:
	cfg, err := config.Load(config.DefaultPaths(getenv, home))
	if err != nil {
		log.Fatal(err)
	}
	sso, err := cfg.ResolveSSO(config.SelectProfile("", getenv), getenv)
	if err != nil {
		log.Fatal(err)
	}
	sess := login.NewSession(sso, func(o *login.Options) { o.Home, o.SignIn, o.Browser = home, true, httpOpener{} })
	awsCfg := aws.Config{Region: sso.ProfileRegion, Credentials: aws.NewCredentialsCache(credentials.New(sess))}

	out, err := sts.NewFromConfig(awsCfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(sso.Endpoints.STS) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(aws.ToString(out.Arn))
	// Output: arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_230cb84600d56484/demo
}
