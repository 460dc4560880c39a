package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Config loads the two shared files named by the environment, or the ones
// in the home folder.
func (f *Factory) Config() (*config.Config, error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, fmt.Errorf("find your home folder: %w", err)
	}
	return config.Load(config.DefaultPaths(f.Getenv, home))
}

// ResolveSSO loads the files and resolves the profile (the flag, then
// AWS_PROFILE, AWS_DEFAULT_PROFILE, default) or, when sessionFlag is set,
// that sso-session, with the endpoints of the profile and the environment.
// An assume-role profile resolves to the SSO profile its chain starts from.
// A profile or sso-session that does not exist, or a profile that is not
// an SSO profile, is a usage mistake (*FlagError).
//
// When nothing names a profile (no flag, neither variable) and the default
// profile leads to no SSO session (it does not exist, or it is not an SSO
// profile and its role chain, if any, does not start from one), the config
// file's only [sso-session] is used, as OnlySSOSession says on stderr; with
// several, the error lists them. A named profile is never replaced.
func (f *Factory) ResolveSSO(profileFlag, sessionFlag string) (config.SSO, error) {
	if profileFlag != "" && sessionFlag != "" {
		return config.SSO{}, FlagErrorf("--profile and --sso-session cannot be used together: choose one")
	}
	cfg, err := f.Config()
	if err != nil {
		return config.SSO{}, err
	}
	profile, source := config.SelectProfileSource(profileFlag, f.Getenv)
	var sso config.SSO
	var notSSO *config.NotSSOProfileError
	switch {
	case sessionFlag != "":
		sso, err = cfg.ResolveSSOSession(sessionFlag, profile, f.Getenv)
	default:
		sso, err = cfg.ResolveSSO(profile, f.Getenv)
		if errors.As(err, &notSSO) && notSSO.Kind == config.KindAssumeRole {
			// An assume-role profile signs in, lists and signs out
			// through the SSO profile its chain starts from.
			var chain config.Chain
			if chain, err = cfg.ResolveChain(profile, f.Getenv); err == nil {
				sso = chain.SSO
			}
		}
		if source == config.SourceDefault && defaultNotSSO(err) {
			name, onlyErr := f.OnlySSOSession(cfg)
			switch {
			case onlyErr == nil:
				sso, err = cfg.ResolveSSOSession(name, profile, f.Getenv)
			case len(cfg.SSOSessionNames()) > 1:
				// The source goes in first: Errorf spells err out now.
				err = fmt.Errorf("%w; %w", withSource(err, source), onlyErr)
			}
		}
	}
	return sso, usageError(withSource(err, source))
}

// defaultNotSSO tells whether err says that the default profile does not
// lead to an SSO session: it is not defined, or it is defined without SSO
// settings and without a role chain starting from them. An SSO profile
// that is broken is not such a case: its own error stands.
func defaultNotSSO(err error) bool {
	var notFound *config.ProfileNotFoundError
	var notSSO *config.NotSSOProfileError
	var unsupported *config.UnsupportedSourceError
	switch {
	case errors.As(err, &notFound):
		return notFound.Profile == config.DefaultProfile
	case errors.As(err, &notSSO):
		return notSSO.Profile == config.DefaultProfile
	case errors.As(err, &unsupported):
		return unsupported.Profile == config.DefaultProfile
	}
	return false
}

// OnlySSOSession is the name of the config file's only [sso-session], for
// a command that acts for one when nothing names it; it says on stderr
// which one it uses. With none or several, the error (a *FlagError) says
// so, listing them, and names the flag that chooses.
func (f *Factory) OnlySSOSession(cfg *config.Config) (string, error) {
	names := cfg.SSOSessionNames()
	switch len(names) {
	case 1:
		f.IOStreams.ErrPrintf("Using sso-session %q, the only one in %s.\n", names[0], cfg.Paths().Config)
		return names[0], nil
	case 0:
		return "", FlagErrorf("%s has no [sso-session] section: add one with `ssokit configure sso`", cfg.Paths().Config)
	}
	return "", FlagErrorf("%s has %d sso-sessions (%s): choose one with --sso-session", cfg.Paths().Config, len(names), strings.Join(names, ", "))
}

// withSource says in err where the profile's name came from, when err is
// about that profile: a variable set long ago is easy to forget.
func withSource(err error, source config.ProfileSource) error {
	var notFound *config.ProfileNotFoundError
	var notSSO *config.NotSSOProfileError
	switch {
	case errors.As(err, &notFound):
		notFound.Source = source
	case errors.As(err, &notSSO):
		notSSO.Source = source
	}
	return err
}

// usageError marks a MisnamedError as a usage mistake (exit code 2);
// other configuration errors stay as they are.
func usageError(err error) error {
	if MisnamedError(err) {
		return &FlagError{Err: err}
	}
	return err
}

// MisnamedError tells whether err is about the profile or sso-session a
// command was pointed at, not about how its flags were written: one that
// does not exist, a profile that is not an SSO profile, or one whose role
// chain starts from other credentials. Such a mistake is a usage error
// whose fix is another name, so the command's --help is not offered.
func MisnamedError(err error) bool {
	var notFound *config.ProfileNotFoundError
	var notSSO *config.NotSSOProfileError
	var noSession *config.SSOSessionNotFoundError
	var unsupported *config.UnsupportedSourceError
	return errors.As(err, &notFound) || errors.As(err, &notSSO) || errors.As(err, &noSession) || errors.As(err, &unsupported)
}

// Session resolves the profile or sso-session the flags name (ResolveSSO)
// and returns its login session (NewSession).
func (f *Factory) Session(profileFlag, sessionFlag string, optFns ...func(*login.Options)) (*login.Session, error) {
	sso, err := f.ResolveSSO(profileFlag, sessionFlag)
	if err != nil {
		return nil, err
	}
	return f.NewSession(sso, optFns...)
}

// NewSession returns the login session of sso with f's side effects: the
// token cache under f's home folder, its HTTP client, clock and browser,
// and stderr for what the person must see. optFns apply after those. The
// browser is opened through f.OpenBrowser, like every command's.
func (f *Factory) NewSession(sso config.SSO, optFns ...func(*login.Options)) (*login.Session, error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, fmt.Errorf("find your home folder: %w", err)
	}
	return login.NewSession(sso, append([]func(*login.Options){func(o *login.Options) {
		o.Home = home
		o.HTTPClient = f.HTTPClient
		if f.Browser != nil {
			o.Browser = opener(f.OpenBrowser)
		}
		o.Messages = f.IOStreams.ErrOut
		o.Now = f.Now
		o.Keyring = f.Keyring
	}}, optFns...)...), nil
}

// TokenCache is the SSO token cache in the user's home folder, on the
// Factory's clock and keyring, with its warnings on stderr. warn is
// returned too, for the listings that take one.
func (f *Factory) TokenCache() (*tokencache.Cache, func(string, ...any), error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, nil, fmt.Errorf("find your home folder: %w", err)
	}
	warn := func(format string, args ...any) { f.IOStreams.ErrPrintf("warning: "+format+"\n", args...) }
	return tokencache.New(tokencache.DefaultDir(home), func(o *tokencache.Options) {
		o.Now = f.Now
		o.Warn = warn
		o.Keyring = f.Keyring
	}), warn, nil
}
