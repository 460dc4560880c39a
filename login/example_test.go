package login_test

import (
	"context"
	"fmt"
	"os"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/browser"
	"github.com/ssokit/ssokit/login"
)

// A program that needs an SSO access token: the cached one, refreshed when
// it nears expiry, or a browser sign-in when the session has expired.
func ExampleToken() {
	sso := config.SSO{
		Profile:     "dev",
		SessionName: "my-sso",
		StartURL:    "https://d-0123456789.awsapps.com/start",
		Region:      "us-east-1",
	}
	tok, err := login.NewSession(sso, func(o *login.Options) {
		o.SignIn = true
		o.Browser = browser.System{BrowserEnv: os.Getenv("BROWSER")}
		o.Messages = os.Stderr
	}).Token(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println("token valid until", tok.ExpiresAt)
}
