package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ssokit/ssokit/internal/redact"
)

// SSO is everything needed to sign in through IAM Identity Center and get
// one role's credentials.
type SSO struct {
	Profile       string   // profile name ("" when resolved from a session)
	SessionName   string   // "" for legacy profiles
	StartURL      string   // sso_start_url
	Region        string   // sso_region
	Scopes        []string // sso_registration_scopes split on ',' and trimmed; nil when not set, empty when set empty
	AccountID     string   // sso_account_id; "" for a sign-in-only profile
	RoleName      string   // sso_role_name; "" for a sign-in-only profile
	ProfileRegion string   // the profile's region, "" if none
	// Endpoints are where the session's services are, overrides included.
	Endpoints Endpoints
	// CABundle is the file of certificates that HTTPS connections must
	// chain to instead of the system's (AWS_CA_BUNDLE, else the profile's
	// ca_bundle, with ~ and variables expanded); "" for the system's.
	CABundle string
	// UseDeviceCode is the sso-session's ssokit_use_device_code: always
	// sign in with the device code flow.
	UseDeviceCode bool
	// CallbackPort is the sso-session's ssokit_callback_port: the fixed
	// loopback port of the browser sign-in, for SSH port forwarding; 0 for
	// any free port.
	CallbackPort int
	// TokenStorage is where the session's long-lived secrets (refresh
	// token, client secret) live: TokenStorageKeyring, or "" for the AWS
	// CLI's files. It comes from ssokit_token_storage in the [sso-session]
	// section, else SSOKIT_TOKEN_STORAGE. Legacy profiles (no sso-session)
	// always use the files: their tokens cannot be refreshed, so there is
	// no refresh token to protect.
	TokenStorage string
}

// CacheKey is what the token cache file is named after (SSO-PROTOCOL.md
// §4.1): the session name, or the start URL exactly as written for legacy
// profiles.
func (s SSO) CacheKey() string {
	if s.SessionName != "" {
		return s.SessionName
	}
	return s.StartURL
}

// HasRole reports whether an account and a role are set, which is what
// getting role credentials needs. A profile with neither (only
// sso_session, or only sso_start_url and sso_region) is enough to sign in,
// as `aws sso login` accepts it, but names no role.
func (s SSO) HasRole() bool { return s.AccountID != "" && s.RoleName != "" }

// ResolveSSO resolves an SSO profile, legacy (sso_start_url and sso_region
// in the profile) or through sso_session, and validates it as botocore's SSO
// provider does (SSO-PROTOCOL.md §5.5):
//   - the sso-session must exist, and a key set in both the profile and the
//     session must have the same value there;
//   - sso_start_url and sso_region must be set and not empty;
//   - sso_account_id and sso_role_name must both be set when either is (a
//     profile with neither is a sign-in-only profile, see SSO.HasRole).
//
// The endpoints come from the profile and the environment read through
// getenv (nil: no environment), as Config.Endpoints resolves them.
//
// Errors: *ProfileNotFoundError, *NotSSOProfileError when the profile has no
// SSO key at all, and *ValidationError naming the file and line.
func (c *Config) ResolveSSO(profile string, getenv func(string) string) (SSO, error) {
	s, err := c.resolveSSO(profile)
	if err != nil {
		return SSO{}, err
	}
	s.Endpoints = c.Endpoints(profile, s.Region, getenv)
	s.CABundle = c.caBundle(profile, getenv)
	if s.TokenStorage, err = c.tokenStorage(s, getenv); err != nil {
		return SSO{}, err
	}
	return s, nil
}

func (c *Config) resolveSSO(profile string) (SSO, error) {
	p, err := c.Profile(profile)
	if err != nil {
		if nf, ok := err.(*ProfileNotFoundError); ok {
			nf.Similar = c.SimilarProfiles(profile)
		}
		return SSO{}, err
	}
	isSSO := false
	for _, k := range ssoProfileKeys {
		isSSO = isSSO || p.has(k)
	}
	if !isSSO {
		return SSO{}, &NotSSOProfileError{Profile: profile, Location: p.header, Kind: p.Kind}
	}

	// view is the profile's keys with the session's copied in, as botocore
	// merges them; each value keeps the line it came from.
	view := map[string]keyVal{}
	for _, e := range p.keys.entries {
		view[e.key] = e.keyVal
	}
	var sess *group
	sessionName, hasSession := p.Get(KeySSOSession)
	if hasSession {
		loc, _ := p.KeyLocation(KeySSOSession)
		if sessionName == "" {
			return SSO{}, c.invalid(profile, loc,
				fmt.Sprintf("profile %s has an empty sso_session", redact.Quote(profile)),
				fmt.Sprintf("set sso_session to the name of an [sso-session NAME] section in %s, or remove the line", c.paths.Config))
		}
		sess = c.sessions[sessionName]
		if sess == nil {
			return SSO{}, c.invalid(profile, loc,
				fmt.Sprintf("the specified sso-session does not exist: %s (profile %s names it, but %s has no [sso-session %s] section)", redact.Quote(sessionName), redact.Quote(profile), c.paths.Config, redact.Cut(shellQuote(sessionName))),
				fmt.Sprintf("add [sso-session %s] with sso_start_url and sso_region to %s, or correct sso_session", shellQuote(sessionName), c.paths.Config))
		}
		for _, e := range sess.keys.entries {
			k, skv := e.key, e.keyVal
			if pkv, ok := p.keys.lookup(k); ok && pkv.value != skv.value {
				return SSO{}, c.invalid(profile, pkv.loc,
					fmt.Sprintf("the value for %s is inconsistent between profile %s (%s) and sso-session %s (%s, at %s)", k, redact.Quote(profile), redact.Cut(pkv.value), redact.Quote(sessionName), redact.Cut(skv.value), skv.loc),
					fmt.Sprintf("remove %s from profile %s so the sso-session's value is used, or make the two equal", k, redact.Quote(profile)))
			}
			view[k] = skv
		}
	}

	required := []string{KeySSOStartURL, KeySSORegion}
	if _, ok := view[KeySSOAccountID]; ok {
		required = []string{KeySSORoleName, KeySSOAccountID, KeySSOStartURL, KeySSORegion}
	} else if _, ok := view[KeySSORoleName]; ok {
		required = []string{KeySSORoleName, KeySSOAccountID, KeySSOStartURL, KeySSORegion}
	}
	var missing, inProfile, inSession []string
	loc := Location{}
	for _, k := range required {
		kv, ok := view[k]
		if ok && kv.value != "" {
			continue
		}
		missing = append(missing, k)
		if ok && loc.Line == 0 {
			loc = kv.loc // point at the empty key itself
		}
		if sess != nil && (k == KeySSOStartURL || k == KeySSORegion) {
			inSession = append(inSession, k)
		} else {
			inProfile = append(inProfile, k)
		}
	}
	if len(missing) > 0 {
		if loc.Line == 0 {
			loc = p.header
			if len(inProfile) == 0 {
				loc = sess.loc
			}
		}
		var where []string
		if len(inProfile) > 0 {
			where = append(where, fmt.Sprintf("%s in [%s] (%s)", strings.Join(inProfile, " and "), redact.Cut(p.title), p.header.File))
		}
		if len(inSession) > 0 {
			where = append(where, fmt.Sprintf("%s in [%s] (%s)", strings.Join(inSession, " and "), redact.Cut(sess.header), sess.loc.File))
		}
		return SSO{}, c.invalid(profile, loc,
			fmt.Sprintf("profile %s is configured to use SSO but is missing required configuration: %s", redact.Quote(profile), strings.Join(missing, ", ")),
			"set "+strings.Join(where, ", and "))
	}

	s := SSO{
		Profile:       profile,
		StartURL:      view[KeySSOStartURL].value,
		Region:        view[KeySSORegion].value,
		AccountID:     view[KeySSOAccountID].value,
		RoleName:      view[KeySSORoleName].value,
		ProfileRegion: view[KeyRegion].value,
	}
	if sess != nil {
		s.SessionName = sessionName
		kv, ok := view[KeySSORegistrationScopes]
		s.Scopes = configuredScopes(kv.value, ok)
		if err := c.sessionSettings(profile, sessionName, sess, &s); err != nil {
			return SSO{}, err
		}
	}
	return s, nil
}

// ResolveSSOSession resolves an [sso-session NAME] section on its own;
// AccountID and RoleName are empty. The endpoints are those of profile, the
// active profile (it may not exist), and of the environment, as the AWS CLI
// resolves them for `aws sso login --sso-session`. Errors:
// *SSOSessionNotFoundError and *ValidationError.
func (c *Config) ResolveSSOSession(name, profile string, getenv func(string) string) (SSO, error) {
	s, err := c.resolveSSOSession(name)
	if err != nil {
		return SSO{}, err
	}
	s.Endpoints = c.Endpoints(profile, s.Region, getenv)
	s.CABundle = c.caBundle(profile, getenv)
	if s.TokenStorage, err = c.tokenStorage(s, getenv); err != nil {
		return SSO{}, err
	}
	return s, nil
}

func (c *Config) resolveSSOSession(name string) (SSO, error) {
	g := c.sessions[name]
	if g == nil {
		return SSO{}, &SSOSessionNotFoundError{Session: name, Path: c.paths.Config}
	}
	var missing []string
	loc := g.loc
	for _, k := range []string{KeySSOStartURL, KeySSORegion} {
		if kv, ok := g.keys.lookup(k); !ok || kv.value == "" {
			missing = append(missing, k)
			if ok && loc == g.loc {
				loc = kv.loc
			}
		}
	}
	if len(missing) > 0 {
		return SSO{}, c.invalid(name, loc,
			fmt.Sprintf("sso-session %s is missing required configuration: %s", redact.Quote(name), strings.Join(missing, ", ")),
			fmt.Sprintf("set %s in [%s]", strings.Join(missing, " and "), redact.Cut(g.header)))
	}
	start, _ := g.get(KeySSOStartURL)
	region, _ := g.get(KeySSORegion)
	scopes, ok := g.get(KeySSORegistrationScopes)
	s := SSO{SessionName: name, StartURL: start, Region: region, Scopes: configuredScopes(scopes, ok)}
	if err := c.sessionSettings(name, name, g, &s); err != nil {
		return SSO{}, err
	}
	return s, nil
}

// sessionSettings reads ssokit's own keys of the sso-session g into s:
// ssokit_use_device_code (true or false, in any case),
// ssokit_callback_port (1 to 65535) and ssokit_token_storage (file or
// keyring). A value that is neither is a
// *ValidationError at its line; empty is the same as not set.
func (c *Config) sessionSettings(profile, name string, g *group, s *SSO) error {
	if errs := c.readSessionSettings(profile, name, g, s); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// readSessionSettings is sessionSettings giving every bad value, for
// doctor to report them all at once.
func (c *Config) readSessionSettings(profile, name string, g *group, s *SSO) []*ValidationError {
	var errs []*ValidationError
	if kv, ok := g.keys.lookup(KeySSOKitUseDeviceCode); ok && kv.value != "" {
		switch v := strings.TrimSpace(kv.value); {
		case strings.EqualFold(v, "true"):
			s.UseDeviceCode = true
		case strings.EqualFold(v, "false"):
		default:
			errs = append(errs, c.invalid(profile, kv.loc,
				fmt.Sprintf("%s in sso-session %s is %s, not true or false", KeySSOKitUseDeviceCode, redact.Quote(name), redact.Quote(v)),
				fmt.Sprintf("set %s = true or false in [%s]", KeySSOKitUseDeviceCode, redact.Cut(g.header))))
		}
	}
	if kv, ok := g.keys.lookup(KeySSOKitCallbackPort); ok && kv.value != "" {
		port, err := strconv.Atoi(strings.TrimSpace(kv.value))
		if err != nil || port < 1 || port > 65535 {
			errs = append(errs, c.invalid(profile, kv.loc,
				fmt.Sprintf("%s in sso-session %s is %s, not a port number from 1 to 65535", KeySSOKitCallbackPort, redact.Quote(name), redact.Quote(kv.value)),
				fmt.Sprintf("set %s to a port such as 8400 in [%s], or remove the line to use any free port", KeySSOKitCallbackPort, redact.Cut(g.header))))
		} else {
			s.CallbackPort = port
		}
	}
	if kv, ok := g.keys.lookup(KeySSOKitTokenStorage); ok && kv.value != "" {
		switch v := strings.ToLower(strings.TrimSpace(kv.value)); v {
		case TokenStorageFile:
		case TokenStorageKeyring:
			s.TokenStorage = v
		default:
			errs = append(errs, c.invalid(profile, kv.loc,
				fmt.Sprintf("%s in sso-session %s is %s, neither file nor keyring", KeySSOKitTokenStorage, redact.Quote(name), redact.Quote(kv.value)),
				fmt.Sprintf("set %s to file or keyring in [%s]", KeySSOKitTokenStorage, redact.Cut(g.header))))
		}
	}
	return errs
}

func (c *Config) invalid(profile string, loc Location, msg, fix string) *ValidationError {
	return &ValidationError{Profile: profile, Problem: Problem{Location: loc, Message: msg, Fix: fix}}
}

// configuredScopes is nil when sso_registration_scopes is not set, and
// never nil when it is, even empty: the AWS CLI names the cached client
// registration after the scopes as JSON, null for the one and [] for the
// other, so the two must not be confused or a second registration is made.
func configuredScopes(v string, set bool) []string {
	if !set {
		return nil
	}
	if scopes := SplitScopes(v); scopes != nil {
		return scopes
	}
	return []string{}
}

// SplitScopes splits sso_registration_scopes as the AWS CLI does: on
// commas, trimmed, empty parts dropped; nil when there is none.
func SplitScopes(v string) []string {
	var scopes []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	return scopes
}

// caBundle is AWS_CA_BUNDLE, else the profile's ca_bundle, as botocore
// reads them.
func (c *Config) caBundle(profile string, getenv func(string) string) string {
	v := ""
	if getenv != nil {
		v = getenv(EnvCABundle)
	}
	if v == "" {
		if p := c.profiles[profile]; p != nil {
			v, _ = p.Get(KeyCABundle)
		}
	}
	if v == "" || getenv == nil {
		return v
	}
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE")
	}
	return expandPath(v, getenv, home)
}

// Token storages (SSO.TokenStorage).
const (
	TokenStorageFile    = "file"
	TokenStorageKeyring = "keyring"
)

// tokenStorage is SSO.TokenStorage for s, resolved from its sso-session
// (a legacy profile always uses files): the session's
// ssokit_token_storage, as sessionSettings read and checked it into s,
// else SSOKIT_TOKEN_STORAGE.
func (c *Config) tokenStorage(s SSO, getenv func(string) string) (string, error) {
	if s.SessionName == "" {
		return "", nil
	}
	if g := c.sessions[s.SessionName]; g != nil {
		if kv, ok := g.keys.lookup(KeySSOKitTokenStorage); ok && kv.value != "" {
			return s.TokenStorage, nil
		}
	}
	if getenv != nil {
		switch v := strings.ToLower(strings.TrimSpace(getenv(EnvTokenStorage))); v {
		case "", TokenStorageFile:
		case TokenStorageKeyring:
			return v, nil
		default:
			return "", &TokenStorageEnvError{Value: v}
		}
	}
	return "", nil
}

// TokenStorageEnvError means SSOKIT_TOKEN_STORAGE has a value other than
// file or keyring.
type TokenStorageEnvError struct{ Value string }

func (e *TokenStorageEnvError) Error() string {
	return fmt.Sprintf("%s=%s is neither file nor keyring", EnvTokenStorage, redact.Quote(e.Value))
}

// SSORegionSetting says where the sso_region of s is set, for writing a
// corrected region back: the file and the header of its section (the
// [sso-session NAME] section, or the legacy profile's own). ok is false
// when s names neither.
func (c *Config) SSORegionSetting(s SSO) (path, header string, ok bool) {
	if s.SessionName != "" {
		g := c.sessions[s.SessionName]
		if g == nil {
			return "", "", false
		}
		return g.loc.File, g.header, true
	}
	p := c.profiles[s.Profile]
	if p == nil {
		return "", "", false
	}
	loc, ok := p.KeyLocation(KeySSORegion)
	if !ok {
		return "", "", false
	}
	if loc.File == c.paths.Credentials {
		return loc.File, s.Profile, true
	}
	return loc.File, p.title, true
}

// LegacySSOProfiles lists the profiles that hold sso_start_url and
// sso_region themselves instead of naming an [sso-session] (SSO-PROTOCOL.md
// §5.4), resolved, sorted by name. Their tokens are cached under the start
// URL and cannot be refreshed (§4.5). Profiles that do not resolve are left
// out: Check reports them.
func (c *Config) LegacySSOProfiles() []SSO {
	var out []SSO
	for _, p := range c.Profiles() {
		if p.Kind != KindSSO || isMisplacedSession(p.Name) {
			continue
		}
		if s, err := c.resolveSSO(p.Name); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// isMisplacedSession reports a credentials-file section written as
// [sso-session NAME], which botocore reads as a profile of that name.
func isMisplacedSession(profile string) bool {
	words, err := shellSplit(profile)
	return err == nil && len(words) == 2 && words[0] == "sso-session"
}
