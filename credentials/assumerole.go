package credentials

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/login"
)

// AssumeRoleAPIClient is the one STS call a step of a role chain makes;
// *sts.Client satisfies it. Tests put a fake in AssumeRoleOptions.STS.
type AssumeRoleAPIClient interface {
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// AssumeRoleOptions configure an AssumeRoleProvider. Every field is
// optional.
type AssumeRoleOptions struct {
	// Options are the cache and the clock of every step, and of the SSO
	// role credentials at the chain's root, whose portal client is
	// Options.Client.
	Options
	// STS returns the client of a step's AssumeRole call, signing with
	// creds; nil means the session's STS client (login.Session.STS) for
	// the chain's STS region.
	STS func(creds aws.Credentials) AssumeRoleAPIClient
	// TokenProvider returns the current code of the MFA device serial, for
	// a step with mfa_serial that has nothing cached; nil means such a step
	// fails with *MFACodeRequiredError.
	TokenProvider func(serial string) (string, error)
}

// AssumeRoleProvider retrieves the credentials of an assume-role profile:
// the SSO role credentials at the root of its chain (a Provider), then one
// AssumeRole per step. Each step's credentials are cached in the AWS
// CLI's role-credential cache, under the CLI's name for them
// (AssumeRoleCacheFileName) and in its JSON, so the CLI and ssokit reuse
// each other's; concurrent callers, in this process or others, share one
// AssumeRole call per step. It is safe for concurrent use.
type AssumeRoleProvider struct {
	sess    *login.Session
	chain   config.Chain
	opts    AssumeRoleOptions
	root    *Provider
	entries []*entry // one per step
}

var _ aws.CredentialsProvider = (*AssumeRoleProvider)(nil)

// NewAssumeRole returns the provider of chain's credentials; sess is the
// session of the SSO profile at its root, built from chain.SSO. A chain of
// no steps gives the root's credentials.
func NewAssumeRole(sess *login.Session, chain config.Chain, optFns ...func(*AssumeRoleOptions)) *AssumeRoleProvider {
	o := AssumeRoleOptions{}
	for _, fn := range optFns {
		fn(&o)
	}
	o.setDefaults(sess)
	root := New(sess, func(ro *Options) { *ro = o.Options })
	p := &AssumeRoleProvider{sess: sess, chain: chain, opts: o, root: root}
	for _, step := range chain.Steps {
		p.entries = append(p.entries, o.entry(sess, AssumeRoleCacheFileName(step), step.Profile, arnAccount(step.RoleARN)))
	}
	return p
}

// Retrieve returns the credentials of the chain's last step with more
// than ReuseWindow left: from the cache when it has them, which is all a
// warm call reads; else assumed anew on top of the steps below, which come
// from the cache in turn when they can.
func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	return p.retrieve(ctx, len(p.chain.Steps)-1, "")
}

// retrieve returns step i's credentials (the root's for i < 0), not
// reusing cached ones with the access key id refused.
func (p *AssumeRoleProvider) retrieve(ctx context.Context, i int, refused string) (aws.Credentials, error) {
	if i < 0 {
		return p.root.retrieve(ctx, refused)
	}
	e := p.entries[i]
	if creds, ok := e.fresh(refused); ok {
		return creds, nil
	}
	// The source is got before this step's lock is taken, so that no
	// process holds two locks: chains sharing steps in another order
	// cannot deadlock. Its own entry makes concurrent callers share its
	// call, as this step's makes them share this one.
	source, err := p.retrieve(ctx, i-1, "")
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := e.get(ctx, refused, func(ctx context.Context) (aws.Credentials, []byte, error) {
		return p.assume(ctx, p.chain.Steps[i], source)
	})
	// Source credentials from the cache may have been revoked (or issued
	// by a service that has forgotten them): fetch them anew, once.
	var are *AssumeRoleError
	if errors.As(err, &are) && are.sourceRefused() {
		if source, err = p.retrieve(ctx, i-1, source.AccessKeyID); err != nil {
			return aws.Credentials{}, err
		}
		creds, err = e.get(ctx, refused, func(ctx context.Context) (aws.Credentials, []byte, error) {
			return p.assume(ctx, p.chain.Steps[i], source)
		})
	}
	return creds, err
}

// assume makes step's AssumeRole call with source's credentials and
// returns the new credentials and their cache entry.
func (p *AssumeRoleProvider) assume(ctx context.Context, step config.AssumeRole, source aws.Credentials) (aws.Credentials, []byte, error) {
	in := &sts.AssumeRoleInput{RoleArn: aws.String(step.RoleARN), RoleSessionName: aws.String(step.RoleSessionName)}
	if step.RoleSessionName == "" {
		// The AWS CLI's default, which its cache key leaves out.
		in.RoleSessionName = aws.String("botocore-session-" + strconv.FormatInt(p.opts.Now().Unix(), 10))
	}
	if step.DurationSeconds != 0 {
		in.DurationSeconds = aws.Int32(int32(step.DurationSeconds))
	}
	if step.ExternalID != "" {
		in.ExternalId = aws.String(step.ExternalID)
	}
	if step.MFASerial != "" {
		if p.opts.TokenProvider == nil {
			return aws.Credentials{}, nil, &MFACodeRequiredError{Profile: step.Profile, Serial: step.MFASerial, RoleARN: step.RoleARN}
		}
		code, err := p.opts.TokenProvider(step.MFASerial)
		if err != nil {
			return aws.Credentials{}, nil, err
		}
		in.SerialNumber, in.TokenCode = aws.String(step.MFASerial), aws.String(strings.TrimSpace(code))
	}
	out, err := p.client(source).AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, nil, p.stsError(step, err)
	}
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || c.Expiration == nil {
		return aws.Credentials{}, nil, &ServiceError{URL: p.stsURL(), STS: true, Err: errIncompleteResponse}
	}
	a := assumedRole{
		creds: aws.Credentials{
			AccessKeyID:     aws.ToString(c.AccessKeyId),
			SecretAccessKey: aws.ToString(c.SecretAccessKey),
			SessionToken:    aws.ToString(c.SessionToken),
			CanExpire:       true,
			// The cache keeps whole seconds, as for SSO entries.
			Expires:   c.Expiration.UTC().Truncate(time.Second),
			AccountID: arnAccount(step.RoleARN),
			Source:    Source,
		},
	}
	if u := out.AssumedRoleUser; u != nil {
		a.roleID, a.arn = aws.ToString(u.AssumedRoleId), aws.ToString(u.Arn)
		if account := arnAccount(a.arn); account != "" {
			a.creds.AccountID = account
		}
	}
	a.requestID, _ = middleware.GetRequestIDMetadata(out.ResultMetadata)
	return a.creds, marshalAssumeRoleCache(a), nil
}

// client is the STS client signing with creds.
func (p *AssumeRoleProvider) client(creds aws.Credentials) AssumeRoleAPIClient {
	if p.opts.STS != nil {
		return p.opts.STS(creds)
	}
	return p.sess.STS(staticCredentials{creds}, p.chain.STSRegion)
}

type staticCredentials struct{ creds aws.Credentials }

func (s staticCredentials) Retrieve(context.Context) (aws.Credentials, error) { return s.creds, nil }

// stsURL is STS's base URL for messages.
func (p *AssumeRoleProvider) stsURL() string {
	if u := p.sess.SSO().Endpoints.STS; u != "" {
		return u
	}
	return "https://sts." + p.chain.STSRegion + ".amazonaws.com"
}

// stsError turns an AssumeRole failure into the error a caller acts on:
// STS's refusals as *AssumeRoleError, throttling, server errors and an
// unreachable endpoint as *ServiceError.
func (p *AssumeRoleProvider) stsError(step config.AssumeRole, err error) error {
	for _, stop := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, stop) {
			return fmt.Errorf("profile %q: assume role %s at %s: %w", step.Profile, step.RoleARN, p.stsURL(), stop)
		}
	}
	var (
		apiErr  smithy.APIError
		respErr *awshttp.ResponseError
	)
	switch {
	case !errors.As(err, &apiErr):
		return &ServiceError{URL: p.stsURL(), STS: true, Err: err}
	case apiErr.ErrorCode() == "Throttling":
		return &ServiceError{URL: p.stsURL(), STS: true, Throttled: true, Err: err}
	case errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500:
		return &ServiceError{URL: p.stsURL(), STS: true, Err: err}
	}
	return &AssumeRoleError{Profile: step.Profile, RoleARN: step.RoleARN, Code: apiErr.ErrorCode(), Message: apiErr.ErrorMessage(), Err: err}
}

// arnAccount is the account field of an ARN; "" if it has none.
func arnAccount(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 || f[0] != "arn" {
		return ""
	}
	return f[4]
}
