package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/tokencache"
)

// Opener opens a URL in a browser. internal/cli/browser.System and
// *browserstub.Stub satisfy it.
type Opener interface {
	Open(url string) error
}

// Spinner shows that ssokit is waiting for the person in the browser.
// *iostreams.IOStreams satisfies it (and only spins on a terminal).
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

// Options configure Login, Token and Logout. Every field is optional.
type Options struct {
	// Cache is the token cache; nil means ~/.aws/sso/cache of the user.
	Cache *tokencache.Cache
	// HTTPClient carries every call to the OIDC and portal services.
	HTTPClient *http.Client
	// OIDCEndpoint overrides https://oidc.<sso_region>.amazonaws.com
	// (config.EndpointURL(profile, "sso-oidc", getenv)).
	OIDCEndpoint string
	// PortalEndpoint overrides https://portal.sso.<sso_region>.amazonaws.com
	// (config.EndpointURL(profile, "sso", getenv)); used by Logout.
	PortalEndpoint string
	// Browser opens the sign-in page; nil means the URL is only printed.
	Browser Opener
	// UseDeviceCode signs in with the device code flow instead of PKCE.
	UseDeviceCode bool
	// NoBrowser prints the URL without opening it.
	NoBrowser bool
	// Port fixes the loopback port of the PKCE callback (for SSH port
	// forwarding); 0 picks a free one.
	Port int
	// Messages receives what the person must see: the URL, the code,
	// warnings. The URL is always printed, even when a browser is opened.
	Messages io.Writer
	// Now is the clock used for expiry decisions and new expiry times.
	Now func() time.Time
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
	// OIDCClient replaces the SDK client built from the fields above.
	OIDCClient OIDCClient

	// after paces the device code polls; tests count the waits instead.
	after func(time.Duration) <-chan time.Time
}

const (
	defaultRefreshWindow = 15 * time.Minute
	defaultAuthTimeout   = 10 * time.Minute
	// registrationMargin: a cached client registration is reused only while
	// it has more than this left, as the AWS CLI does.
	registrationMargin = 15 * time.Minute
	// sdkAttempts keeps retries modest so that failures and Ctrl-C are prompt.
	sdkAttempts = 2
)

func resolveOptions(optFns []func(*Options)) (*Options, error) {
	o := &Options{}
	for _, fn := range optFns {
		if fn != nil {
			fn(o)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Messages == nil {
		o.Messages = io.Discard
	}
	if o.RefreshWindow <= 0 {
		o.RefreshWindow = defaultRefreshWindow
	}
	if o.after == nil {
		o.after = time.After
	}
	if o.AuthorizationTimeout <= 0 {
		o.AuthorizationTimeout = defaultAuthTimeout
	}
	if o.Cache == nil {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("find the SSO token cache: %w", err)
		}
		o.Cache = tokencache.New(tokencache.DefaultDir(home), func(co *tokencache.Options) {
			co.Now = o.Now
			co.Warn = o.warnf
		})
	}
	return o, nil
}

func (o *Options) warnf(format string, args ...any) {
	fmt.Fprintf(o.Messages, "warning: "+format+"\n", args...)
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

// oidcEndpoint is the base URL the OIDC calls go to, for messages and for
// the /authorize page.
func (o *Options) oidcEndpoint(region string) string {
	if o.OIDCEndpoint != "" {
		return o.OIDCEndpoint
	}
	return "https://oidc." + region + ".amazonaws.com"
}

func (o *Options) portalEndpoint(region string) string {
	if o.PortalEndpoint != "" {
		return o.PortalEndpoint
	}
	return "https://portal.sso." + region + ".amazonaws.com"
}

func (o *Options) oidcClient(region string) OIDCClient {
	if o.OIDCClient != nil {
		return o.OIDCClient
	}
	so := ssooidc.Options{
		Region:           region,
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: sdkAttempts,
	}
	if o.OIDCEndpoint != "" {
		so.BaseEndpoint = aws.String(o.OIDCEndpoint)
	}
	if o.HTTPClient != nil {
		so.HTTPClient = o.HTTPClient
	}
	return ssooidc.New(so)
}

func (o *Options) portalClient(region string) *sso.Client {
	so := sso.Options{
		Region:           region,
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: sdkAttempts,
	}
	if o.PortalEndpoint != "" {
		so.BaseEndpoint = aws.String(o.PortalEndpoint)
	}
	if o.HTTPClient != nil {
		so.HTTPClient = o.HTTPClient
	}
	return sso.New(so)
}

// isNotFound reports a cache miss; anything else from the cache is a real
// problem (an unreadable folder) worth telling the person about.
func isNotFound(err error) bool { return errors.Is(err, tokencache.ErrNotFound) }
