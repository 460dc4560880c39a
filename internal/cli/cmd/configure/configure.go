package configure

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/ssokit/ssokit/internal/loopback"

	"github.com/spf13/cobra"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/prompter"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/redact"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// DefaultScopes is what `aws configure sso` registers with by default.
const DefaultScopes = "sso:account:access"

// outputFormats are the AWS CLI's output formats, offered in the wizard.
var outputFormats = []string{"json", "yaml", "yaml-stream", "text", "table"}

// Options are the dependencies and flags of `ssokit configure sso`.
type Options struct {
	Factory *cmdutil.Factory

	Profile         string
	SSOSession      string
	StartURL        string
	SSORegion       string
	Scopes          string
	AccountID       string
	RoleName        string
	Region          string
	Output          string
	Legacy          bool
	CredentialsFile bool
	UseDeviceCode   bool
	NoBrowser       bool
	// TokenStorage is "file", "keyring" or "" (ask, or the default).
	TokenStorage string
}

// NewCmd returns `ssokit configure` with its `sso` subcommand. runF
// replaces the work of `configure sso` in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "configure <command>",
		Short: "Add SSO profiles to the AWS config file, or migrate legacy ones",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newSSOCmd(f, runF), newMigrateCmd(f, nil))
	return cmd
}

func newSSOCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "sso",
		Short: "Add an SSO profile, signing in to choose its account and role",
		Long: `Add a profile that gets credentials through IAM Identity Center (AWS SSO),
as 'aws configure sso' does: asks for the SSO session name, start URL, SSO
region and registration scopes, signs you in, lets you pick an account and a
role from lists you can filter by typing, then asks for the profile's
default region, output format and name.

It writes an [sso-session] section and a [profile] section using it, and
keeps everything else in the file as it was. An existing sso-session of the
same name is reused. --legacy writes the older form, with the SSO keys in the
profile itself; --credentials-file writes the profile into the credentials
file, which the AWS Toolkit for Visual Studio reads.

Every answer can be given as a flag. Without a terminal, a missing answer is
an error naming its flag (an account or role is picked for you only when it
is the only one; so is the sso-session, named on stderr, when none of
--sso-session, --start-url and --sso-region is given), and --region and
--output are written only when given.
At a terminal the same holds when every other answer came from a flag: the
scopes take their default, and no region or output is asked for.

Ctrl-C cancels at any question, and so does Ctrl-D on a terminal set to
TERM=dumb, where the questions are asked line by line.`,
		Example: `  ssokit configure sso
  ssokit configure sso --sso-session corp --start-url https://my-corp.awsapps.com/start \
      --sso-region eu-west-1 --account-id 111122223333 --role-name ReadOnly \
      --region eu-west-1 --output json --profile corp-readonly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Legacy && opts.SSOSession != "" {
				return cmdutil.FlagErrorf("--legacy writes no sso-session: drop --sso-session or --legacy")
			}
			if opts.Legacy && cmd.Flags().Changed("scopes") {
				return cmdutil.FlagErrorf("--scopes needs an sso-session: legacy profiles cannot hold registration scopes")
			}
			if opts.Legacy && opts.TokenStorage != "" {
				return cmdutil.FlagErrorf("--token-storage needs an sso-session: legacy profiles keep their token in files and cannot refresh it")
			}
			if err := validateFlags(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Profile, "profile", "p", "", "name of the profile to write (asked; suggested <role>-<account id>)")
	fl.StringVar(&opts.SSOSession, "sso-session", "", "name of the [sso-session] section to create or reuse")
	fl.StringVar(&opts.StartURL, "start-url", "", "AWS access portal URL, e.g. https://my-corp.awsapps.com/start")
	fl.StringVar(&opts.SSORegion, "sso-region", "", "region of IAM Identity Center, e.g. us-east-1")
	fl.StringVar(&opts.Scopes, "scopes", "", "registration scopes, comma-separated (default "+DefaultScopes+")")
	fl.StringVar(&opts.AccountID, "account-id", "", "AWS account id for the profile")
	fl.StringVar(&opts.RoleName, "role-name", "", "role (permission set) name for the profile")
	fl.StringVar(&opts.Region, "region", "", "the profile's default region for AWS calls")
	fl.StringVar(&opts.Output, "output", "", "the profile's AWS CLI output format: "+strings.Join(outputFormats, ", "))
	fl.BoolVar(&opts.Legacy, "legacy", false, "write the SSO keys into the profile, without an sso-session")
	fl.BoolVar(&opts.CredentialsFile, "credentials-file", false, "write the profile into the credentials file instead of the config file")
	fl.BoolVar(&opts.UseDeviceCode, "use-device-code", false, "sign in with a device code instead of a browser redirect")
	fl.BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in URL for you to open in a browser on this machine instead of opening one; over SSH or without a display a device code is used instead")
	fl.StringVar(&opts.TokenStorage, "token-storage", "", "where the session keeps its refresh token and client secret: file (~/.aws/sso/cache, as the AWS CLI) or keyring (the OS keyring)")
	return cmd
}

// validateFlags checks the answers given as flags, so a typo fails before
// any question or sign-in.
func validateFlags(o *Options) error {
	checks := []struct {
		flag, value string
		check       func(string) error
	}{
		{"--profile", o.Profile, checkProfileName},
		{"--sso-session", o.SSOSession, checkSessionName},
		{"--start-url", o.StartURL, checkStartURL},
		{"--sso-region", o.SSORegion, checkRegion},
		{"--scopes", o.Scopes, checkScopes},
		{"--account-id", o.AccountID, checkAccountID},
		{"--region", o.Region, checkRegion},
		{"--output", o.Output, checkOutput},
		{"--token-storage", o.TokenStorage, checkTokenStorage},
	}
	for _, c := range checks {
		if c.value == "" {
			continue
		}
		if err := c.check(c.value); err != nil {
			return cmdutil.FlagErrorf("%s %s: %w", c.flag, redact.Quote(c.value), err)
		}
	}
	return nil
}

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	ios := f.IOStreams
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	paths := cfg.Paths()
	a := &asker{prompter: f.Prompter, canPrompt: ios.CanPrompt()}
	if !a.canPrompt {
		// A script that describes no session adds a profile to the only
		// one there is; a person is asked, as the AWS CLI asks.
		if !opts.Legacy && opts.SSOSession == "" && opts.StartURL == "" && opts.SSORegion == "" && len(cfg.SSOSessionNames()) == 1 {
			if opts.SSOSession, err = f.OnlySSOSession(cfg); err != nil {
				return err
			}
		}
		if err := missingFlags(opts, cfg); err != nil {
			return err
		}
	}

	// 1. The session: reused when it exists, else asked for.
	sso := config.SSO{}
	sessionExists := false
	if !opts.Legacy {
		if sso.SessionName, err = a.input("--sso-session", opts.SSOSession, "SSO session name", "", checkSessionName); err != nil {
			return err
		}
		if existing, err := cfg.ResolveSSOSession(sso.SessionName, opts.Profile, f.Getenv); err == nil {
			if err := sameSession(existing, opts, cfg); err != nil {
				return err
			}
			sso, sessionExists = existing, true
			ios.ErrPrintf("Using sso-session %q (%s, %s).\n", sso.SessionName, sso.StartURL, sso.Region)
		} else if !errors.As(err, new(*config.SSOSessionNotFoundError)) {
			return err
		}
	}
	if !sessionExists {
		if sso.StartURL, err = a.input("--start-url", opts.StartURL, "SSO start URL", "", checkStartURL); err != nil {
			return err
		}
		if sso.Region, err = a.input("--sso-region", opts.SSORegion, "SSO region", "", checkRegion); err != nil {
			return err
		}
		if !opts.Legacy {
			scopes := cmp.Or(opts.Scopes, DefaultScopes)
			if !a.onlyFlags(opts.AccountID, opts.RoleName, opts.Profile) {
				if scopes, err = a.input("--scopes", opts.Scopes, "SSO registration scopes", DefaultScopes, checkScopes); err != nil {
					return err
				}
			}
			sso.Scopes = splitScopes(scopes)
		}
	}
	storageChanged := false
	if !opts.Legacy {
		storage := sso.TokenStorage
		if storage, err = chooseTokenStorage(a, opts, sessionExists, storage, f.Getenv); err != nil {
			return err
		}
		storageChanged = storage != sso.TokenStorage
		sso.TokenStorage = storage
	}

	// The files the profile goes into must take it: find out before anyone
	// signs in.
	target := paths.Config
	if opts.CredentialsFile {
		target = paths.Credentials
	}
	for _, p := range []string{paths.Config, target} {
		if err := fileutil.CheckWritable(p); err != nil {
			return err
		}
	}

	// 2. Sign in and list what the user may choose from.
	// The profile does not exist yet (or is about to change), so the
	// session is signed in to on its own; the profile's name only picks
	// endpoint overrides.
	sso.Endpoints = cfg.Endpoints(opts.Profile, sso.Region, f.Getenv)
	sess, tok, err := signIn(ctx, f, sso, opts)
	if err != nil {
		return fmt.Errorf("sign in to %s: %w", sso.StartURL, err)
	}
	// A start URL on the organisation's own domain says where its portal
	// is: that region is written, whatever was answered.
	if r := sess.SSO().Region; r != sso.Region {
		ios.ErrPrintf("The start URL's portal is in %s: using that SSO region instead of %s.\n", r, sso.Region)
		sso.Region = r
	}
	l := cmdutil.NewLister(sess, tok)
	ios.StartSpinner("Listing your AWS accounts")
	accts, err := l.Accounts(ctx)
	ios.StopSpinner()
	if err != nil {
		return cmdutil.PortalError(sess, err)
	}
	if len(accts) == 0 {
		return &cmdutil.NoAccountsError{Session: sessionLabel(sso), StartURL: sso.StartURL}
	}
	account, err := chooseAccount(a, ios.ErrPrintf, accts, opts.AccountID)
	if err != nil {
		return err
	}
	roles, err := l.Roles(ctx, account.ID)
	if err != nil {
		return cmdutil.PortalError(sess, err)
	}
	role, err := chooseRole(a, ios.ErrPrintf, account, roles, opts.RoleName)
	if err != nil {
		return err
	}

	// 3. The profile's own settings.
	region, output := opts.Region, opts.Output
	if !a.onlyFlags(opts.Profile) {
		if region, err = a.input("--region", region, "Default client region", sso.Region, checkRegion); err != nil {
			return err
		}
		if output == "" {
			i, err := a.choose("Default output format", outputFormats, 0)
			if err != nil {
				return err
			}
			output = outputFormats[i]
		}
	}
	name, err := chooseProfileName(a, cfg, opts.Profile, role+"-"+account.ID)
	if err != nil {
		return err
	}

	// 4. Write: the session into the config file, the profile into the
	// file asked for.
	p := profile{name: name, sso: sso, accountID: account.ID, role: role, region: region, output: output, legacy: opts.Legacy}
	if !opts.Legacy && !sessionExists {
		if err := config.Edit(ctx, paths.Config, func(file *config.File) error {
			writeSession(file, sso)
			setTokenStorage(file.Section(config.SSOSessionHeader(sso.SessionName)), sso.TokenStorage, f.Getenv)
			if target == paths.Config {
				p.write(file, false)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if sessionExists && storageChanged {
		if err := config.Edit(ctx, paths.Config, func(file *config.File) error {
			setTokenStorage(file.Section(config.SSOSessionHeader(sso.SessionName)), sso.TokenStorage, f.Getenv)
			return nil
		}); err != nil {
			return err
		}
		ios.ErrPrintf("sso-session %q now keeps its refresh token and client secret in %s.\n", sso.SessionName, storageLabel(sso.TokenStorage))
	}
	if opts.Legacy || sessionExists || target != paths.Config {
		if err := config.Edit(ctx, target, func(file *config.File) error {
			p.write(file, opts.CredentialsFile)
			return nil
		}); err != nil {
			return err
		}
	}
	ios.ErrPrintf("Wrote profile %q to %s.\nTo use it, run: aws sts get-caller-identity --profile %s\n", name, target, name)
	return nil
}

// signIn returns the session of sso and a token for it: the cached one
// (refreshed silently when it can be), or a new sign-in, which chooses its
// flow as `ssokit login` does (the device code where no browser can open).
// A token cached under a new session's name for another start URL (a
// session of that name deleted and made anew) is not this session's.
func signIn(ctx context.Context, f *cmdutil.Factory, sso config.SSO, opts *Options) (*login.Session, *tokencache.Token, error) {
	sess, err := f.NewSession(sso)
	if err != nil {
		return nil, nil, err
	}
	if cached, err := sess.Cache().LoadToken(sso.CacheKey()); err != nil || cached.StartURL == sso.StartURL {
		tok, err := sess.Token(ctx)
		if !errors.As(err, new(*login.SignInRequiredError)) {
			return sess, tok, err
		}
	}
	sess, err = f.NewSession(sso, cmdutil.SignInOptions(f.IOStreams, f.Getenv, runtime.GOOS, sso, cmdutil.SignInFlags{
		UseDeviceCode: opts.UseDeviceCode, NoBrowser: opts.NoBrowser,
	}))
	if err != nil {
		return nil, nil, err
	}
	tok, err := sess.Login(ctx)
	return sess, tok, err
}

// missingFlags names, in one error, every answer a run without a terminal
// lacks and cannot do without, so a script learns them all at once rather
// than one per run. The account and role are named with them, as they are
// needed too unless there is only one to choose, which only the sign-in
// can tell.
func missingFlags(o *Options, cfg *config.Config) error {
	var need []string
	if !o.Legacy && o.SSOSession == "" {
		need = append(need, "--sso-session")
	}
	if o.Legacy || !slices.Contains(cfg.SSOSessionNames(), o.SSOSession) {
		if o.StartURL == "" {
			need = append(need, "--start-url")
		}
		if o.SSORegion == "" {
			need = append(need, "--sso-region")
		}
	}
	if len(need) == 0 {
		return nil
	}
	msg := joinFlags(need) + " is required when not running in a terminal"
	if len(need) > 1 {
		msg = joinFlags(need) + " are required when not running in a terminal"
	}
	var choices []string
	if o.AccountID == "" {
		choices = append(choices, "--account-id")
	}
	if o.RoleName == "" {
		choices = append(choices, "--role-name")
	}
	if len(choices) > 0 {
		msg += " (and " + joinFlags(choices) + " unless you can use only one account and role)"
	}
	return cmdutil.FlagErrorf("%s", msg)
}

// joinFlags is "--a", "--a and --b", "--a, --b and --c".
func joinFlags(flags []string) string {
	if len(flags) == 1 {
		return flags[0]
	}
	return strings.Join(flags[:len(flags)-1], ", ") + " and " + flags[len(flags)-1]
}

// asker asks for an answer only when no flag gave it, and only when a
// person can answer.
type asker struct {
	prompter  prompter.Prompter
	canPrompt bool
	// asked counts the questions put so far.
	asked int
}

// onlyFlags reports whether the wizard should ask nothing more: no person
// can answer, or every answer so far came from a flag (or had only one
// choice) and so do the answers still to come, given as flags. Whoever
// gave all of those means the rest to take its default, as without a
// terminal.
func (a *asker) onlyFlags(comingFlags ...string) bool {
	if !a.canPrompt {
		return true
	}
	if a.asked > 0 {
		return false
	}
	for _, f := range comingFlags {
		if f == "" {
			return false
		}
	}
	return true
}

// input returns value when set; else asks (until the answer passes
// check, which the prompter shows in place); else, without a terminal,
// takes def or fails naming the flag.
func (a *asker) input(flag, value, prompt, def string, check func(string) error) (string, error) {
	if value != "" {
		return value, nil
	}
	if !a.canPrompt {
		if def != "" {
			return def, nil
		}
		return "", cmdutil.FlagErrorf("%s is required when not running in a terminal", flag)
	}
	a.asked++
	return a.prompter.Input(prompt, def, check)
}

// choose asks to pick one of options.
func (a *asker) choose(prompt string, options []string, def int) (int, error) {
	a.asked++
	return a.prompter.Select(prompt, options, def)
}

func chooseAccount(a *asker, say func(string, ...any), accts []listing.Account, flag string) (listing.Account, error) {
	if flag != "" {
		for _, acct := range accts {
			if acct.ID == flag {
				return acct, nil
			}
		}
		return listing.Account{}, cmdutil.FlagErrorf("--account-id %s is not one of the %d accounts you can use; run `ssokit accounts` to list them", flag, len(accts))
	}
	if len(accts) == 1 {
		say("Using the only account available to you: %s (%s).\n", accts[0].Name, accts[0].ID)
		return accts[0], nil
	}
	if !a.canPrompt {
		return listing.Account{}, cmdutil.FlagErrorf("--account-id is required when not running in a terminal (%d accounts are available; `ssokit accounts` lists them)", len(accts))
	}
	sorted := append([]listing.Account(nil), accts...)
	listing.SortByName(sorted)
	labels := make([]string, len(sorted))
	for i, acct := range sorted {
		labels[i] = fmt.Sprintf("%s (%s, %s)", acct.Name, acct.ID, acct.Email)
	}
	i, err := a.choose(fmt.Sprintf("Choose an account (%d; type to filter)", len(sorted)), labels, 0)
	if err != nil {
		return listing.Account{}, err
	}
	say("Account: %s (%s)\n", sorted[i].Name, sorted[i].ID)
	return sorted[i], nil
}

func chooseRole(a *asker, say func(string, ...any), acct listing.Account, roles []string, flag string) (string, error) {
	if len(roles) == 0 {
		return "", fmt.Errorf("you have no role in account %s (%s); ask your administrator for one", acct.Name, acct.ID)
	}
	if flag != "" {
		for _, r := range roles {
			if r == flag {
				return r, nil
			}
		}
		return "", cmdutil.FlagErrorf("--role-name %s is not one of your roles in account %s: %s", flag, acct.ID, strings.Join(roles, ", "))
	}
	if len(roles) == 1 {
		say("Using the only role available to you in %s: %s.\n", acct.ID, roles[0])
		return roles[0], nil
	}
	if !a.canPrompt {
		return "", cmdutil.FlagErrorf("--role-name is required when not running in a terminal (roles in %s: %s)", acct.ID, strings.Join(roles, ", "))
	}
	sorted := append([]string(nil), roles...)
	sort.Strings(sorted)
	i, err := a.choose(fmt.Sprintf("Choose a role in %s (%d; type to filter)", acct.Name, len(sorted)), sorted, 0)
	if err != nil {
		return "", err
	}
	say("Role: %s\n", sorted[i])
	return sorted[i], nil
}

// chooseProfileName asks for the profile name, suggesting one, and asks
// before replacing the SSO settings of a profile that exists. A name given
// as a flag is taken as it is.
func chooseProfileName(a *asker, cfg *config.Config, flag, suggested string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	for {
		name, err := a.input("--profile", "", "Profile name", suggested, checkProfileName)
		if err != nil {
			return "", err
		}
		p, err := cfg.Profile(name)
		if err != nil || !a.canPrompt {
			return name, nil
		}
		a.asked++
		ok, err := a.prompter.Confirm(fmt.Sprintf("Profile %q exists (%s); replace its SSO settings?", name, p.Location()), false)
		if err != nil {
			return "", err
		}
		if ok {
			return name, nil
		}
	}
}

// sameSession refuses flags that contradict an existing sso-session: other
// profiles use it, so it is not changed behind their back.
func sameSession(existing config.SSO, o *Options, cfg *config.Config) error {
	loc, _ := cfg.SSOSessionLocation(existing.SessionName)
	mismatch := func(flag, given, has string) error {
		return cmdutil.FlagErrorf("%s %s differs from %s in sso-session %q at %s; use another session name, or drop the flag to reuse the session",
			flag, given, has, existing.SessionName, loc)
	}
	if o.StartURL != "" && o.StartURL != existing.StartURL {
		return mismatch("--start-url", o.StartURL, existing.StartURL)
	}
	if o.SSORegion != "" && o.SSORegion != existing.Region {
		return mismatch("--sso-region", o.SSORegion, existing.Region)
	}
	if o.Scopes != "" && strings.Join(splitScopes(o.Scopes), ",") != strings.Join(existing.Scopes, ",") {
		return mismatch("--scopes", o.Scopes, strings.Join(existing.Scopes, ","))
	}
	return nil
}

func sessionLabel(s config.SSO) string {
	if s.SessionName != "" {
		return fmt.Sprintf("sso-session %q", s.SessionName)
	}
	return "start URL " + s.StartURL
}

func writeSession(file *config.File, sso config.SSO) {
	header := config.SSOSessionHeader(sso.SessionName)
	s := file.Section(header)
	if s == nil {
		s = file.AddSection(header)
	}
	s.Set(config.KeySSOStartURL, sso.StartURL)
	s.Set(config.KeySSORegion, sso.Region)
	if len(sso.Scopes) > 0 {
		s.Set(config.KeySSORegistrationScopes, strings.Join(sso.Scopes, ","))
	}
	if sso.TokenStorage == config.TokenStorageKeyring {
		s.Set(config.KeySSOKitTokenStorage, config.TokenStorageKeyring)
	}
}

// storageChoices are the answers to the token storage question, in the
// order offered.
var storageChoices = []string{config.TokenStorageFile, config.TokenStorageKeyring}

// chooseTokenStorage is the session's token storage ("" for files): the
// flag's; else, for a new session, the answer to a question (offering
// SSOKIT_TOKEN_STORAGE or files first); else what the session has.
func chooseTokenStorage(a *asker, opts *Options, sessionExists bool, current string, getenv func(string) string) (string, error) {
	norm := func(v string) string {
		if v == config.TokenStorageKeyring {
			return v
		}
		return ""
	}
	if opts.TokenStorage != "" {
		return norm(opts.TokenStorage), nil
	}
	if sessionExists {
		return current, nil
	}
	current = norm(strings.ToLower(strings.TrimSpace(getenv(config.EnvTokenStorage))))
	if a.onlyFlags(opts.AccountID, opts.RoleName, opts.Profile) {
		return current, nil
	}
	def := 0
	if current == config.TokenStorageKeyring {
		def = 1
	}
	i, err := a.choose("Where to keep the refresh token and client secret", []string{
		"file: in ~/.aws/sso/cache, as the AWS CLI keeps them",
		"keyring: in the OS keyring; the AWS CLI and SDKs use the access token alone",
	}, def)
	if err != nil {
		return "", err
	}
	return norm(storageChoices[i]), nil
}

// setTokenStorage writes ssokit_token_storage into an sso-session section:
// keyring, or for files nothing (the default) unless SSOKIT_TOKEN_STORAGE
// would say otherwise.
func setTokenStorage(s *config.Section, storage string, getenv func(string) string) {
	switch {
	case storage == config.TokenStorageKeyring:
		s.Set(config.KeySSOKitTokenStorage, config.TokenStorageKeyring)
	case strings.EqualFold(strings.TrimSpace(getenv(config.EnvTokenStorage)), config.TokenStorageKeyring):
		s.Set(config.KeySSOKitTokenStorage, config.TokenStorageFile)
	default:
		s.Unset(config.KeySSOKitTokenStorage)
	}
}

func storageLabel(storage string) string {
	if storage == config.TokenStorageKeyring {
		return "the OS keyring"
	}
	return "~/.aws/sso/cache"
}

func checkTokenStorage(s string) error {
	if s != config.TokenStorageFile && s != config.TokenStorageKeyring {
		return errors.New("use file or keyring")
	}
	return nil
}

// profile is the profile section the wizard writes.
type profile struct {
	name            string
	sso             config.SSO
	accountID, role string
	region, output  string
	legacy          bool
}

// write sets the profile's keys in the order `aws configure sso` writes
// them, and removes the keys of the other form so the two never mix.
func (p profile) write(file *config.File, credentialsFile bool) {
	header := config.ProfileHeader(p.name, credentialsFile)
	s := file.Section(header)
	if s == nil {
		s = file.AddSection(header)
	}
	if p.legacy {
		s.Unset(config.KeySSOSession)
		s.Set(config.KeySSOStartURL, p.sso.StartURL)
		s.Set(config.KeySSORegion, p.sso.Region)
	} else {
		s.Unset(config.KeySSOStartURL)
		s.Unset(config.KeySSORegion)
		s.Set(config.KeySSOSession, p.sso.SessionName)
	}
	s.Set(config.KeySSOAccountID, p.accountID)
	s.Set(config.KeySSORoleName, p.role)
	if p.region != "" {
		s.Set(config.KeyRegion, p.region)
	}
	if p.output != "" {
		s.Set(config.KeyOutput, p.output)
	}
}

func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Split(s, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			out = append(out, sc)
		}
	}
	return out
}

func checkRegion(s string) error {
	if s == "" {
		return errors.New("enter a region, e.g. us-east-1")
	}
	if !config.IsRegion(s) {
		return errors.New("not an AWS region, e.g. us-east-1")
	}
	return nil
}

func checkAccountID(s string) error {
	if !config.IsAccountID(s) {
		return errors.New("an account id is 12 digits")
	}
	return nil
}

func checkOutput(s string) error {
	for _, f := range outputFormats {
		if s == f {
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(outputFormats, ", "))
}

func checkStartURL(s string) error {
	if s == "" {
		return errors.New("enter your AWS access portal URL, e.g. https://my-corp.awsapps.com/start")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("want the access portal URL, e.g. https://my-corp.awsapps.com/start")
	}
	// The AWS CLI refuses anything but https; plain http is for an
	// emulator on this machine.
	if u.Scheme == "http" && !loopback.IsHost(u.Hostname()) {
		return errors.New("the access portal URL must use https")
	}
	return nil
}

func checkScopes(s string) error {
	scopes := splitScopes(s)
	if len(scopes) == 0 {
		return errors.New("enter at least one scope, e.g. " + DefaultScopes)
	}
	for _, sc := range scopes {
		if strings.ContainsAny(sc, " \t") {
			return errors.New("separate scopes with commas")
		}
	}
	return nil
}

// checkName refuses what would break a section header or a key line;
// what says what the name is for.
func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("enter a name for the %s", what)
	}
	if strings.TrimSpace(s) != s {
		return errors.New("remove the blanks at either end")
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || strings.ContainsRune("[]#;=", r) {
			return fmt.Errorf("%q is not allowed", r)
		}
	}
	return nil
}

func checkSessionName(s string) error {
	// The start URL typed one question early.
	if strings.Contains(s, "://") {
		return errors.New("that is a URL: the SSO session name is a short name you choose, e.g. my-sso (the start URL comes next)")
	}
	return checkName("SSO session, e.g. my-sso", s)
}

func checkProfileName(s string) error {
	if strings.HasPrefix(s, "sso-session ") || strings.HasPrefix(s, "services ") || strings.HasPrefix(s, "profile ") {
		return errors.New("a profile name cannot start with a section keyword")
	}
	return checkName("profile", s)
}
