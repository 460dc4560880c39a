package login

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/tokencache"
)

// Session is one SSO session (an sso-session, or the start URL of a legacy
// profile) as a program uses it: its token in the cache the AWS CLI
// shares, and the OIDC and portal clients, built once on first use with
// one retry policy and the endpoints config resolved. It is safe for
// concurrent use, also by several processes sharing the cache.
type Session struct {
	sso config.SSO
	o   Options
	key string
	// err is a problem found by NewSession (no home folder, no start URL),
	// returned by every method that needs what is missing.
	err error

	oidc   func() OIDCClient
	portal func() *sso.Client
}

// NewSession returns the session s belongs to. s comes from
// config.Config.ResolveSSO or ResolveSSOSession, with its endpoints.
func NewSession(s config.SSO, optFns ...func(*Options)) *Session {
	o := Options{}
	for _, fn := range optFns {
		if fn != nil {
			fn(&o)
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
	sess := &Session{sso: s, key: s.CacheKey()}
	if s.StartURL == "" || s.Region == "" {
		sess.err = &IncompleteError{What: describeSSO(s)}
	}
	if o.Home == "" {
		home, err := os.UserHomeDir()
		if err != nil && o.Cache == nil && sess.err == nil {
			sess.err = fmt.Errorf("find the home folder for the SSO token cache: %w", err)
		}
		o.Home = home
	}
	if o.Cache == nil {
		o.Cache = tokencache.New(tokencache.DefaultDir(o.Home), func(co *tokencache.Options) {
			co.Now = o.Now
			co.Warn = o.warnf
		})
	}
	sess.o = o
	hc := keepAlive(o.HTTPClient)
	sess.oidc = sync.OnceValue(func() OIDCClient {
		if o.OIDCClient != nil {
			return o.OIDCClient
		}
		return ssooidc.New(ssooidc.Options{
			Region:       s.Region,
			Credentials:  aws.AnonymousCredentials{},
			BaseEndpoint: baseEndpoint(s.Endpoints.OIDC),
			HTTPClient:   hc,
			Retryer:      newRetryer(),
		})
	})
	sess.portal = sync.OnceValue(func() *sso.Client {
		return sso.New(sso.Options{
			Region:       s.Region,
			Credentials:  aws.AnonymousCredentials{},
			BaseEndpoint: baseEndpoint(s.Endpoints.Portal),
			HTTPClient:   hc,
			Retryer:      newRetryer(),
		})
	})
	return sess
}

// SSO is the configuration the session was built from.
func (s *Session) SSO() config.SSO { return s.sso }

// Home is the home folder the session's caches live under.
func (s *Session) Home() string { return s.o.Home }

// Now is the session's clock.
func (s *Session) Now() time.Time { return s.o.Now() }

// Cache is the session's token cache.
func (s *Session) Cache() *tokencache.Cache { return s.o.Cache }

// Messages is where the session writes what the person must see.
func (s *Session) Messages() io.Writer { return s.o.Messages }

// SignsIn reports whether Token signs in when there is no usable token
// (Options.SignIn).
func (s *Session) SignsIn() bool { return s.o.SignIn }

// Portal is the SSO portal client (GetRoleCredentials, ListAccounts,
// ListAccountRoles, Logout) on the session's endpoint, built on first use.
func (s *Session) Portal() *sso.Client { return s.portal() }

// OIDCEndpoint and PortalEndpoint are the base URLs the session's calls go
// to, for messages.
func (s *Session) OIDCEndpoint() string {
	return orDefault(s.sso.Endpoints.OIDC, "https://oidc."+s.sso.Region+".amazonaws.com")
}
func (s *Session) PortalEndpoint() string {
	return orDefault(s.sso.Endpoints.Portal, "https://portal.sso."+s.sso.Region+".amazonaws.com")
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

func baseEndpoint(url string) *string {
	if url == "" {
		return nil // the SDK resolves it, and reports why it cannot
	}
	return aws.String(url)
}

// sdkAttempts is the one retry policy of the session's clients: the SDK's
// standard retryer, with its jittered backoff and throttling handling, and
// a modest number of attempts so that failures are prompt.
const sdkAttempts = 3

func newRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = sdkAttempts })
}

// keepAlive gives a client on the default transport one that keeps a
// connection per account-listing worker open: the default keeps two per
// host, so more workers would open (and TLS-handshake) new connections all
// the time.
func keepAlive(hc *http.Client) *http.Client {
	if hc != nil && hc.Transport != nil {
		return hc
	}
	def, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return hc
	}
	tr := def.Clone()
	tr.MaxIdleConnsPerHost = 16
	c := http.Client{}
	if hc != nil {
		c = *hc
	}
	c.Transport = tr
	return &c
}

// IncompleteError means the session's configuration lacks a start URL or
// a region.
type IncompleteError struct{ What string }

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("SSO %s has no sso_start_url or sso_region", e.What)
}
