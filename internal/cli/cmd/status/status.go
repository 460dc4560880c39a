package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Options are the dependencies and flags of `ssokit status`.
type Options struct {
	IO *iostreams.IOStreams
	// Config loads the shared config files.
	Config func() (*config.Config, error)
	// TokenCache opens the SSO token cache (cmdutil.Factory.TokenCache),
	// with its warnings on stderr.
	TokenCache func() (*tokencache.Cache, func(string, ...any), error)
	Now        func() time.Time
	Getenv     func(string) string

	// Output is "table" or "json".
	Output string
}

// NewCmd builds `ssokit status`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:         f.IOStreams,
		Config:     f.Config,
		TokenCache: f.TokenCache,
		Now:        f.Now,
		Getenv:     f.Getenv,
	}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show your SSO sessions and how long each stays signed in",
		Long: `Show every SSO session found in the config files and in the token cache
(~/.aws/sso/cache, shared with the AWS CLI and SDKs): its start URL, SSO
region, the time left on its token, whether ssokit can refresh it without a
browser, where its refresh token and client secret are kept (STORAGE: file,
in ~/.aws/sso/cache as the AWS CLI keeps them, or keyring, in the OS
keyring, as ssokit_token_storage sets), and the profiles that use it: its SSO profiles, then the
assume-role profiles whose source_profile chain starts from one of them,
"prod-admin (via hub)".

Tokens written by "aws sso login" for sessions not in your config files are
listed too, by start URL, as "(not configured)". Profiles that set
sso_start_url themselves, without an sso-session, share a row per start URL
named "(no sso-session)"; a note below the table explains each.

On a terminal the table fits its width: a long list of profiles is
summarised ("dev, prod, +898 more") and the widest values are cut.
Piped elsewhere, values are kept whole and only the list is summarised;
--output json has everything.`,
		Example: `  ssokit status
  ssokit status --output json | jq '.sessions[] | select(.expired)'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch opts.Output {
			case "table", "json":
			default:
				return cmdutil.OutputError(opts.Output, "table", "json")
			}
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output format: table or json")
	return cmd
}

func run(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	cache, warn, err := opts.TokenCache()
	if err != nil {
		return err
	}
	sessions, err := login.ListSessions(cfg, cache, opts.Getenv, warn)
	if err != nil {
		return err
	}
	moving := withKeyringSecrets(cache, sessions, warn)
	now := opts.Now()
	if opts.Output == "json" {
		return writeJSON(opts.IO.Out, sessions, now)
	}
	if len(sessions) == 0 {
		opts.IO.ErrPrintf("No SSO sessions in %s and no SSO tokens in %s.\nTo set one up and sign in, run: `ssokit configure sso`\n",
			cfg.Paths().Config, cache.Dir())
		return nil
	}
	if err := writeTable(opts.IO, sessions, moving, now); err != nil {
		return err
	}
	for _, s := range sessions {
		if cmd := signInCommand(s, now); cmd != "" {
			opts.IO.ErrPrintf("To sign in to %s again, run: %s\n", label(s), cmd)
		}
	}
	return nil
}

// signInCommand is the command that signs in to s again, when its token
// has expired and cannot be refreshed; "" otherwise. Sessions only the
// cache knows have no command: ssokit does not know their configuration.
func signInCommand(s login.SessionEntry, now time.Time) string {
	if s.Token == nil || s.SSO == nil || s.Token.Remaining(now) > 0 || refreshable(s, now) {
		return ""
	}
	e := &login.SignInRequiredError{Session: s.SSO.CacheKey(), Legacy: s.Kind == login.KindLegacy}
	if s.Kind == login.KindLegacy {
		if len(s.Profiles) == 0 {
			return ""
		}
		e.Profile = s.Profiles[0]
	}
	cmd, _ := cmdutil.SignInCommand(e)
	return cmd
}

func label(s login.SessionEntry) string {
	if s.Name != "" {
		return fmt.Sprintf("SSO session %q", s.Name)
	}
	return s.StartURL
}

// jsonSession is the --output json shape. Every key is always present, with
// null where there is nothing to say, so scripts need no existence checks.
type jsonSession struct {
	Kind        login.SessionKind `json:"kind"`
	Name        *string           `json:"name"`
	StartURL    string            `json:"startUrl"`
	Region      string            `json:"region"`
	Profiles    []string          `json:"profiles"`
	Chained     []jsonChained     `json:"chainedProfiles"`
	SignedIn    bool              `json:"signedIn"`
	ExpiresAt   *time.Time        `json:"expiresAt"`
	Expired     bool              `json:"expired"`
	SecondsLeft int64             `json:"secondsLeft"`
	Refreshable bool              `json:"refreshable"`
	// TokenStorage is "file" or "keyring": where the refresh token and the
	// client secret are kept.
	TokenStorage string `json:"tokenStorage"`
	CacheFile    string `json:"cacheFile"`
}

// jsonChained is an assume-role profile and the profile of the session
// its chain starts from.
type jsonChained struct {
	Name string `json:"name"`
	Via  string `json:"via"`
}

func writeJSON(w io.Writer, sessions []login.SessionEntry, now time.Time) error {
	out := struct {
		Sessions []jsonSession `json:"sessions"`
	}{Sessions: []jsonSession{}}
	for _, s := range sessions {
		js := jsonSession{
			Kind: s.Kind, StartURL: s.StartURL, Region: s.Region,
			Profiles: append([]string{}, s.Profiles...), Chained: []jsonChained{}, CacheFile: s.TokenPath,
			TokenStorage: storage(s),
		}
		for _, c := range s.Chained {
			js.Chained = append(js.Chained, jsonChained{Name: c.Profile, Via: c.Via})
		}
		if s.Name != "" {
			js.Name = &s.Name
		}
		if s.Token != nil {
			js.SignedIn = true
			if !s.Token.ExpiresAt.IsZero() {
				exp := s.Token.ExpiresAt.UTC()
				js.ExpiresAt = &exp
			}
			left := s.Token.Remaining(now)
			js.Expired = left <= 0
			if left > 0 {
				js.SecondsLeft = int64(left / time.Second)
			}
			js.Refreshable = refreshable(s, now)
		}
		out.Sessions = append(out.Sessions, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// storage is where s keeps its refresh token and client secret.
func storage(s login.SessionEntry) string {
	if s.SSO != nil && s.SSO.TokenStorage == config.TokenStorageKeyring {
		return config.TokenStorageKeyring
	}
	return config.TokenStorageFile
}

// storageField is storage for the table, saying when the secrets are
// still in the file, to move on the session's next use.
func storageField(s login.SessionEntry, moving bool) string {
	if moving {
		return "file (to keyring)"
	}
	return storage(s)
}

// withKeyringSecrets completes the tokens of keyring sessions with the
// refresh token and client registration in the keyring, so that status can
// say whether they can be refreshed. A keyring that cannot be used is
// warned about; its sessions then show as not refreshable. It returns the
// token files of keyring sessions that still hold the secrets (they move
// on the session's next use).
func withKeyringSecrets(cache *tokencache.Cache, sessions []login.SessionEntry, warn func(string, ...any)) (moving map[string]bool) {
	moving = map[string]bool{}
	for i, s := range sessions {
		if storage(s) != config.TokenStorageKeyring || s.Token == nil {
			continue
		}
		if s.Token.HasSecrets() {
			moving[s.TokenPath] = true
			continue
		}
		sec, err := cache.LoadSecrets(s.SSO.CacheKey())
		if err != nil {
			if !errors.Is(err, tokencache.ErrNotFound) {
				warn("%v", err)
			}
			continue
		}
		sessions[i].Token = s.Token.WithSecrets(sec)
	}
	return moving
}

// refreshable: legacy sessions are never refreshed (spec §4.5), whatever
// the file holds.
func refreshable(s login.SessionEntry, now time.Time) bool {
	return s.Token != nil && s.Kind != login.KindLegacy && s.Token.CanRefresh(now)
}

// Names of the sessions that have none of their own, in the SESSION
// column; a footnote explains each one shown.
const (
	noSessionName  = "(no sso-session)"
	notConfigured  = "(not configured)"
	noSessionNote  = noSessionName + ": profiles that set sso_start_url themselves, the older form. Their token cannot be refreshed: they sign in again when it expires. `ssokit configure migrate` moves them to an sso-session, whose token is refreshed."
	notConfigNote  = notConfigured + ": a token in the cache for a start URL that no profile or sso-session in your config files names (signed in with other files, or since removed)."
	summarisedNote = "PROFILES shows the first few of a long list: `ssokit profiles` lists them all."
)

func writeTable(ios *iostreams.IOStreams, sessions []login.SessionEntry, moving map[string]bool, now time.Time) error {
	t := cmdutil.NewTable(ios)
	t.AddHeader("SESSION", "START URL", "REGION", "STATUS", "REFRESH", "STORAGE", "PROFILES")
	var notes []string
	note := func(n string) {
		if !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	for _, s := range sessions {
		name := s.Name
		switch s.Kind {
		case login.KindLegacy:
			name = noSessionName
			note(noSessionNote)
		case login.KindCacheOnly:
			name = notConfigured
			note(notConfigNote)
		}
		state, refresh := "not signed in", "-"
		var stateColor func(string) string
		if s.Token != nil {
			state = timeLeft(s.Token, now)
			stateColor = urgency(ios.ColorScheme(), s.Token, now)
			refresh = "no"
			if refreshable(s, now) {
				refresh = "yes"
			}
		}
		profiles := slices.Clone(s.Profiles)
		for _, c := range s.Chained {
			profiles = append(profiles, fmt.Sprintf("%s (via %s)", c.Profile, c.Via))
		}
		for _, v := range []string{name, orDash(s.StartURL), orDash(s.Region)} {
			t.AddField(v)
		}
		t.AddColorField(state, stateColor)
		t.AddField(refresh)
		t.AddField(storageField(s, moving[s.TokenPath]))
		t.AddListField(profiles)
		t.EndRow()
	}
	if err := t.Render(); err != nil {
		return err
	}
	if t.Summarised() {
		note(summarisedNote)
	}
	// Notes are for the person reading, like the hints: stderr.
	for _, n := range notes {
		ios.ErrPrintf("%s\n", n)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// urgency is the colour of a token's time left: red under 15 minutes (the
// AWS CLI's refresh window) and once expired, yellow under an hour, none
// otherwise or when the expiry is unknown.
func urgency(cs iostreams.ColorScheme, t *tokencache.Token, now time.Time) func(string) string {
	switch left := t.Remaining(now); {
	case t.ExpiresAt.IsZero():
		return nil
	case left < 15*time.Minute:
		return cs.Red
	case left < time.Hour:
		return cs.Yellow
	}
	return nil
}

// timeLeft says how long the token lasts, or how long ago it expired.
func timeLeft(t *tokencache.Token, now time.Time) string {
	if t.ExpiresAt.IsZero() {
		return "expiry unknown"
	}
	left := t.Remaining(now)
	if left > 0 {
		return humanDuration(left) + " left"
	}
	return "expired " + roughDuration(-left) + " ago"
}

// humanDuration renders d to the minute in its two largest units, e.g.
// "7h 52m", "2d 3h", "45m"; under a minute is "<1m". Rounded down, so the
// time left is never overstated.
func humanDuration(d time.Duration) string {
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case hours > 0:
		return fmt.Sprintf("%dh %dm", hours, m)
	case m > 0:
		return fmt.Sprintf("%dm", m)
	}
	return "<1m"
}

// roughDuration renders d in its largest unit, e.g. "2h", "3d", "5m".
func roughDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return "<1m"
}
