package credentials

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/config"
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
	// entry is the profile's place in the role-credential cache.
	entry *entry
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
	o.setDefaults(sess)
	if o.Client == nil {
		o.Client = portalClient{sess}
	}
	s := sess.SSO()
	return &Provider{sess: sess, sso: s, opts: o, entry: o.entry(sess, CacheFileName(s), s.Profile, s.AccountID)}
}

func (o *Options) setDefaults(sess *login.Session) {
	if o.Now == nil {
		o.Now = sess.Now
	}
	if o.ReuseWindow <= 0 {
		o.ReuseWindow = DefaultReuseWindow
	}
	if o.CacheDir == "" {
		o.CacheDir = DefaultCacheDir(sess.Home())
	}
}

// entry returns the cache entry called name under o's settings, for
// profile; accountID fills in entries written without one.
func (o *Options) entry(sess *login.Session, name, profile, accountID string) *entry {
	return &entry{
		path: filepath.Join(o.CacheDir, name), off: o.NoCache, profile: profile, accountID: accountID,
		now: o.Now, window: o.ReuseWindow, warn: sess.Messages(), turn: make(chan struct{}, 1),
	}
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
	return p.retrieve(ctx, "")
}

// retrieve is Retrieve, except that cached credentials with the access key
// id refused are not reused: a service has just refused them.
func (p *Provider) retrieve(ctx context.Context, refused string) (aws.Credentials, error) {
	if !p.sso.HasRole() {
		return aws.Credentials{}, p.noRoleError()
	}
	// The hot path: a fresh entry is returned without the token, the lock
	// or any client.
	if creds, ok := p.entry.fresh(refused); ok {
		return creds, nil
	}
	return p.fetch(ctx, func(tok string) (aws.Credentials, error) {
		return p.entry.get(ctx, refused, func(ctx context.Context) (aws.Credentials, []byte, error) {
			creds, err := p.getRoleCredentials(ctx, tok)
			if err != nil {
				return aws.Credentials{}, nil, err
			}
			return creds, marshalCache(creds), nil
		})
	})
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

// portalURL is the portal's base URL for error messages.
func (p *Provider) portalURL() string { return p.sess.PortalEndpoint() }
