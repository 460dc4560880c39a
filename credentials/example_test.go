package credentials_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
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

// A Go program that embeds ssokit signs the user in through the browser
// when needed, as the AWS Toolkit does, and hands the role credentials to
// the SDK. Here everything runs against an in-process emulator, in a
// temporary home folder.
func Example_signInThroughTheBrowser() {
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
	endpoint := emulator.BaseURL(ln.Addr())

	home, err := os.MkdirTemp("", "ssokit-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)

	// What config.Config.ResolveSSO returns for a profile with
	// sso_session = my-sso, sso_account_id and sso_role_name.
	profile := config.SSO{
		Profile:     "dev",
		SessionName: "my-sso",
		StartURL:    srv.StartURL(),
		Region:      srv.Region(),
		AccountID:   directory.DemoAccount,
		RoleName:    directory.DemoRole,
	}
	provider := credentials.New(profile, func(o *credentials.Options) {
		o.PortalEndpoint = endpoint
		o.CacheDir = credentials.DefaultCacheDir(home)
		o.Login = []func(*login.Options){func(lo *login.Options) {
			lo.Cache = tokencache.New(tokencache.DefaultDir(home))
			lo.OIDCEndpoint = endpoint
			lo.PortalEndpoint = endpoint
			lo.SignIn = true // no token yet: sign in through the browser
			lo.Browser = httpOpener{}
			lo.Messages = io.Discard
		}}
	})

	cfg := aws.Config{Region: "eu-west-1", Credentials: aws.NewCredentialsCache(provider)}
	out, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(endpoint) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(aws.ToString(out.Arn))
	// Output: arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_230cb84600d56484/demo
}
