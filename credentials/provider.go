package credentials

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/login"
)

// Source is aws.Credentials.Source for credentials this package returns.
const Source = "ssokit"

// DefaultReuseWindow is how much lifetime cached role credentials must have
// left to be handed out again, the AWS CLI's figure. Callers such as botocore
// fetch new credentials when less than 15 minutes remain, so handing out
// shorter-lived ones would only make them come straight back.
const DefaultReuseWindow = 15 * time.Minute

// GetRoleCredentialsAPIClient is the one portal call a Provider makes;
// *sso.Client satisfies it. Tests put a fake in Options.Client.
type GetRoleCredentialsAPIClient interface {
	GetRoleCredentials(ctx context.Context, in *sso.GetRoleCredentialsInput, optFns ...func(*sso.Options)) (*sso.GetRoleCredentialsOutput, error)
}

// Options configure a Provider. Every field is optional.
type Options struct {
	// Client makes the GetRoleCredentials call; nil means the session's
	// portal client (login.Session.Portal).
	Client GetRoleCredentialsAPIClient
	// CacheDir is the role-credential cache shared with the AWS CLI; ""
	// means DefaultCacheDir of the session's home folder.
	CacheDir string
	// NoCache turns the role-credential cache off: every Retrieve calls the
	// portal.
	NoCache bool
	// Now is the clock; nil means the session's.
	Now func() time.Time
	// ReuseWindow: cached role credentials are reused while more than this
	// remains; 0 means DefaultReuseWindow.
	ReuseWindow time.Duration
}

// Provider retrieves role credentials for one SSO profile. It is safe for
// concurrent use, also by several processes sharing the cache.
type Provider struct {
	sess *login.Session
	sso  config.SSO
	opts Options

	// turn makes goroutines of one process queue before the file lock,
	// which is taken by polling and would otherwise add latency; a channel
	// rather than a mutex so that waiting honours the context.
	turn chan struct{}
}

var _ aws.CredentialsProvider = (*Provider)(nil)

// New returns a Provider for the role of sess's profile
// (config.SSO.AccountID and RoleName): its access tokens come from sess,
// which signs in when the session was built with login.Options.SignIn.
func New(sess *login.Session, optFns ...func(*Options)) *Provider {
	o := Options{}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Now == nil {
		o.Now = sess.Now
	}
	if o.ReuseWindow <= 0 {
		o.ReuseWindow = DefaultReuseWindow
	}
	if o.Client == nil {
		o.Client = portalClient{sess}
	}
	return &Provider{sess: sess, sso: sess.SSO(), opts: o, turn: make(chan struct{}, 1)}
}

// portalClient builds the session's portal client on the first call, so
// that a cache hit never pays for it.
type portalClient struct{ sess *login.Session }

func (c portalClient) GetRoleCredentials(ctx context.Context, in *sso.GetRoleCredentialsInput, optFns ...func(*sso.Options)) (*sso.GetRoleCredentialsOutput, error) {
	return c.sess.Portal().GetRoleCredentials(ctx, in, optFns...)
}

// CacheFileName is the name of sso's entry in the role-credential cache,
// the one the AWS CLI uses (spec section 7).
func CacheFileName(sso config.SSO) string {
	return cacheFileName(sso.AccountID, sso.RoleName, sso.SessionName, sso.StartURL)
}

// Retrieve returns role credentials with more than ReuseWindow left, from
// the cache when it has them, else from the portal.
//
// The access token is got before the cache entry's lock is taken, so the
// lock is held only for the portal call, never while someone signs in: a
// caller that cannot sign in is not kept waiting behind one that does.
func (p *Provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if !p.sso.HasRole() {
		return aws.Credentials{}, p.noRoleError()
	}
	if p.opts.NoCache {
		return p.fetch(ctx, func(tok string) (aws.Credentials, error) { return p.getRoleCredentials(ctx, tok) })
	}
	path := p.cachePath()
	// The hot path: a fresh entry is returned without touching the token,
	// the lock or any client.
	if creds, ok := p.fresh(path); ok {
		return creds, nil
	}
	return p.fetch(ctx, func(tok string) (aws.Credentials, error) { return p.fetchCached(ctx, path, tok) })
}

// fetchCached asks the portal with the access token tok, under the cache
// entry's lock, unless another caller did while this one waited for it;
// and caches the answer.
func (p *Provider) fetchCached(ctx context.Context, path, tok string) (aws.Credentials, error) {
	select {
	case p.turn <- struct{}{}:
		defer func() { <-p.turn }()
	case <-ctx.Done():
		return aws.Credentials{}, p.waitError(ctx)
	}
	lockCtx, cancel := context.WithTimeout(ctx, cacheLockWait)
	unlock, err := fileutil.Lock(lockCtx, path)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return aws.Credentials{}, p.waitError(ctx)
		}
		// A cache folder that cannot be created or locked (read-only home,
		// a file in the way, a holder that hangs) must not stand between
		// the user and working credentials: go without the cache, and say
		// so.
		fmt.Fprintf(p.messages(), "warning: role credentials not cached: %v\n", err)
		return p.getRoleCredentials(ctx, tok)
	}
	defer unlock()
	// Another process may have fetched while this one waited.
	if creds, ok := p.fresh(path); ok {
		return creds, nil
	}
	creds, err := p.getRoleCredentials(ctx, tok)
	if err != nil {
		return aws.Credentials{}, err
	}
	if err := writeCache(path, creds); err != nil {
		// The credentials are good; failing to cache them only costs the
		// next caller a portal call, so say so and carry on.
		fmt.Fprintf(p.messages(), "warning: %v\n", err)
	}
	return creds, nil
}

// cacheLockWait bounds the wait for another caller's portal call: longer
// than the retry policy lets one take.
const cacheLockWait = time.Minute

// waitError is the error of a caller whose context ended while another
// caller was fetching.
func (p *Provider) waitError(ctx context.Context) error {
	return fmt.Errorf("profile %q: wait for the role-credential cache: %w", p.sso.Profile, ctx.Err())
}

// cachePath is where the profile's entry lives.
func (p *Provider) cachePath() string {
	dir := p.opts.CacheDir
	if dir == "" {
		dir = DefaultCacheDir(p.sess.Home())
	}
	return filepath.Join(dir, CacheFileName(p.sso))
}

// fresh returns the cached entry at path if it has more than ReuseWindow
// left.
func (p *Provider) fresh(path string) (aws.Credentials, bool) {
	creds, ok := readCache(path)
	if !ok || creds.Expires.Sub(p.opts.Now()) <= p.opts.ReuseWindow {
		return aws.Credentials{}, false
	}
	if creds.AccountID == "" {
		creds.AccountID = p.sso.AccountID
	}
	return creds, true
}

// fetch gets a token and calls get with it. When the portal rejects a
// token that looked valid (signed out elsewhere, revoked) and the caller
// asked for browser sign-in, it signs in anew and tries once more.
func (p *Provider) fetch(ctx context.Context, get func(accessToken string) (aws.Credentials, error)) (aws.Credentials, error) {
	tok, err := p.sess.Token(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := get(tok.AccessToken)
	var rejected *TokenRejectedError
	if !errors.As(err, &rejected) || !p.sess.SignsIn() {
		return creds, err
	}
	if tok, err = p.sess.Login(ctx); err != nil {
		return aws.Credentials{}, err
	}
	return get(tok.AccessToken)
}

// getRoleCredentials makes the one portal call.
func (p *Provider) getRoleCredentials(ctx context.Context, accessToken string) (aws.Credentials, error) {
	out, err := p.opts.Client.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(accessToken),
		AccountId:   aws.String(p.sso.AccountID),
		RoleName:    aws.String(p.sso.RoleName),
	})
	if err != nil {
		return aws.Credentials{}, p.portalError(err)
	}
	rc := out.RoleCredentials
	if rc == nil || aws.ToString(rc.AccessKeyId) == "" || aws.ToString(rc.SecretAccessKey) == "" || rc.Expiration == 0 {
		return aws.Credentials{}, &ServiceError{URL: p.portalURL(), Err: errIncompleteResponse}
	}
	return aws.Credentials{
		AccessKeyID:     aws.ToString(rc.AccessKeyId),
		SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken:    aws.ToString(rc.SessionToken),
		CanExpire:       true,
		// The cache keeps whole seconds; dropping the milliseconds here too
		// makes a fresh and a cached answer identical.
		Expires:   time.UnixMilli(rc.Expiration).UTC().Truncate(time.Second),
		AccountID: p.sso.AccountID,
		Source:    Source,
	}, nil
}

// messages is where warnings go: the session's messages.
func (p *Provider) messages() io.Writer { return p.sess.Messages() }

// portalURL is the portal's base URL for error messages.
func (p *Provider) portalURL() string { return p.sess.PortalEndpoint() }
