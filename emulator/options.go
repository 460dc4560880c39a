package emulator

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/oidc"
	"github.com/ssokit/ssokit/emulator/storage"
)

// Defaults of Options.
const (
	DefaultAddr     = "127.0.0.1:4510"
	DefaultStartURL = "https://d-0123456789.awsapps.com/start"
	// DefaultRegion matches the AWS Toolkit's example configuration.
	DefaultRegion = "us-east-2"
)

// Options configure a Server. The zero value is a working emulator: the demo
// directory, an in-memory store, no faults.
type Options struct {
	// StartURL is the portal URL clients configure as sso_start_url. Keep
	// the AWS-owned shape (https://d-XXXXXXXXXX.awsapps.com/start) so the
	// AWS CLI uses it without a network lookup.
	StartURL string
	// Region is the SSO region clients configure as sso_region.
	Region string
	// Directory is the organisation; nil means directory.Demo().
	Directory *directory.Directory
	// Store keeps tokens and credentials; nil means a new in-memory store.
	// The caller closes a store it passes in.
	Store storage.Storage
	// Now is the clock of every component; nil means time.Now.
	Now func() time.Time
	// AutoApprove approves every device and PKCE authorization as this
	// user, with no pages. The user must exist in the directory.
	AutoApprove string
	// AccessTokenTTL is the lifetime of an access token that comes with a
	// refresh token (default 1h, as on the real service); it never
	// outlives the session.
	AccessTokenTTL time.Duration
	// SessionDuration is how long a sign-in lasts (default 8h, Identity
	// Center's default): refresh then fails with InvalidGrantException.
	// Access tokens issued without a refresh token (legacy, scope-less
	// registrations) live this long, and so does a browser's sign-in on
	// the pages.
	SessionDuration time.Duration
	// DeviceCodeTTL is how long a device authorization waits for approval
	// (default 10m).
	DeviceCodeTTL time.Duration
	// ClientTTL is how long a client registration lasts (default 90 days).
	ClientTTL time.Duration
	// TLS serves HTTPS (Serve, ListenAndServe, Launch) with a certificate
	// from a CA made at New; Server.CA has its PEM for AWS_CA_BUNDLE.
	TLS bool
	// TLSHosts are more host names or IP addresses the serving certificate
	// covers, besides 127.0.0.1, ::1 and localhost: e.g.
	// oidc.us-east-1.amazonaws.com when a proxy passes that name through.
	TLSHosts []string
	// Faults slow down or fail API requests so clients' retries can be
	// exercised. Web pages are never faulted.
	Faults Faults
	// Logger receives one line per API request at debug level and problems
	// at warn level; nil discards.
	Logger *slog.Logger
}

// Faults are deliberate misbehaviour of the API routes.
type Faults struct {
	// Latency is added to every API response, plus a uniformly random
	// extra of up to Jitter.
	Latency, Jitter time.Duration
	// ErrorRate is the fraction (0..1) of API requests answered with a 500
	// or 503 in the API's error shape.
	ErrorRate float64
	// RateLimit, when positive, is a token bucket of this many requests per
	// second (burst RateBurst, default the same number rounded up) across
	// all API routes; requests over it are throttled as each API's model
	// says: OIDC 400 SlowDownException, portal 429 TooManyRequestsException,
	// STS 400 Throttling. The real service allows about 20 per second.
	RateLimit float64
	RateBurst int
}

var startURLRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^https://[a-z0-9-]+(\.[a-z0-9-]+)+/start/?$`) })

func (o *Options) setDefaults() error {
	if o.StartURL == "" {
		o.StartURL = DefaultStartURL
	}
	if u, err := url.Parse(o.StartURL); err != nil || !startURLRE().MatchString(o.StartURL) || u.User != nil {
		return fmt.Errorf("start URL %q: want https://<host>/start, e.g. %s", o.StartURL, DefaultStartURL)
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if partitionOf(o.Region) == "" {
		return fmt.Errorf("region %q is not a region of any AWS partition (e.g. %s, cn-north-1, us-gov-west-1, eusc-de-east-1)", o.Region, DefaultRegion)
	}
	if o.Directory == nil {
		o.Directory = directory.Demo()
	}
	if err := o.Directory.Validate(); err != nil {
		return err
	}
	if o.AutoApprove != "" {
		if _, ok := o.Directory.User(o.AutoApprove); !ok {
			return fmt.Errorf("auto-approve user %q is not in the directory", o.AutoApprove)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	f := o.Faults
	switch {
	case f.Latency < 0 || f.Jitter < 0:
		return fmt.Errorf("latency and jitter cannot be negative (got %s and %s)", f.Latency, f.Jitter)
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return fmt.Errorf("error rate %v is outside 0..1", f.ErrorRate)
	case f.RateLimit < 0:
		return fmt.Errorf("rate limit %v cannot be negative", f.RateLimit)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"access token TTL", o.AccessTokenTTL}, {"session duration", o.SessionDuration}, {"device code TTL", o.DeviceCodeTTL}, {"client TTL", o.ClientTTL}} {
		if d.v < 0 {
			return fmt.Errorf("%s %s cannot be negative", d.name, d.v)
		}
	}
	if o.AccessTokenTTL == 0 {
		o.AccessTokenTTL = oidc.DefaultAccessTokenTTL
	}
	if o.SessionDuration == 0 {
		o.SessionDuration = oidc.DefaultSessionDuration
	}
	return nil
}
