package populate

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// MarkerKey marks a profile as written by populate; its value is the
// sso-session it was populated from. See the package documentation.
const MarkerKey = "ssokit_populated_from"

// Options are the populate command's dependencies and flags.
type Options struct {
	Factory *cmdutil.Factory
	// ListerOptions tune the listing engine beyond --rate (tests).
	ListerOptions []func(*listing.Options)

	SSOSession string
	Template   string
	Region     string
	Prune      bool
	DryRun     bool
	Rate       float64
	// AssumeRole, when set, is the template of a role to assume with the
	// profiles written (those of the SSO role AssumeRoleFrom, when set);
	// AssumeRoleName names those assume-role profiles.
	AssumeRole, AssumeRoleFrom, AssumeRoleName string
}

// NewCmd returns `ssokit populate`. runF replaces the work in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "populate [--sso-session NAME]",
		Short: "Write a profile for every account and role of an SSO session",
		Long: `Write a profile into the config file for every AWS account and role the
sso-session gives you, each using sso_session = NAME. Without
--sso-session, the config file's only [sso-session] is used (and named on
stderr); with several, --sso-session chooses. Uses the session's
cached sign-in; when it has expired, a terminal offers to sign in, a script
is told to run 'ssokit login --sso-session NAME'.

Profiles are named by --template, a Go template over .AccountID,
.AccountName, .AccountEmail, .RoleName and .Session, with the functions
safe (make a field file-safe), lower, upper and replace OLD NEW. The
default, ` + DefaultTemplate + `, adds the account id
where two accounts share a name. Names that are not file-safe, or that two
roles would share, are all reported and nothing is written.

Profiles populate writes carry the key ` + MarkerKey + ` = NAME, which the
AWS CLI and SDKs ignore. Later runs update them; --prune removes those of
this session whose role is gone. A profile without the key is never
changed or removed: a name clash with one is an error. Delete the key from
a profile to make it your own.

Accounts and roles are listed under a client-side rate limit (--rate) that
eases off and retries when the portal throttles.

Only when asked with --assume-role does populate also write assume-role
profiles: for every profile written (or, with --assume-role-from ROLE, for
the profiles of that SSO role only: one per account), a profile with
role_arn from the --assume-role template (over the same fields, and
.Profile, the SSO profile's name) and source_profile = that profile. They
are named by --assume-role-name, which also sees .RoleARN and
.AssumedRoleName; the default is ` + DefaultAssumeRoleName + `. They carry
the same key, and --prune removes those a run no longer writes.`,
		Example: `  ssokit populate --sso-session corp --region eu-west-1
  ssokit populate --sso-session corp --template '{{.RoleName}}@{{safe .AccountName}}' --dry-run
  ssokit populate --sso-session corp --prune
  ssokit populate --sso-session corp --assume-role 'arn:aws:iam::{{.AccountID}}:role/Deploy' --assume-role-from ReadOnly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for flag, text := range map[string]string{"--template": opts.Template, "--assume-role": opts.AssumeRole, "--assume-role-name": opts.AssumeRoleName} {
				if _, err := parseTemplate(flag, text); err != nil {
					return &cmdutil.FlagError{Err: err}
				}
			}
			if opts.AssumeRole == "" && (cmd.Flags().Changed("assume-role-from") || cmd.Flags().Changed("assume-role-name")) {
				return cmdutil.FlagErrorf("--assume-role-from and --assume-role-name go with --assume-role: give the role to assume, e.g. --assume-role 'arn:aws:iam::{{.AccountID}}:role/Deploy'")
			}
			if err := cmdutil.CheckRate(opts.Rate); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.SSOSession, "sso-session", "", "[sso-session] section whose accounts and roles to write (default: the only one)")
	cmd.Flags().StringVar(&opts.Template, "template", DefaultTemplate, "Go template naming each profile")
	cmd.Flags().StringVar(&opts.Region, "region", "", "region key to set in every profile written")
	cmd.Flags().BoolVar(&opts.Prune, "prune", false, "remove profiles this command wrote for the session whose role is gone")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the change to the config file as a diff and write nothing")
	cmd.Flags().Float64Var(&opts.Rate, "rate", listing.DefaultRequestsPerSecond, "most portal requests per second")
	cmd.Flags().StringVar(&opts.AssumeRole, "assume-role", "", "also write profiles assuming the role this template names with the profiles written")
	cmd.Flags().StringVar(&opts.AssumeRoleFrom, "assume-role-from", "", "with --assume-role: only from the profiles of this SSO role")
	cmd.Flags().StringVar(&opts.AssumeRoleName, "assume-role-name", DefaultAssumeRoleName, "with --assume-role: Go template naming each assume-role profile")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	paths := cfg.Paths()
	if opts.SSOSession == "" {
		if opts.SSOSession, err = f.OnlySSOSession(cfg); err != nil {
			return err
		}
	}
	sess, err := f.Session("", opts.SSOSession)
	if err != nil {
		return err
	}
	tok, err := cmdutil.EnsureToken(ctx, f, sess)
	if err != nil {
		return err
	}
	start := f.Now()
	bar := cmdutil.NewProgressBar(f)
	bar.Begin("Listing the accounts and roles of sso-session %q (at most %g requests per second)...", opts.SSOSession, opts.Rate)
	l := cmdutil.NewLister(sess, tok, append([]func(*listing.Options){func(o *listing.Options) {
		o.RequestsPerSecond = opts.Rate
		o.Progress = bar.Update
	}}, opts.ListerOptions...)...)
	accts, err := cmdutil.ListAll(ctx, sess, l)
	bar.Done()
	if err != nil {
		return err
	}
	listed := f.Now().Sub(start)
	listing.SortByName(accts)
	rs := roles(opts.SSOSession, accts)
	profileNames, err := names(opts.Template, rs)
	if err != nil {
		return err
	}
	want := make([]wanted, len(rs))
	for i, r := range rs {
		want[i] = wanted{Name: profileNames[i], Role: r}
	}
	if opts.AssumeRole != "" {
		as, asNames, err := assumedRoles(opts.AssumeRole, opts.AssumeRoleFrom, opts.AssumeRoleName, rs, profileNames)
		if err != nil {
			return err
		}
		for i := range as {
			want = append(want, wanted{Name: asNames[i], Role: as[i].Role, Assumed: &as[i]})
		}
	}
	if err := checkOtherFile(cfg, paths, want, opts.SSOSession); err != nil {
		return err
	}

	p := &plan{session: opts.SSOSession, region: opts.Region, prune: opts.Prune, want: want}
	if opts.DryRun {
		before, after, err := config.Preview(paths.Config, p.apply)
		if err != nil {
			return err
		}
		fmt.Fprint(f.IOStreams.Out, cmdutil.UnifiedDiff(paths.Config, paths.Config+" (after populate)", before, after))
	} else if err := config.Edit(ctx, paths.Config, p.apply); err != nil {
		return err
	}
	st := l.Stats()
	verb := "Wrote"
	if opts.DryRun {
		verb = "Would write"
	}
	written := plural(len(want), "profile")
	if n := len(want) - len(rs); n > 0 {
		written += fmt.Sprintf(" (%d assuming a role)", n)
	}
	f.IOStreams.ErrPrintf("%s %s for %d accounts and %d roles of sso-session %q to %s: %s.\n",
		verb, written, len(accts), len(rs), opts.SSOSession, paths.Config, p.summary())
	f.IOStreams.ErrPrintf("Listed in %s with %s (%d throttled, %d retried).\n",
		listed.Round(100*time.Millisecond), plural(st.Requests, "request"), st.Throttled, st.Retries)
	if p.stale > 0 && !opts.Prune {
		verb, them := "match", "them"
		if p.stale == 1 {
			verb, them = "matches", "it"
		}
		f.IOStreams.ErrPrintf("%s written earlier for this session %s no role you have now; to remove %s, run: %s\n",
			plural(p.stale, "profile"), verb, them, pruneCommand(opts))
	}
	return nil
}

// wanted is one profile to write: an SSO profile for Role, or when
// Assumed is set an assume-role profile on one.
type wanted struct {
	Name    string
	Role    Role
	Assumed *Assumed
}

// ConflictError lists profiles populate may not overwrite: the user wrote
// them, or populate wrote them for another session.
type ConflictError struct {
	Lines []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s would overwrite profiles that populate did not write for this session; nothing was written:\n  %s\n"+
		"Rename or remove them, or choose other names with --template.",
		plural(len(e.Lines), "profile"), strings.Join(e.Lines, "\n  "))
}

// checkOtherFile refuses names taken by a profile in the credentials file,
// whose keys would override the ones populate writes to the config file.
func checkOtherFile(cfg *config.Config, paths config.Paths, want []wanted, session string) error {
	var lines []string
	for _, w := range want {
		p, err := cfg.Profile(w.Name)
		if err != nil {
			continue
		}
		loc := p.Location()
		if loc.File != paths.Credentials {
			continue // the config file is checked under its lock
		}
		lines = append(lines, fmt.Sprintf("%s at %s", w.Name, loc))
	}
	if len(lines) > 0 {
		return &ConflictError{Lines: lines}
	}
	return nil
}

// plan is the change populate makes to the config file. apply runs under
// the file's lock on what is on disk then, so it checks again for clashes.
type plan struct {
	session string
	region  string
	prune   bool
	want    []wanted

	added, updated, unchanged, removed, stale int
}

func (p *plan) apply(file *config.File) error {
	p.added, p.updated, p.unchanged, p.removed, p.stale = 0, 0, 0, 0, 0
	// One pass over the file indexes the profiles by name, in file order
	// (pruning walks them in that order). Names are read as the AWS tools
	// read them, so [profile 'x'] clashes with a profile named x.
	profiles := map[string]*config.Section{}
	var order []string
	for _, s := range file.Sections() {
		name, ok := config.ProfileName(s.Header(), false)
		if !ok {
			continue
		}
		if _, dup := profiles[name]; !dup {
			profiles[name] = s
			order = append(order, name)
		}
	}

	byName := make(map[string]bool, len(p.want))
	var conflicts []string
	for _, w := range p.want {
		byName[w.Name] = true
		s := profiles[w.Name]
		if s == nil {
			continue
		}
		if owner, ok := s.Get(MarkerKey); !ok || owner != p.session {
			why := "written by hand"
			if ok {
				why = fmt.Sprintf("populated from sso-session %q", owner)
			}
			conflicts = append(conflicts, fmt.Sprintf("%s at %s:%d (%s)", w.Name, file.Path(), s.Line(), why))
		}
	}
	if len(conflicts) > 0 {
		return &ConflictError{Lines: conflicts}
	}

	// Stale profiles first, so a pruned file does not keep them between
	// the new ones.
	for _, name := range order {
		s := profiles[name]
		if owner, _ := s.Get(MarkerKey); owner != p.session || byName[name] {
			continue
		}
		if p.prune {
			file.RemoveSection(s.Header())
			p.removed++
		} else {
			p.stale++
		}
	}

	sorted := append([]wanted(nil), p.want...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, w := range sorted {
		s := profiles[w.Name]
		isNew := s == nil
		if isNew {
			s = file.AddSection(config.ProfileHeader(w.Name, false))
		}
		var changed bool
		if w.Assumed == nil {
			changed = set(s, config.KeySSOSession, p.session)
			changed = set(s, config.KeySSOAccountID, w.Role.AccountID) || changed
			changed = set(s, config.KeySSORoleName, w.Role.RoleName) || changed
			changed = unset(s, config.KeyRoleARN, config.KeySourceProfile) || changed
		} else {
			changed = set(s, config.KeyRoleARN, w.Assumed.RoleARN)
			changed = set(s, config.KeySourceProfile, w.Assumed.Profile) || changed
			changed = unset(s, config.KeySSOSession, config.KeySSOAccountID, config.KeySSORoleName) || changed
		}
		if p.region != "" {
			changed = set(s, config.KeyRegion, p.region) || changed
		}
		changed = set(s, MarkerKey, p.session) || changed
		switch {
		case isNew:
			p.added++
		case changed:
			p.updated++
		default:
			p.unchanged++
		}
	}
	return nil
}

// set writes key only when its value differs, so an unchanged profile
// keeps its bytes, and reports whether it wrote.
func set(s *config.Section, key, value string) bool {
	if v, ok := s.Get(key); ok && v == value {
		return false
	}
	s.Set(key, value)
	return true
}

// unset removes keys, a profile's settings of the other kind, and reports
// whether there were any.
func unset(s *config.Section, keys ...string) bool {
	removed := false
	for _, k := range keys {
		removed = s.Unset(k) || removed
	}
	return removed
}

func (p *plan) summary() string {
	parts := []string{fmt.Sprintf("%d new", p.added), fmt.Sprintf("%d updated", p.updated), fmt.Sprintf("%d unchanged", p.unchanged)}
	if p.prune {
		parts = append(parts, fmt.Sprintf("%d removed", p.removed))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// pruneCommand is this run again with --prune: the flags that decide which
// profiles are written stay, or the prune would remove others.
func pruneCommand(opts *Options) string {
	cmd := "ssokit populate --sso-session " + cmdutil.ShellQuote(opts.SSOSession)
	add := func(flag, value string) {
		if value != "" {
			cmd += " --" + flag + " " + cmdutil.ShellQuote(value)
		}
	}
	if opts.Template != DefaultTemplate {
		add("template", opts.Template)
	}
	add("region", opts.Region)
	if opts.AssumeRole != "" {
		add("assume-role", opts.AssumeRole)
		add("assume-role-from", opts.AssumeRoleFrom)
		if opts.AssumeRoleName != DefaultAssumeRoleName {
			add("assume-role-name", opts.AssumeRoleName)
		}
	}
	return cmd + " --prune"
}
