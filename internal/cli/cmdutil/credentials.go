package cmdutil

import (
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/login"
)

// Provider is the role-credentials provider of t: its token cache and
// endpoints, the role-credential cache shared with the AWS CLI, and f's HTTP
// client and clock. loginOpts (e.g. SignIn) apply after the target's own.
func (t *Target) Provider(f *Factory, loginOpts ...func(*login.Options)) *credentials.Provider {
	return credentials.New(t.SSO, t.CredentialsOptions(f, loginOpts...))
}

// CredentialsOptions are the options Provider uses, for callers that add
// their own.
func (t *Target) CredentialsOptions(f *Factory, loginOpts ...func(*login.Options)) func(*credentials.Options) {
	return func(o *credentials.Options) {
		o.Login = append([]func(*login.Options){t.LoginOptions(f)}, loginOpts...)
		o.HTTPClient = f.HTTPClient
		o.PortalEndpoint = t.PortalEndpoint
		o.CacheDir = credentials.DefaultCacheDir(t.Home)
		o.Now = f.Now
	}
}
