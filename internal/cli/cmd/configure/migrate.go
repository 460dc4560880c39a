package configure

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/redact"
)

// MigrateOptions are the dependencies and flags of `ssokit configure
// migrate`.
type MigrateOptions struct {
	Factory *cmdutil.Factory

	Profile    string
	SSOSession string
	DryRun     bool
	Yes        bool
}

func newMigrateCmd(f *cmdutil.Factory, runF func(*MigrateOptions) error) *cobra.Command {
	opts := &MigrateOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Turn legacy SSO profiles into profiles using an [sso-session]",
		Long: `Turn legacy SSO profiles, which hold sso_start_url and sso_region
themselves, into profiles that name an [sso-session] with sso_session.

A legacy profile signs in with a device code and its access token cannot be
refreshed, so its user signs in again each time the token expires
(typically every 8 hours). A profile using an sso-session signs in through
the browser (PKCE) and its token is refreshed without signing in again.

Legacy profiles that share a start URL and SSO region share one new
[sso-session], named after the start URL (the directory id, or the
subdomain of awsapps.com), written to the config file with
sso_registration_scopes = sso:account:access; an existing sso-session with
the same start URL and region is used instead. In each profile, the
sso_start_url line becomes sso_session = NAME and the sso_region line goes;
every other line, comment and line ending stays as it was. Profiles in the
credentials file stay there: the AWS CLI reads their sso_session and finds
the sso-session in the config file.

The change is printed as a unified diff of each file on stdout, then asked
for before anything is written; --yes skips the question, which a script
must give. --dry-run prints the diff and writes nothing. Running it again
finds nothing to do.

The new sso-session has its own token cache entry: sign in to it once
afterwards (the command to run is printed).`,
		Example: `  ssokit configure migrate --dry-run
  ssokit configure migrate --yes
  ssokit configure migrate --profile sso-user-1 --sso-session my-org`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.SSOSession != "" {
				if err := checkSessionName(opts.SSOSession); err != nil {
					return cmdutil.FlagErrorf("--sso-session %s: %w", redact.Quote(opts.SSOSession), err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return runMigrate(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Profile, "profile", "p", "", "migrate only this profile and the legacy profiles sharing its start URL")
	fl.StringVar(&opts.SSOSession, "sso-session", "", "name of the [sso-session] to write, when all profiles migrated share one start URL")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the changes as diffs and write nothing")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "write the changes without asking")
	return cmd
}

// migration is the change to both files: each group of legacy profiles
// sharing a start URL and SSO region gets one sso-session.
type migration struct {
	groups []*migrationGroup
	// session maps each profile to migrate to its group.
	session map[string]*migrationGroup
}

type migrationGroup struct {
	sso      config.SSO // SessionName, StartURL, Region and, for a new session, Scopes
	exists   bool       // the config file has this sso-session already
	profiles []string   // sorted
}

// planMigration groups the legacy profiles (only those sharing the start
// URL and SSO region of opts.Profile, when given) and names their
// sessions. An empty plan means there is nothing to do.
func planMigration(cfg *config.Config, opts *MigrateOptions) (*migration, error) {
	legacy := cfg.LegacySSOProfiles()
	if opts.Profile != "" {
		p, err := cfg.Profile(opts.Profile)
		if err != nil {
			return nil, err
		}
		var only []config.SSO
		for _, s := range legacy {
			if s.Profile == opts.Profile {
				only = append(only, s)
			}
		}
		if len(only) == 0 {
			if p.Kind != config.KindSSO && p.Kind != config.KindSSOSession {
				return nil, fmt.Errorf("profile %s is not an SSO profile (%s); there is nothing to migrate", redact.Quote(opts.Profile), p.Kind)
			}
			if p.Kind == config.KindSSO {
				// A legacy profile that does not resolve: say why.
				if _, err := cfg.ResolveSSO(opts.Profile, nil); err != nil {
					return nil, err
				}
			}
			return &migration{}, nil
		}
		var group []config.SSO
		for _, s := range legacy {
			if s.StartURL == only[0].StartURL && s.Region == only[0].Region {
				group = append(group, s)
			}
		}
		legacy = group
	}

	m := &migration{session: map[string]*migrationGroup{}}
	byKey := map[[2]string]*migrationGroup{}
	for _, s := range legacy {
		k := [2]string{s.StartURL, s.Region}
		g := byKey[k]
		if g == nil {
			g = &migrationGroup{sso: config.SSO{StartURL: s.StartURL, Region: s.Region}}
			byKey[k] = g
			m.groups = append(m.groups, g)
		}
		g.profiles = append(g.profiles, s.Profile)
		m.session[s.Profile] = g
	}
	if len(m.groups) == 0 {
		return m, nil
	}
	sort.Slice(m.groups, func(i, j int) bool {
		a, b := m.groups[i].sso, m.groups[j].sso
		return a.StartURL < b.StartURL || a.StartURL == b.StartURL && a.Region < b.Region
	})
	if opts.SSOSession != "" && len(m.groups) > 1 {
		return nil, cmdutil.FlagErrorf("--sso-session names one sso-session, but the legacy profiles use %d start URLs (or SSO regions); drop --sso-session, or migrate one group at a time with --profile", len(m.groups))
	}
	if err := m.nameSessions(cfg, opts.SSOSession); err != nil {
		return nil, err
	}
	return m, nil
}

// nameSessions gives each group the existing sso-session with its start
// URL and SSO region, else a new name: the one asked for, or one made
// from the start URL that no sso-session has yet.
func (m *migration) nameSessions(cfg *config.Config, asked string) error {
	existing := cfg.SSOSessionNames()
	taken := map[string]bool{}
	for _, n := range existing {
		taken[n] = true
	}
	same := func(name string, g *migrationGroup) bool {
		u, _ := cfg.SSOSessionValue(name, config.KeySSOStartURL)
		r, _ := cfg.SSOSessionValue(name, config.KeySSORegion)
		return u == g.sso.StartURL && r == g.sso.Region
	}
	for _, g := range m.groups {
		switch {
		case asked != "" && taken[asked]:
			if !same(asked, g) {
				loc, _ := cfg.SSOSessionLocation(asked)
				return cmdutil.FlagErrorf("--sso-session %s exists at %s for another start URL or SSO region than %s (%s); choose another name", redact.Quote(asked), loc, g.sso.StartURL, g.sso.Region)
			}
			g.sso.SessionName, g.exists = asked, true
		case asked != "":
			g.sso.SessionName = asked
		default:
			for _, n := range existing {
				if same(n, g) {
					g.sso.SessionName, g.exists = n, true
					break
				}
			}
		}
		if g.sso.SessionName == "" {
			base := sessionNameFor(g.sso.StartURL)
			name := base
			for i := 2; taken[name]; i++ {
				name = base + "-" + strconv.Itoa(i)
			}
			g.sso.SessionName = name
		}
		taken[g.sso.SessionName] = true
		if !g.exists {
			g.sso.Scopes = []string{DefaultScopes}
		}
	}
	return nil
}

// sessionNameFor makes an sso-session name from a start URL: the directory
// id or instance id in it (https://start.us-gov-home.awsapps.com/directory/d-1234567890),
// else the host's first label (d-1234567890 or my-corp in
// https://my-corp.awsapps.com/start), else "sso".
func sessionNameFor(startURL string) string {
	u, err := url.Parse(startURL)
	if err != nil {
		return "sso"
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if isDirectoryID(seg) || strings.HasPrefix(seg, "ssoins-") && checkSessionName(seg) == nil {
			return seg
		}
	}
	host := u.Hostname()
	if host == "" || net.ParseIP(host) != nil {
		return "sso"
	}
	label, _, _ := strings.Cut(host, ".")
	if label == "" || checkSessionName(label) != nil {
		return "sso"
	}
	return strings.ToLower(label)
}

// isDirectoryID reports an IAM Identity Center directory id: "d-" and ten
// letters or digits.
func isDirectoryID(s string) bool {
	if len(s) != 12 || !strings.HasPrefix(s, "d-") {
		return false
	}
	for _, c := range s[2:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// applyConfig writes the new sso-sessions into the config file and
// migrates the profiles there.
func (m *migration) applyConfig(file *config.File) error {
	for _, g := range m.groups {
		if g.exists {
			continue
		}
		if s := file.Section(config.SSOSessionHeader(g.sso.SessionName)); s != nil {
			// Written since the plan was made.
			if u, _ := s.Get(config.KeySSOStartURL); u != g.sso.StartURL {
				return fmt.Errorf("%s:%d: [sso-session %s] appeared for another start URL while migrating; run the migration again", file.Path(), s.Line(), g.sso.SessionName)
			}
		}
		writeSession(file, g.sso)
	}
	m.applyProfiles(file, false)
	return nil
}

// applyProfiles migrates the profiles of one file in place: sso_start_url
// becomes sso_session (or sso_region does, when the section holds no
// sso_start_url) and sso_region goes.
func (m *migration) applyProfiles(file *config.File, isCredentialsFile bool) {
	for _, s := range file.Sections() {
		name, ok := config.ProfileName(s.Header(), isCredentialsFile)
		g := m.session[name]
		if !ok || g == nil {
			continue
		}
		if !s.Replace(config.KeySSOStartURL, config.KeySSOSession, g.sso.SessionName) &&
			!s.Replace(config.KeySSORegion, config.KeySSOSession, g.sso.SessionName) {
			continue
		}
		s.Unset(config.KeySSORegion)
	}
}

func runMigrate(ctx context.Context, opts *MigrateOptions) error {
	f := opts.Factory
	ios := f.IOStreams
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	paths := cfg.Paths()
	m, err := planMigration(cfg, opts)
	if err != nil {
		return err
	}
	if len(m.groups) == 0 {
		what := "No legacy SSO profiles"
		if opts.Profile != "" {
			what = fmt.Sprintf("Profile %q is not a legacy SSO profile", opts.Profile)
		}
		ios.ErrPrintf("%s in %s and %s: nothing to migrate.\n", what, paths.Config, paths.Credentials)
		return nil
	}

	// A script learns that it must say --yes before anything is printed.
	if !opts.DryRun && !opts.Yes && !ios.CanPrompt() {
		return cmdutil.FlagErrorf("--yes is required to write the changes when not running in a terminal (or --dry-run to only see them)")
	}

	edits := []struct {
		path  string
		apply func(*config.File) error
	}{
		{paths.Config, m.applyConfig},
		{paths.Credentials, func(file *config.File) error { m.applyProfiles(file, true); return nil }},
	}
	changed := make([]bool, len(edits))
	anyChange := false
	for i, e := range edits {
		before, after, err := config.Preview(e.path, e.apply)
		if err != nil {
			return err
		}
		if d := cmdutil.UnifiedDiff(e.path, e.path+" (after migrate)", before, after); d != "" {
			fmt.Fprint(ios.Out, d)
			changed[i], anyChange = true, true
		}
	}
	if !anyChange {
		ios.ErrPrintf("Nothing to change in %s and %s.\n", paths.Config, paths.Credentials)
		return nil
	}
	if opts.DryRun {
		ios.ErrPrintf("Dry run: nothing was written.\n")
		m.report(ios.ErrPrintf, "Would migrate")
		return nil
	}
	if !opts.Yes {
		ok, err := f.Prompter.Confirm("Write these changes?", false)
		if err != nil {
			return err
		}
		if !ok {
			return cmdutil.ErrCancel
		}
	}
	// The config file first: until the sso-sessions are there, no profile
	// may name them.
	for i, e := range edits {
		if !changed[i] {
			continue
		}
		if err := config.Edit(ctx, e.path, e.apply); err != nil {
			return err
		}
	}
	m.report(ios.ErrPrintf, "Migrated")
	ios.ErrPrintf("Sign in to each sso-session once: its token is cached apart from the legacy profiles' token.\n")
	for _, g := range m.groups {
		ios.ErrPrintf("  ssokit login --sso-session %s\n", cmdutil.ShellQuote(g.sso.SessionName))
	}
	return nil
}

// report says which profiles go to which sso-session.
func (m *migration) report(say func(string, ...any), verb string) {
	for _, g := range m.groups {
		how := "a new"
		if g.exists {
			how = "the existing"
		}
		say("%s %s to %s sso-session %q (%s, %s).\n", verb, strings.Join(g.profiles, ", "), how,
			g.sso.SessionName, g.sso.StartURL, g.sso.Region)
	}
}
