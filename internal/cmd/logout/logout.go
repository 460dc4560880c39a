package logout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/cmd/status"
	"github.com/ssokit/ssokit/internal/cmdutil"
	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/iostreams"
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
(AWS_PROFILE, else "default"). With --all, signs out of every session in the
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
	cmd.Flags().StringVar(&opts.Profile, "profile", "", "sign out of this profile's SSO session")
	cmd.Flags().StringVar(&opts.SSOSession, "sso-session", "", "sign out of this [sso-session]")
	cmd.Flags().BoolVar(&opts.All, "all", false, "sign out of every SSO session in the token cache")
	return cmd
}

// lockWait bounds the wait for another process signing in to the same
// session (it may be waiting on a browser for minutes).
const lockWait = 10 * time.Second

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	cfg, _, err := cmdutil.LoadConfig(f)
	if err != nil {
		return err
	}
	home, err := f.HomeDir()
	if err != nil {
		return fmt.Errorf("find your home folder: %w", err)
	}
	warn := func(format string, args ...any) { opts.IO.Printf("warning: "+format+"\n", args...) }
	cache := tokencache.New(tokencache.DefaultDir(home), func(o *tokencache.Options) {
		o.Now = f.Now
		o.Warn = warn
	})

	var targets []target
	if opts.All {
		if targets, err = allTargets(cfg, cache, f.Getenv); err != nil {
			return err
		}
		if len(targets) == 0 {
			opts.IO.Printf("No SSO tokens in %s: nothing to sign out of.\n", cache.Dir())
		}
	} else {
		t, err := cmdutil.ResolveTarget(f, cfg, opts.Profile, opts.SSOSession)
		if err != nil {
			var notSSO *config.NotSSOProfileError
			if errors.As(err, &notSSO) {
				return cmdutil.FlagErrorf("%w; to sign out of every session, use --all", err)
			}
			return err
		}
		targets = []target{{
			label:    sessionLabel(t.SSO.SessionName, t.SSO.StartURL),
			path:     cache.TokenPath(t.SSO.CacheKey()),
			region:   t.SSO.Region,
			endpoint: t.PortalEndpoint,
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
	// signed-out user must not keep handing out.
	cliCache := credentials.DefaultCacheDir(home)
	removed, err := credentials.PurgeSSOCache(cliCache)
	if removed > 0 {
		opts.IO.Printf("Deleted %d cached SSO role %s from %s.\n", removed, plural(removed, "credential", "credentials"), cliCache)
	}
	return errors.Join(append(errs, err)...)
}

// target is one token to sign out of.
type target struct {
	label    string // e.g. `SSO session "my-sso"`
	path     string // token file
	region   string // sso_region from the config; the token's own region otherwise
	endpoint string // portal endpoint override, "" for AWS
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
func allTargets(cfg *config.Config, cache *tokencache.Cache, getenv func(string) string) ([]target, error) {
	// Quiet: a damaged token or a broken profile is not news when signing
	// out of everything.
	quiet := func(string, ...any) {}
	sessions, err := status.Sessions(cfg, tokencache.New(cache.Dir()), quiet)
	if err != nil {
		return nil, err
	}
	entries, err := cache.Tokens()
	if err != nil {
		return nil, err
	}
	defaultEndpoint := cfg.EndpointURL(config.SelectProfile("", getenv), "sso", getenv)
	var out []target
	seen := map[string]bool{}
	for _, s := range sessions {
		if s.SSO == nil || !exists(s.TokenPath) {
			continue
		}
		profile := s.SSO.Profile
		if len(s.Profiles) > 0 {
			profile = s.Profiles[0]
		}
		out = append(out, target{
			label:    sessionLabel(s.SSO.SessionName, s.SSO.StartURL),
			path:     s.TokenPath,
			region:   s.SSO.Region,
			endpoint: cfg.EndpointURL(profile, "sso", getenv),
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
		out = append(out, target{label: label, path: e.Path, region: e.Token.Region, endpoint: defaultEndpoint})
	}
	return out, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// signOut revokes one token at the portal (best effort) and deletes its
// file, under the session's lock.
func signOut(ctx context.Context, opts *Options, cache *tokencache.Cache, t target) error {
	f := opts.Factory
	if !exists(t.path) {
		opts.IO.Printf("Not signed in to %s: nothing to sign out of.\n", t.label)
		return nil
	}
	lockCtx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	unlock, err := fileutil.Lock(lockCtx, t.path)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("sign out of %s: another ssokit process is signing in to it (lock %s.lock); let it finish or stop it, then try again: %w", t.label, t.path, err)
	}
	defer unlock()

	tok, err := findToken(cache, t.path)
	if err != nil {
		return err
	}
	if tok == nil {
		// No token; but a corrupt file may sit there, which goes too.
		_, statErr := os.Stat(t.path)
		if err := cache.DeletePath(t.path); err != nil {
			return err
		}
		if statErr == nil {
			opts.IO.Printf("Deleted the unreadable token file %s of %s.\n", t.path, t.label)
			return nil
		}
		opts.IO.Printf("Not signed in to %s: nothing to sign out of.\n", t.label)
		return nil
	}

	region := t.region
	if region == "" {
		region = tok.Region
	}
	var portalErr error
	switch {
	case tok.Remaining(f.Now()) <= 0 && !tok.ExpiresAt.IsZero():
		// Already worthless at AWS: nothing to revoke.
	case region == "":
		portalErr = errors.New("the token records no SSO region")
	default:
		portalErr = portalLogout(ctx, f.HTTPClient, t.endpoint, region, tok.AccessToken)
	}
	if err := cache.DeletePath(t.path); err != nil {
		return err
	}
	if portalErr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		until := "it expires"
		if !tok.ExpiresAt.IsZero() {
			until = tok.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		opts.IO.Printf("warning: could not sign out of %s at the portal: %v\nThe token was deleted from this computer but stays valid at AWS until %s.\n", t.label, portalErr, until)
		return nil
	}
	opts.IO.Printf("Signed out of %s.\n", t.label)
	return nil
}

// findToken reads the token in path afresh (under the lock, a concurrent
// refresh may have replaced it); nil when there is none. Tokens is used
// rather than LoadToken because it also returns a token whose expiry cannot
// be read, which still deserves revoking.
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

// portalTimeout bounds the portal call: signing out must not hang on an
// unreachable network.
const portalTimeout = 15 * time.Second

// portalLogout calls the SSO portal's Logout for accessToken. endpoint
// overrides https://portal.sso.<region>.amazonaws.com when not "". A token
// the portal no longer knows (expired or already revoked) counts as signed
// out.
func portalLogout(ctx context.Context, httpClient *http.Client, endpoint, region, accessToken string) error {
	ctx, cancel := context.WithTimeout(ctx, portalTimeout)
	defer cancel()
	client := sso.New(sso.Options{Region: region, HTTPClient: httpClient, RetryMaxAttempts: 2}, func(o *sso.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	_, err := client.Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(accessToken)})
	var unauthorized *ssotypes.UnauthorizedException
	var apiErr smithy.APIError
	var urlErr *url.Error
	switch {
	case err == nil, errors.As(err, &unauthorized):
		return nil
	case errors.As(err, &apiErr):
		return fmt.Errorf("the portal in %s answered %s: %s", region, apiErr.ErrorCode(), apiErr.ErrorMessage())
	case errors.As(err, &urlErr):
		return fmt.Errorf("cannot reach the portal at %s: %w", urlErr.URL, urlErr.Err)
	}
	return fmt.Errorf("logout at the portal in %s: %w", region, err)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
