package login

import (
	"cmp"
	"errors"
	"slices"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/tokencache"
)

// SessionKind tells where a session was found.
type SessionKind string

const (
	// KindSSOSession is an [sso-session NAME] section; its token is keyed by NAME.
	KindSSOSession SessionKind = "sso-session"
	// KindLegacy is a start URL configured directly in profiles; its token is
	// keyed by the URL exactly as written.
	KindLegacy SessionKind = "legacy"
	// KindCacheOnly is a token in the cache that no configured session
	// matches, e.g. written by the AWS CLI with another config file.
	KindCacheOnly SessionKind = "cache-only"
)

// SessionEntry is one SSO session, from the config files, the token cache
// or both, as ListSessions finds it.
type SessionEntry struct {
	Kind SessionKind
	// Name is the sso-session name; "" for the other kinds.
	Name     string
	StartURL string
	Region   string
	// Profiles using the session, sorted.
	Profiles []string
	// Chained are the assume-role profiles whose source_profile chain
	// starts from one of Profiles, sorted by name.
	Chained []ChainedProfile
	// SSO is the resolved configuration (from the first profile using it, or
	// the sso-session section itself); nil for KindCacheOnly.
	SSO *config.SSO
	// TokenPath is the cache file of the session's token.
	TokenPath string
	// Token is nil when not signed in (or when the file was unusable, after a
	// warning from the cache).
	Token *tokencache.Token
}

// ChainedProfile is an assume-role profile and the SSO profile its chain
// starts from.
type ChainedProfile struct {
	Profile string
	Via     string
}

// ListSessions lists every session: sso-sessions sorted by name, then legacy
// start URLs sorted, then cache-only tokens sorted by start URL and file.
// Configuration that does not resolve (e.g. a profile naming a missing
// sso-session) is reported through warn and left out, so that one broken
// profile does not hide the others. Assume-role profiles are listed with
// the session their source_profile chain starts from.
//
// Endpoints are resolved with the environment read through getenv: an
// sso-session's are those of the active profile, as for `aws sso login
// --sso-session`; a legacy start URL's those of the first profile using it.
func ListSessions(cfg *config.Config, cache *tokencache.Cache, getenv func(string) string, warn func(format string, args ...any)) ([]SessionEntry, error) {
	byKey := map[string]*SessionEntry{}
	var order []string
	add := func(sso config.SSO) *SessionEntry {
		key := sso.CacheKey()
		if s, ok := byKey[key]; ok {
			return s
		}
		s := &SessionEntry{Kind: KindLegacy, Name: sso.SessionName, StartURL: sso.StartURL, Region: sso.Region, SSO: &sso, TokenPath: cache.TokenPath(key)}
		if sso.SessionName != "" {
			s.Kind = KindSSOSession
		}
		byKey[key] = s
		order = append(order, key)
		return s
	}
	for _, name := range cfg.SSOSessionNames() {
		sso, err := cfg.ResolveSSOSession(name, config.SelectProfile("", getenv), getenv)
		if err != nil {
			warn("skipping sso-session %q: %v", name, err)
			continue
		}
		add(sso)
	}
	for _, p := range cfg.Profiles() {
		if p.Kind != config.KindSSO && p.Kind != config.KindSSOSession {
			continue
		}
		sso, err := cfg.ResolveSSO(p.Name, getenv)
		if err != nil {
			warn("skipping profile %q: %v", p.Name, err)
			continue
		}
		s := add(sso)
		s.Profiles = append(s.Profiles, p.Name)
	}
	// Assume-role profiles depend on the session their chain starts from.
	// A chain that does not resolve is doctor's to report: status is
	// about sessions.
	for _, p := range cfg.Profiles() {
		if p.Kind != config.KindAssumeRole {
			continue
		}
		chain, err := cfg.ResolveChain(p.Name, getenv)
		if err != nil {
			continue
		}
		if s, ok := byKey[chain.SSO.CacheKey()]; ok {
			s.Chained = append(s.Chained, ChainedProfile{Profile: p.Name, Via: chain.SSO.Profile})
		}
	}

	var out []SessionEntry
	known := map[string]bool{}
	for _, key := range order {
		s := byKey[key]
		slices.Sort(s.Profiles)
		tok, err := cache.LoadToken(key)
		switch {
		case err == nil:
			s.Token = tok
		case !errors.Is(err, tokencache.ErrNotFound):
			warn("%v", err)
		}
		known[s.TokenPath] = true
		out = append(out, *s)
	}

	entries, err := cache.Tokens()
	if err != nil {
		return nil, err
	}
	var orphans []SessionEntry
	for _, e := range entries {
		if known[e.Path] {
			continue
		}
		orphans = append(orphans, SessionEntry{
			Kind: KindCacheOnly, StartURL: e.Token.StartURL, Region: e.Token.Region,
			TokenPath: e.Path, Token: e.Token,
		})
	}
	slices.SortFunc(orphans, func(a, b SessionEntry) int {
		return cmp.Or(cmp.Compare(a.StartURL, b.StartURL), cmp.Compare(a.TokenPath, b.TokenPath))
	})

	slices.SortStableFunc(out, func(a, b SessionEntry) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.StartURL, b.StartURL))
	})
	return append(out, orphans...), nil
}

func kindRank(k SessionKind) int {
	switch k {
	case KindSSOSession:
		return 0
	case KindLegacy:
		return 1
	}
	return 2
}
