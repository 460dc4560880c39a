package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/tokencache"
)

// Opener opens a URL in a browser.
type Opener interface {
	Open(url string) error
}

// Spinner shows that the program is waiting for the person in the browser.
type Spinner interface {
	StartSpinner(msg string)
	StopSpinner()
}

// OIDCClient is the part of the SSO OIDC API that signing in uses;
// *ssooidc.Client satisfies it.
type OIDCClient interface {
	RegisterClient(ctx context.Context, in *ssooidc.RegisterClientInput, optFns ...func(*ssooidc.Options)) (*ssooidc.RegisterClientOutput, error)
	StartDeviceAuthorization(ctx context.Context, in *ssooidc.StartDeviceAuthorizationInput, optFns ...func(*ssooidc.Options)) (*ssooidc.StartDeviceAuthorizationOutput, error)
	CreateToken(ctx context.Context, in *ssooidc.CreateTokenInput, optFns ...func(*ssooidc.Options)) (*ssooidc.CreateTokenOutput, error)
}

// Options configure a Session. Every field is optional.
type Options struct {
	// Home is the user's home folder, under which the token cache
	// (.aws/sso/cache) and the role-credential cache (.aws/cli/cache) live.
	// Default: os.UserHomeDir.
	Home string
	// Cache is the token cache; nil means tokencache.DefaultDir(Home),
	// warning on Messages about files it cannot use, with Keyring.
	Cache *tokencache.Cache
	// Keyring is where sessions with keyring storage keep their secrets
	// when Cache is nil; nil means the OS keyring.
	Keyring tokencache.Keyring
	// HTTPClient carries every call to the OIDC and portal services; nil
	// means the SDK's default client.
	HTTPClient *http.Client
	// Browser opens the sign-in page; nil means the URL is only printed.
	Browser Opener
	// UseDeviceCode signs in with the device code flow instead of PKCE,
	// as the sso-session's ssokit_use_device_code does (config.SSO).
	UseDeviceCode bool
	// NoBrowser prints the URL without opening it.
	NoBrowser bool
	// Port fixes the loopback port of the PKCE callback (for SSH port
	// forwarding); 0 means the sso-session's ssokit_callback_port
	// (config.SSO.CallbackPort), else a free one.
	Port int
	// Messages receives what the person must see: the URL, the code,
	// warnings. The URL is always printed, even when a browser is opened.
	Messages io.Writer
	// Now is the clock used for expiry decisions and new expiry times.
	Now func() time.Time
	// Started is when the program started, on the clock of the file
	// system's times (the real one): Login takes a token another process
	// saved at or after it instead of signing in again, so that logins
	// started together share one sign-in even when one of them reaches
	// Login after the other's has ended. Zero: only a token saved while
	// Login waited for the lock counts.
	Started time.Time
	// RefreshWindow: a token with less than this left is refreshed
	// (sso-session profiles). Default 15 minutes, as the AWS CLI does.
	RefreshWindow time.Duration
	// SignIn makes Token sign in through the browser when there is no
	// usable token, instead of returning *SignInRequiredError.
	SignIn bool
	// Spinner, when set, runs while waiting for the person.
	Spinner Spinner
	// ClientName is the name registered with the OIDC service, shown on
	// the consent page. Default "ssokit-<session name>".
	ClientName string
	// AuthorizationTimeout bounds the wait for the browser in the PKCE flow
	// (the device flow uses the service's own expiry). Default 10 minutes.
	AuthorizationTimeout time.Duration
	// OIDCClient replaces the SDK client the session builds.
	OIDCClient OIDCClient

	// after paces the device code polls; tests count the waits instead.
	after func(time.Duration) <-chan time.Time
	// warned holds the warnings given, so that each is given once: the
	// cache is read more than once on the way to a token.
	warned *sync.Map
}

const (
	defaultRefreshWindow = 15 * time.Minute
	defaultAuthTimeout   = 10 * time.Minute
	// registrationMargin: a cached client registration is reused only while
	// it has more than this left, as the AWS CLI does.
	registrationMargin = 15 * time.Minute
)

func (o *Options) warnf(format string, args ...any) {
	msg := fmt.Sprintf("warning: "+format+"\n", args...)
	if o.warned != nil {
		if _, given := o.warned.LoadOrStore(msg, true); given {
			return
		}
	}
	io.WriteString(o.Messages, msg)
}

func (o *Options) startSpinner(msg string) {
	if o.Spinner != nil {
		o.Spinner.StartSpinner(msg)
	}
}

func (o *Options) stopSpinner() {
	if o.Spinner != nil {
		o.Spinner.StopSpinner()
	}
}

// isNotFound reports a cache miss; anything else from the cache is a real
// problem (an unreadable folder) worth telling the person about.
func isNotFound(err error) bool { return errors.Is(err, tokencache.ErrNotFound) }
