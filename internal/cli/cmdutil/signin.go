package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// SignedInLine says what the person is now signed in to, and for how long,
// in their own time zone.
func SignedInLine(s config.SSO, tok *tokencache.Token) string {
	until := tok.ExpiresAt.Local().Format("2006-01-02 15:04 MST")
	if s.SessionName == "" {
		return fmt.Sprintf("Signed in to %s; token valid until %s", s.StartURL, until)
	}
	return fmt.Sprintf("Signed in to %s as session %q; token valid until %s", s.StartURL, s.SessionName, until)
}

// SignInFlags are the flags of `ssokit login` that choose how to sign in.
type SignInFlags struct {
	UseDeviceCode bool
	NoBrowser     bool
	Port          int
}

// SignInOptions returns the session options that make a session sign in
// when it needs to, as fl asks: the device code when asked, or when a
// browser on this machine cannot work (SSH, no display); PKCE otherwise. A
// fixed port means the person forwards it to a browser elsewhere, so PKCE
// stays, and without a browser here its URL is printed instead of opened.
// Progress and the spinner go to stderr, and so does why the device code
// is used: call it when a sign-in is about to happen. The sso-session's
// ssokit_use_device_code and ssokit_callback_port count as the flags do
// (the session applies them itself).
func SignInOptions(ios *iostreams.IOStreams, getenv func(string) string, goos string, s config.SSO, fl SignInFlags) func(*login.Options) {
	useDeviceCode, noBrowser := fl.UseDeviceCode || s.UseDeviceCode, fl.NoBrowser
	port := fl.Port
	if port == 0 {
		port = s.CallbackPort
	}
	if why := noBrowserReason(getenv, goos); why != "" {
		if port == 0 && !useDeviceCode && s.SessionName != "" {
			ios.ErrPrintf("No browser can be opened here (%s): signing in with a code instead.\n", why)
		}
		// Not even for the code: a terminal browser started over SSH
		// would take over the terminal.
		useDeviceCode, noBrowser = port == 0 || useDeviceCode, true
	}
	return func(o *login.Options) {
		o.UseDeviceCode = useDeviceCode
		o.NoBrowser = noBrowser
		o.Port = fl.Port
		o.Spinner = ios
		o.SignIn = true
	}
}

// EnsureToken returns a valid SSO token for sess: cached, or refreshed
// silently. When the session has expired and a person is at the terminal,
// it offers to sign in right away; otherwise the *login.SignInRequiredError
// goes back to the caller (exit code 3 with the command to run).
func EnsureToken(ctx context.Context, f *Factory, sess *login.Session) (*tokencache.Token, error) {
	tok, err := sess.Token(ctx)
	var need *login.SignInRequiredError
	if err == nil || !errors.As(err, &need) || !f.IOStreams.CanPrompt() {
		return tok, err
	}
	yes, perr := f.Prompter.Confirm(fmt.Sprintf("%s. Sign in now?", capitalize(need.Error())), true)
	if perr != nil {
		return nil, perr
	}
	if !yes {
		return nil, err
	}
	sso := sess.SSO()
	signIn, err := f.NewSession(sso, SignInOptions(f.IOStreams, f.Getenv, runtime.GOOS, sso, SignInFlags{}))
	if err != nil {
		return nil, err
	}
	if tok, err = signIn.Token(ctx); err != nil {
		return nil, err
	}
	f.IOStreams.ErrPrintf("%s\n", SignedInLine(sso, tok))
	return tok, nil
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// WriteBackSSORegion writes the region the session's start URL resolved
// to into the config, where sso_region is set, when it differs from it: an
// organisation's own start URL names the portal's region, which wins, as
// in the AWS CLI. It says so on stderr.
func WriteBackSSORegion(ctx context.Context, f *Factory, sess *login.Session) error {
	now := sess.SSO()
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	var configured config.SSO
	if now.Profile == "" {
		configured, err = cfg.ResolveSSOSession(now.SessionName, "", f.Getenv)
	} else {
		configured, err = cfg.ResolveSSO(now.Profile, f.Getenv)
	}
	if err != nil || configured.Region == now.Region {
		return nil
	}
	path, header, ok := cfg.SSORegionSetting(configured)
	if !ok {
		return nil
	}
	err = config.Edit(ctx, path, func(file *config.File) error {
		sec := file.Section(header)
		if sec == nil {
			return fmt.Errorf("no [%s] section", header)
		}
		sec.Set(config.KeySSORegion, now.Region)
		return nil
	})
	if err != nil {
		return fmt.Errorf("write the start URL's region %s to %s: %w", now.Region, path, err)
	}
	f.IOStreams.ErrPrintf("SSO region updated to %s in [%s] of %s (it was %s; the start URL's portal is in %s).\n", now.Region, header, path, configured.Region, now.Region)
	return nil
}
