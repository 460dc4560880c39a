package login

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/redact"
	ssologin "github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// freshFor is how much time a token must have left (after a silent
// refresh, where one is possible) for --all to leave its session alone:
// the AWS CLI's refresh window.
const freshFor = 15 * time.Minute

// runAll signs in to every configured session in turn: each sso-session,
// and each start URL that profiles set without one (profiles sharing a
// start URL share its token, so they are one session). Sessions whose
// token is fresh, or refreshed silently, are left as they are. At a
// terminal the person is asked before each sign-in and may skip it. One
// session failing does not stop the others; the exit code says some did.
func runAll(opts *Options) error {
	f := opts.Factory
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	cache, warn, err := f.TokenCache()
	if err != nil {
		return err
	}
	all, err := ssologin.ListSessions(cfg, cache, opts.Getenv, warn)
	if err != nil {
		return err
	}
	var sessions []ssologin.SessionEntry
	for _, s := range all {
		if s.SSO != nil { // not the tokens only the cache knows
			sessions = append(sessions, s)
		}
	}
	if len(sessions) == 0 {
		return fmt.Errorf("no sso-session and no SSO profile in %s", cfg.Paths().Config)
	}

	var signedIn, fresh, skipped int
	var failed []string
	for i, s := range sessions {
		label := sessionLabel(s)
		opts.IO.ErrPrintf("[%d/%d] %s\n", i+1, len(sessions), label)
		tok, err := loginOne(opts, *s.SSO, label)
		switch {
		case errors.Is(err, errSkipped):
			opts.IO.ErrPrintf("Skipped.\n")
			skipped++
		case err != nil && (errors.Is(err, cmdutil.ErrCancel) || errors.Is(err, context.Canceled) || opts.Context.Err() != nil):
			return err
		case err != nil:
			opts.IO.ErrPrintf("Failed: %v\n", err)
			failed = append(failed, label)
		case tok.fresh:
			opts.IO.ErrPrintf("Already signed in; token valid until %s\n", tok.ExpiresAt.Local().Format("2006-01-02 15:04 MST"))
			fresh++
		default:
			signedIn++
		}
	}
	opts.IO.ErrPrintf("%s\n", allSummary(signedIn, fresh, skipped, len(failed)))
	if len(failed) > 0 {
		return fmt.Errorf("could not sign in to %s", strings.Join(failed, ", "))
	}
	return nil
}

// errSkipped: the person chose not to sign in to this session now.
var errSkipped = errors.New("skipped")

type allToken struct {
	*tokencache.Token
	fresh bool // no sign-in was needed
}

// loginOne leaves a fresh token as it is (refreshing it silently when it
// is near its end), and otherwise signs in, asking first at a terminal.
func loginOne(opts *Options, sso config.SSO, label string) (allToken, error) {
	f := opts.Factory
	sess, err := f.NewSession(sso)
	if err != nil {
		return allToken{}, err
	}
	tok, err := sess.Token(opts.Context)
	var need *ssologin.SignInRequiredError
	switch {
	case err == nil && tok.Remaining(f.Now()) > freshFor:
		return allToken{tok, true}, nil
	case err != nil && !errors.As(err, &need):
		return allToken{}, err
	}
	if opts.IO.CanPrompt() {
		answer, err := f.Prompter.Input(fmt.Sprintf("Press Enter to sign in to %s, s to skip", label), "", enterOrSkip)
		if err != nil {
			return allToken{}, err
		}
		if answer != "" {
			return allToken{}, errSkipped
		}
	}
	signIn := cmdutil.SignInOptions(opts.IO, opts.Getenv, opts.GOOS, sso, cmdutil.SignInFlags{
		UseDeviceCode: opts.UseDeviceCode, NoBrowser: opts.NoBrowser, Port: opts.Port,
	})
	if sess, err = f.NewSession(sso, signIn, func(o *ssologin.Options) { o.Started = opts.Started }); err != nil {
		return allToken{}, err
	}
	if tok, err = sess.Login(opts.Context); err != nil {
		return allToken{}, err
	}
	opts.IO.ErrPrintf("%s\n", cmdutil.SignedInLine(sso, tok))
	if err := cmdutil.WriteBackSSORegion(opts.Context, f, sess); err != nil {
		return allToken{}, err
	}
	return allToken{Token: tok}, nil
}

// enterOrSkip accepts an empty answer (sign in) or s (skip).
func enterOrSkip(answer string) error {
	switch strings.ToLower(answer) {
	case "", "s", "skip":
		return nil
	}
	return errors.New("press Enter to sign in, or type s and Enter to skip")
}

// sessionLabel names a session in the header of its turn and in the
// prompt: its sso-session, or its start URL and the profiles that set it.
func sessionLabel(s ssologin.SessionEntry) string {
	if s.Kind == ssologin.KindSSOSession {
		return fmt.Sprintf("sso-session %s (%s)", redact.Quote(s.Name), s.StartURL)
	}
	profiles := "profile "
	if len(s.Profiles) > 1 {
		profiles = "profiles "
	}
	return fmt.Sprintf("%s (%s%s, without an sso-session)", s.StartURL, profiles, strings.Join(s.Profiles, ", "))
}

// allSummary is the last line of --all: what happened to how many sessions.
func allSummary(signedIn, fresh, skipped, failed int) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(signedIn, "signed in")
	add(fresh, "already signed in")
	add(skipped, "skipped")
	add(failed, "failed")
	return "Sessions: " + strings.Join(parts, ", ") + "."
}
