package cmdutil

import (
	"errors"
	"fmt"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// LoadConfig loads the two shared files named by the environment, or the
// ones in the home folder.
func LoadConfig(f *Factory) (*config.Config, config.Paths, error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, config.Paths{}, fmt.Errorf("find your home folder: %w", err)
	}
	paths := config.DefaultPaths(f.Getenv, home)
	cfg, err := config.Load(paths)
	if err != nil {
		return nil, paths, err
	}
	return cfg, paths, nil
}

// Target is one SSO session a command works on, with everything needed to
// reach the services.
type Target struct {
	// Profile is the profile chosen, "" when the command named an sso-session.
	Profile        string
	SSO            config.SSO
	OIDCEndpoint   string
	PortalEndpoint string
	STSEndpoint    string
	Home           string
}

// ResolveTarget picks the profile (flag, then AWS_PROFILE, AWS_DEFAULT_PROFILE,
// default) or the named sso-session, resolves its SSO settings and the
// service endpoints (AWS_ENDPOINT_URL_* and the config's overrides).
func ResolveTarget(f *Factory, cfg *config.Config, profileFlag, sessionFlag string) (*Target, error) {
	if profileFlag != "" && sessionFlag != "" {
		return nil, FlagErrorf("--profile and --sso-session cannot be used together: choose one")
	}
	home, err := f.HomeDir()
	if err != nil {
		return nil, fmt.Errorf("find your home folder: %w", err)
	}
	t := &Target{Home: home}
	if sessionFlag != "" {
		if t.SSO, err = cfg.ResolveSSOSession(sessionFlag); err != nil {
			return nil, usageError(err)
		}
	} else {
		t.Profile = config.SelectProfile(profileFlag, f.Getenv)
		if t.SSO, err = cfg.ResolveSSO(t.Profile); err != nil {
			return nil, usageError(err)
		}
	}
	t.OIDCEndpoint = cfg.EndpointURL(t.Profile, "sso-oidc", f.Getenv)
	t.PortalEndpoint = cfg.EndpointURL(t.Profile, "sso", f.Getenv)
	t.STSEndpoint = cfg.EndpointURL(t.Profile, "sts", f.Getenv)
	return t, nil
}

// usageError marks naming a profile or sso-session that does not exist, or
// a profile that is not an SSO profile, as a usage mistake (exit code 2);
// other configuration errors stay as they are.
func usageError(err error) error {
	var notFound *config.ProfileNotFoundError
	var notSSO *config.NotSSOProfileError
	var noSession *config.SSOSessionNotFoundError
	if errors.As(err, &notFound) || errors.As(err, &notSSO) || errors.As(err, &noSession) {
		return &FlagError{Err: err}
	}
	return err
}

// TokenCache is the SSO token cache under the target's home folder; files it
// cannot read are reported on stderr and treated as absent.
func (t *Target) TokenCache(f *Factory) *tokencache.Cache {
	return tokencache.New(tokencache.DefaultDir(t.Home), func(o *tokencache.Options) {
		o.Now = f.Now
		o.Warn = func(format string, args ...any) {
			f.IOStreams.Printf("warning: "+format+"\n", args...)
		}
	})
}

// LoginOptions sets the login options for t: cache, endpoints, HTTP client,
// clock, browser, and stderr for messages.
func (t *Target) LoginOptions(f *Factory) func(*login.Options) {
	cache := t.TokenCache(f)
	return func(o *login.Options) {
		o.Cache = cache
		o.HTTPClient = f.HTTPClient
		o.OIDCEndpoint = t.OIDCEndpoint
		o.PortalEndpoint = t.PortalEndpoint
		o.Browser = f.Browser
		o.Messages = f.IOStreams.ErrOut
		o.Now = f.Now
	}
}
