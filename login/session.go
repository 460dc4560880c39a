package login

import (
	cryptotls "crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/tokencache"
)

// Session is one SSO session (an sso-session, or the start URL of a legacy
// profile) as a program uses it: its token in the cache the AWS CLI
// shares, and the OIDC and portal clients, built once on first use with
// one retry policy and the endpoints config resolved. It is safe for
// concurrent use, also by several processes sharing the cache.
type Session struct {
	o   Options
	key string
	// configuredRegion is sso_region as configured, which names the cached
	// client registration.
	configuredRegion string
	// keyring: the session's refresh token and client registration live in
	// the OS keyring (config.SSO.TokenStorage), not in the files.
	keyring bool
	// err is a problem found by NewSession (no home folder, no start URL),
	// returned by every method that needs what is missing.
	err error
	// http is the HTTP client of every call, built on the first call: the
	// CA bundle is read then, never on a path that makes no call.
	http func() (*http.Client, error)

	mu sync.Mutex
	// sso changes once at most: when the start URL resolves to a portal in
	// another region than sso_region (ResolveStartURL).
	sso      config.SSO
	oidc     OIDCClient
	portal   *sso.Client
	start    *StartURL
	startErr error
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
	o.warned = new(sync.Map)
	sess := &Session{sso: s, key: s.CacheKey(), configuredRegion: s.Region,
		keyring: s.SessionName != "" && s.TokenStorage == config.TokenStorageKeyring}
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
			co.Keyring = o.Keyring
		})
	}
	sess.o = o
	sess.http = sync.OnceValues(func() (*http.Client, error) { return buildHTTPClient(o.HTTPClient, s.CABundle) })
	return sess
}

// client is the OIDC client for the session's current region.
func (s *Session) client() OIDCClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oidc == nil {
		if s.o.OIDCClient != nil {
			s.oidc = s.o.OIDCClient
		} else {
			s.oidc = ssooidc.New(ssooidc.Options{
				Region:       s.sso.Region,
				Credentials:  aws.AnonymousCredentials{},
				BaseEndpoint: baseEndpoint(s.sso.Endpoints.OIDC),
				HTTPClient:   lazyHTTP(s.http),
				Retryer:      newRetryer(),
			})
		}
	}
	return s.oidc
}

// Portal is the SSO portal client (GetRoleCredentials, ListAccounts,
// ListAccountRoles, Logout) on the session's endpoint, built on first use.
func (s *Session) Portal() *sso.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.portal == nil {
		s.portal = sso.New(sso.Options{
			Region:       s.sso.Region,
			Credentials:  aws.AnonymousCredentials{},
			BaseEndpoint: baseEndpoint(s.sso.Endpoints.Portal),
			HTTPClient:   lazyHTTP(s.http),
			Retryer:      newRetryer(),
		})
	}
	return s.portal
}

// STS returns an STS client that signs with creds for region, at the
// session's STS endpoint (config.Endpoints.STS; the SDK's own for region
// when that is ""), on the session's HTTP client and retry policy: the
// client of a role chain's AssumeRole calls.
func (s *Session) STS(creds aws.CredentialsProvider, region string) *sts.Client {
	return sts.New(sts.Options{
		Region:       region,
		Credentials:  creds,
		BaseEndpoint: baseEndpoint(s.SSO().Endpoints.STS),
		HTTPClient:   lazyHTTP(s.http),
		Retryer:      newRetryer(),
	})
}

// HTTPClient is the client the session's calls go through: the one given
// in Options (or the default) with a keep-alive pool for concurrent
// listing, and the CA bundle when one is configured. Reading the bundle
// can fail; the error names the file.
func (s *Session) HTTPClient() (*http.Client, error) { return s.http() }

// lazyHTTP hands the SDK clients the session's HTTP client on their first
// request, so that building a client reads no file.
type lazyHTTP func() (*http.Client, error)

func (l lazyHTTP) Do(r *http.Request) (*http.Response, error) {
	c, err := l()
	if err != nil {
		return nil, err
	}
	return c.Do(r)
}

// SSO is the configuration the session was built from, with the region
// and endpoints of the portal its start URL resolved to, once it has.
func (s *Session) SSO() config.SSO {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sso
}

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

// buildHTTPClient is base (nil: a default client) on a transport of its
// own: a keep-alive pool large enough for the account-listing workers (the
// default keeps two connections per host, so more workers would open and
// TLS-handshake new ones all the time), trusting the certificates in
// caBundle instead of the system's when one is given, as the SDKs do.
func buildHTTPClient(base *http.Client, caBundle string) (*http.Client, error) {
	c := http.Client{}
	if base != nil {
		c = *base
	}
	var tr *http.Transport
	switch t := c.Transport.(type) {
	case nil:
		def, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			return &c, nil
		}
		tr = def.Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		if caBundle != "" {
			return nil, fmt.Errorf("use the CA bundle %s: the HTTP client's transport (%T) takes no certificates", caBundle, t)
		}
		return &c, nil
	}
	tr.MaxIdleConnsPerHost = 16
	if caBundle != "" {
		pem, err := os.ReadFile(caBundle)
		if err != nil {
			return nil, fmt.Errorf("read the CA bundle (AWS_CA_BUNDLE or ca_bundle): %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA bundle %s (AWS_CA_BUNDLE or ca_bundle) holds no PEM certificate", caBundle)
		}
		tls := tr.TLSClientConfig.Clone()
		if tls == nil {
			tls = &cryptotls.Config{}
		}
		tls.RootCAs = pool
		tr.TLSClientConfig = tls
	}
	c.Transport = tr
	return &c, nil
}

// IncompleteError means the session's configuration lacks a start URL or
// a region.
type IncompleteError struct{ What string }

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("SSO %s has no sso_start_url or sso_region", e.What)
}
