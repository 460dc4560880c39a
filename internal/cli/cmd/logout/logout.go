package logout

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// Options are the dependencies and flags of `ssokit logout`.
type Options struct {
	Factory *cmdutil.Factory
	IO      *iostreams.IOStreams

	Profile    string
	SSOSession string
	All        bool
}

// NewCmd builds `ssokit logout`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Sign out of AWS IAM Identity Center",
		Long: `Sign out of an SSO session: the access token is revoked at the portal and
deleted from the token cache (~/.aws/sso/cache), and the SSO role
credentials cached by ssokit and the AWS CLI (~/.aws/cli/cache) are
deleted. Client registrations are kept, so the next sign-in is quicker.

Without flags, signs out of the session of the current profile
(AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default"; when none is named
and "default" is not an SSO profile, the config file's only [sso-session],
named on stderr). With --all, signs out of every session in the
token cache, including those signed in with "aws sso login".`,
		Example: `  ssokit logout --profile dev
  ssokit logout --sso-session my-sso
  ssokit logout --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n := 0
			for _, set := range []bool{opts.Profile != "", opts.SSOSession != "", opts.All} {
				if set {
					n++
				}
			}
			if n > 1 {
				return cmdutil.FlagErrorf("--profile, --sso-session and --all cannot be combined: choose one")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "sign out of this profile's SSO session (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVar(&opts.SSOSession, "sso-session", "", "sign out of this [sso-session]")
	cmd.Flags().BoolVar(&opts.All, "all", false, "sign out of every SSO session in the token cache")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	home, err := f.HomeDir()
	if err != nil {
		return fmt.Errorf("find your home folder: %w", err)
	}
	cache, _, err := f.TokenCache()
	if err != nil {
		return err
	}

	var targets []signout
	if opts.All {
		if targets, err = allTargets(f, cfg, cache); err != nil {
			return err
		}
		if len(targets) == 0 {
			opts.IO.ErrPrintf("No SSO tokens in %s: nothing to sign out of.\n", cache.Dir())
		}
	} else {
		sess, err := f.Session(opts.Profile, opts.SSOSession)
		if err != nil {
			// Without flags the user may not know which profile was meant:
			// point at the way out that needs none.
			var notSSO *config.NotSSOProfileError
			var notFound *config.ProfileNotFoundError
			if errors.As(err, &notSSO) || (errors.As(err, &notFound) && opts.Profile == "" && opts.SSOSession == "") {
				return cmdutil.FlagErrorf("%w; to sign out of every session, run: ssokit logout --all", err)
			}
			return err
		}
		sso := sess.SSO()
		targets = []signout{{
			label: sessionLabel(sso.SessionName, sso.StartURL),
			path:  cache.TokenPath(sso.CacheKey()),
			sess:  sess,
		}}
	}

	var errs []error
	for _, t := range targets {
		if err := signOut(ctx, opts, cache, t); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, err)
		}
	}
	// Role credentials go whatever happened above: they are what a
	// signed-out user must not keep handing out; so do copies of keys that
	// an interrupted sync left next to the credentials file.
	for _, dir := range []string{cache.Dir(), filepath.Dir(cfg.Paths().Credentials)} {
		fileutil.RemoveLeftovers(dir)
	}
	cliCache := credentials.DefaultCacheDir(home)
	removed, err := credentials.PurgeSSOCache(cliCache)
	if removed > 0 {
		opts.IO.ErrPrintf("Deleted %d cached SSO role %s from %s.\n", removed, plural(removed, "credential", "credentials"), cliCache)
	}
	return errors.Join(append(errs, err)...)
}

// signout is one token to sign out of.
type signout struct {
	label string // e.g. `SSO session "my-sso" (https://...)`
	path  string // token file
	// sess is the configured session the token belongs to; nil for a
	// token only the cache knows.
	sess *login.Session
	// elsewhere returns the session to revoke a token only the cache knows
	// with, for the start URL and region the token names.
	elsewhere func(startURL, region string) (*login.Session, error)
}

func sessionLabel(name, startURL string) string {
	if name != "" {
		return fmt.Sprintf("SSO session %q (%s)", name, startURL)
	}
	return fmt.Sprintf("SSO start URL %s", startURL)
}

// allTargets is every token file in the cache, as `aws sso logout` finds
// them, plus the token files of configured sessions that are too damaged to
// be recognised as tokens (they go too). Each is matched to its configured
// session where there is one, for the session's region and endpoint
// override; tokens the AWS CLI wrote for sessions configured elsewhere use
// the current profile's endpoint override, if any.
func allTargets(f *cmdutil.Factory, cfg *config.Config, cache *tokencache.Cache) ([]signout, error) {
	// Quiet: a damaged token or a broken profile is not news when signing
	// out of everything.
	quiet := func(string, ...any) {}
	sessions, err := login.ListSessions(cfg, tokencache.New(cache.Dir()), f.Getenv, quiet)
	if err != nil {
		return nil, err
	}
	entries, err := cache.Tokens()
	if err != nil {
		return nil, err
	}
	defaultProfile := config.SelectProfile("", f.Getenv)
	elsewhere := func(startURL, region string) (*login.Session, error) {
		return f.NewSession(config.SSO{StartURL: startURL, Region: region, Endpoints: cfg.Endpoints(defaultProfile, region, f.Getenv)})
	}
	var out []signout
	seen := map[string]bool{}
	for _, s := range sessions {
		if s.SSO == nil || !exists(s.TokenPath) {
			continue
		}
		sso := *s.SSO
		if sso.Profile == "" && len(s.Profiles) > 0 {
			sso.Profile = s.Profiles[0]
		}
		sess, err := f.NewSession(sso)
		if err != nil {
			return nil, err
		}
		out = append(out, signout{
			label: sessionLabel(sso.SessionName, sso.StartURL),
			path:  s.TokenPath,
			sess:  sess,
		})
		seen[s.TokenPath] = true
	}
	for _, e := range entries {
		if seen[e.Path] {
			continue
		}
		// Not configured here: the file name is all that tells it apart.
		label := fmt.Sprintf("SSO start URL %s (token file %s, not in your config)", e.Token.StartURL, filepath.Base(e.Path))
		if e.Token.StartURL == "" {
			label = "the SSO token in " + filepath.Base(e.Path)
		}
		out = append(out, signout{label: label, path: e.Path, elsewhere: elsewhere})
	}
	return out, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// signOut revokes one token at the portal (best effort: a failure is a
// warning) and deletes its file, under the session's lock. A configured
// session goes through its Logout; a token only the cache knows is revoked
// through a session for its start URL and region, and deleted here.
func signOut(ctx context.Context, opts *Options, cache *tokencache.Cache, t signout) error {
	if !exists(t.path) {
		opts.IO.ErrPrintf("Not signed in to %s: nothing to sign out of.\n", t.label)
		return nil
	}
	if t.sess != nil {
		if err := t.sess.Logout(ctx); err != nil {
			return err
		}
		opts.IO.ErrPrintf("Signed out of %s.\n", t.label)
		return nil
	}

	unlock, err := fileutil.Lock(ctx, t.path)
	if err != nil {
		return fmt.Errorf("sign out of %s: %w", t.label, err)
	}
	defer unlock()
	tok, err := findToken(cache, t.path)
	if err != nil {
		return err
	}
	if tok != nil {
		if err := revoke(ctx, t, tok); err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			opts.IO.ErrPrintf("warning: %v; deleting the cached token anyway\n", err)
		}
	}
	if err := cache.DeletePath(t.path); err != nil {
		return err
	}
	opts.IO.ErrPrintf("Signed out of %s.\n", t.label)
	return nil
}

// revoke signs tok out at the portal of the region it names.
func revoke(ctx context.Context, t signout, tok *tokencache.Token) error {
	if tok.Region == "" {
		return fmt.Errorf("sign out of %s at the portal: the cached token names no region", tok.StartURL)
	}
	sess, err := t.elsewhere(tok.StartURL, tok.Region)
	if err != nil {
		return err
	}
	return sess.Revoke(ctx, tok)
}

// findToken reads the token in path afresh (under the lock, a concurrent
// refresh may have replaced it); nil when there is none.
func findToken(cache *tokencache.Cache, path string) (*tokencache.Token, error) {
	entries, err := cache.Tokens()
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Path == path {
			return e.Token, nil
		}
	}
	return nil, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
