package login

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/tokencache"
)

// Login signs in anew: PKCE for sso-session profiles, the device code
// flow for legacy profiles, with UseDeviceCode (the option, or the
// sso-session's setting), or when no browser can be opened. It holds the cache lock while it works, so processes that need a
// token meanwhile wait for this sign-in instead of starting their own.
//
// One sign-in is enough for logins started together: when, once Login
// holds the lock, the cache has a usable token that another process saved
// after this one started (see Options.Started), Login returns that token
// and says so on Messages instead of signing in again.
func (s *Session) Login(ctx context.Context) (*tokencache.Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	before, _ := s.load()
	unlock, err := s.lock(ctx, s.signInWait(), nil)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tok, _ := s.load()
	if s.savedSince(before, tok) {
		fmt.Fprintf(s.o.Messages, "Another ssokit process signed in to %s while this one waited; using that token.\n", s.describe())
		return tok, nil
	}
	// Secrets left in the other storage move first, so none stays behind.
	if tok != nil {
		if _, err := s.hydrate(tok); err != nil {
			return nil, err
		}
	}
	return s.signIn(ctx)
}

// savedSince says whether tok, the cached token read under the lock, is
// usable and was saved by another process after this one started: it is
// not before, the token Login found on its call (which needs no clock), or
// the file was written at or after Options.Started. File times are at best
// as fine as the file system keeps them and are never later than the
// write, so a coarse time can only make a login sign in again, never take
// an older token.
func (s *Session) savedSince(before, tok *tokencache.Token) bool {
	if _, ok := s.usable(tok); !ok {
		return false
	}
	if before == nil || tok.AccessToken != before.AccessToken {
		return true
	}
	if s.o.Started.IsZero() {
		return false
	}
	written, err := s.o.Cache.TokenModTime(s.key)
	return err == nil && !written.Before(s.o.Started)
}

// Token returns a valid access token: the cached one, refreshed silently
// when less than RefreshWindow remains (sso-session profiles), else a new
// sign-in if Options.SignIn, else *SignInRequiredError. Callers in other
// processes share one refresh or sign-in.
func (s *Session) Token(ctx context.Context) (*tokencache.Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	loaded, err := s.load()
	if err != nil {
		return nil, err
	}
	cached, ok := s.usable(loaded)
	if ok {
		return cached, nil
	}

	// A caller that cannot sign in itself has nothing to wait for when
	// there is no token the lock's holder could be refreshing: the holder
	// is signing in, which takes a person and may take minutes. (A token
	// with time left waits: the holder is refreshing it or moving its
	// secrets.)
	var noWait func() error
	if !s.o.SignIn && !s.worthWaitingFor(cached, s.o.Now()) {
		noWait = func() error {
			e := s.signInRequired(cached, nil)
			e.OtherSignIn = true
			return e
		}
	}
	unlock, err := s.lock(ctx, s.lockWait(), noWait)
	if err != nil {
		// A read-only cache (say, ~/.aws mounted into a container) cannot
		// be refreshed, but a token with time left still works.
		var need *SignInRequiredError
		if cached != nil && cached.Remaining(s.o.Now()) > 0 && !errors.Is(err, context.Canceled) && !errors.As(err, &need) {
			s.o.warnf("%v; using the cached token while it lasts (until %s)", err, cached.ExpiresAt.Local().Format("15:04"))
			return cached, nil
		}
		return nil, err
	}
	defer unlock()
	// Read again: whoever held the lock may have just saved a new token.
	tok, err := s.load()
	if err != nil {
		return nil, err
	}
	if tok, ok := s.usable(tok); ok {
		return tok, nil
	}
	if tok, err = s.hydrate(tok); err != nil {
		return nil, err
	}
	now := s.o.Now()
	if tok != nil && tok.Remaining(now) > s.o.RefreshWindow {
		return tok, nil // it only had its secrets moved
	}
	var refreshErr error
	if tok != nil && s.refreshable(tok, now) {
		fresh, err := s.refresh(ctx, tok)
		if err == nil {
			return fresh, nil
		}
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if tok.Remaining(now) > 0 {
			s.o.warnf("could not refresh the SSO token for %s (it is still valid until %s): %v",
				s.describe(), tok.ExpiresAt.Local().Format("15:04"), err)
			return tok, nil
		}
		refreshErr = err
	}
	if tok != nil && tok.Remaining(now) > 0 {
		// Not refreshable but still valid: use it to the end, as the SDKs do.
		return tok, nil
	}
	if s.o.SignIn {
		if refreshErr != nil {
			s.o.warnf("could not refresh the SSO token for %s: %v; signing in again", s.describe(), refreshErr)
		}
		return s.signIn(ctx)
	}
	return nil, s.signInRequired(tok, refreshErr)
}

// Refresh trades the cached token's refresh token for a new access token
// now, whatever time the old one has left. A token that cannot be refreshed
// (none cached, a legacy profile's, or an expired registration) is a
// *SignInRequiredError.
func (s *Session) Refresh(ctx context.Context) (*tokencache.Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	unlock, err := s.lock(ctx, s.lockWait(), nil)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tok, err := s.loadLocked()
	if err != nil {
		return nil, err
	}
	switch {
	case tok == nil || tok.Remaining(s.o.Now()) <= 0 && !s.refreshable(tok, s.o.Now()):
		return nil, s.signInRequired(tok, nil)
	case !s.refreshable(tok, s.o.Now()):
		return nil, fmt.Errorf("the SSO token for %s: %w", s.describe(), ErrNotRefreshable)
	}
	fresh, err := s.refresh(ctx, tok)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, s.signInRequired(tok, err)
	}
	return fresh, nil
}

func (s *Session) signInRequired(tok *tokencache.Token, cause error) *SignInRequiredError {
	e := &SignInRequiredError{Session: s.key, Legacy: s.sso.SessionName == "", Profile: s.sso.Profile, Err: cause}
	if tok != nil && tok.Remaining(s.o.Now()) <= 0 {
		e.ExpiredAt = tok.ExpiresAt
	}
	return e
}

// Logout revokes the cached token at the portal (a failure there is only
// reported on Messages: the token is deleted either way) and deletes it.
// Client registrations are kept, as the AWS CLI does.
func (s *Session) Logout(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	unlock, err := s.lock(ctx, s.lockWait(), nil)
	if err != nil {
		return err
	}
	defer unlock()
	// An expired token is not sent: the portal would only refuse it.
	tok, _ := s.load()
	if tok != nil && tok.Remaining(s.o.Now()) > 0 {
		if err := s.Revoke(ctx, tok); err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			s.o.warnf("%v; deleting the cached token anyway", err)
		}
	}
	if err := s.o.Cache.DeleteToken(s.key); err != nil {
		return fmt.Errorf("delete the SSO token for %s: %w", s.describe(), err)
	}
	// The keyring entries go too, registration included: a secret at rest
	// is what keyring storage is for avoiding. With file storage the
	// keyring is asked only when the file shows it was written by keyring
	// storage.
	if s.keyring || tok != nil && s.keyringShaped(tok) {
		if err := s.o.Cache.DeleteSecrets(s.key); err != nil {
			if s.keyring {
				return err
			}
			s.o.warnf("%v", err)
		}
	}
	return nil
}

// Revoke calls the portal's Logout for tok on the session's portal. It is
// also for tokens found in the cache without a configured session (written
// by the AWS CLI with another config): the caller deletes the file. A token
// the portal no longer knows counts as revoked.
func (s *Session) Revoke(ctx context.Context, tok *tokencache.Token) error {
	_, err := s.Portal().Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)})
	var gone *ssotypes.UnauthorizedException
	if errors.As(err, &gone) {
		return nil
	}
	if err != nil {
		return apiError("sign out", "SSO portal", s.PortalEndpoint(), err)
	}
	return nil
}

func describeSSO(s config.SSO) string {
	switch {
	case s.SessionName != "":
		return fmt.Sprintf("session %q", s.SessionName)
	case s.Profile != "":
		return fmt.Sprintf("profile %q", s.Profile)
	default:
		return s.StartURL
	}
}

func (s *Session) describe() string { return describeSSO(s.sso) }

// lock takes the cache lock for the session, waiting up to wait for
// another process that holds it. When that takes more than a moment, the
// holder is signing in (or refreshing slowly): the person is told what
// this process waits for and for how long; or, when giveUp is set, its
// error is returned at that point instead. A lock still held at the
// deadline is a *LockTimeoutError.
func (s *Session) lock(ctx context.Context, wait time.Duration, giveUp func() error) (func(), error) {
	quick, cancel := context.WithTimeout(ctx, lockPatience)
	unlock, err := s.o.Cache.Lock(quick, s.key)
	cancel()
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		if giveUp != nil {
			return nil, giveUp()
		}
		fmt.Fprintf(s.o.Messages, "Another ssokit process is signing in to %s; waiting for it to finish.\n(Waiting up to %s; Ctrl-C to cancel.)\n",
			s.describe(), roughly(wait))
		s.o.startSpinner("Waiting for the other sign-in (Ctrl-C to cancel)")
		waitCtx, cancel := context.WithTimeout(ctx, wait)
		unlock, err = s.o.Cache.Lock(waitCtx, s.key)
		cancel()
		s.o.stopSpinner()
		if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, &LockTimeoutError{What: s.describe(), Path: s.o.Cache.TokenPath(s.key) + ".lock", Waited: wait}
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("lock the SSO token cache for %s: %w", s.describe(), err)
	}
	return unlock, nil
}

// signInWait bounds the wait for another process's sign-in: as long as a
// sign-in can take (AuthorizationTimeout, which the device code's expiry
// matches), and a tenth more.
func (s *Session) signInWait() time.Duration { return s.o.AuthorizationTimeout * 11 / 10 }

// lockWait is how long a caller waits for the lock: a sign-in's time when
// it signs in itself, else refreshWait.
func (s *Session) lockWait() time.Duration {
	if s.o.SignIn {
		return s.signInWait()
	}
	return refreshWait
}

// roughly says d in whole minutes, or seconds below one.
func roughly(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	m := int(d.Round(time.Minute) / time.Minute)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// load returns the cached token, or nil when there is none. The cache
// itself warns about a corrupt file and treats it as absent; a file that
// cannot be read at all (a folder in its place, no permission) is an
// error, which a new sign-in would not mend.
func (s *Session) load() (*tokencache.Token, error) {
	tok, err := s.o.Cache.LoadToken(s.key)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("the SSO token for %s: %w", s.describe(), err)
	}
	return tok, nil
}

// usable says whether tok can be returned without taking the lock: it has
// more than the refresh window left, or it has time left and nothing could
// make it better without a person.
func (s *Session) usable(tok *tokencache.Token) (*tokencache.Token, bool) {
	if tok == nil {
		return nil, false
	}
	now := s.o.Now()
	left := tok.Remaining(now)
	if s.needsMove(tok) {
		return tok, false
	}
	if left > s.o.RefreshWindow {
		return tok, true
	}
	return tok, left > 0 && !s.mayRefresh(tok, now)
}

// refreshable says whether tok, with its secrets (hydrate), can be
// refreshed.
func (s *Session) refreshable(tok *tokencache.Token, now time.Time) bool {
	return s.sso.SessionName != "" && tok.CanRefresh(now)
}

// mayRefresh is refreshable for a token as read from its file: with
// keyring storage, or a file written by it, the secrets are taken to be in
// the keyring, which is asked only under the lock.
func (s *Session) mayRefresh(tok *tokencache.Token, now time.Time) bool {
	if !tok.HasSecrets() && (s.keyring || s.keyringShaped(tok)) {
		return s.sso.SessionName != ""
	}
	return s.refreshable(tok, now)
}

// worthWaitingFor says whether the holder of the lock may be making tok
// better without a person: refreshing it (with its secrets in the file, or
// in the keyring with keyring storage), or moving its secrets while it
// still has time left.
func (s *Session) worthWaitingFor(tok *tokencache.Token, now time.Time) bool {
	if tok == nil {
		return false
	}
	return s.refreshable(tok, now) || s.keyring && s.sso.SessionName != "" && !tok.HasSecrets() || tok.Remaining(now) > 0
}

// keyringShaped says whether tok's file looks written by keyring storage:
// an sso-session token with neither client id nor refresh token, which the
// AWS CLI never writes.
func (s *Session) keyringShaped(tok *tokencache.Token) bool {
	return s.sso.SessionName != "" && tok.ClientID == "" && tok.RefreshToken == ""
}

// needsMove says whether tok's file holds secrets that keyring storage
// keeps in the keyring (the setting changed, or another tool wrote the
// file): the next caller takes the lock and moves them. The other way, a
// file written by keyring storage for a session that now uses files, waits
// for the lock to be taken anyway (a refresh, a sign-in, a logout): a
// token with time left is used without asking the keyring.
func (s *Session) needsMove(tok *tokencache.Token) bool {
	return s.keyring && tok.HasSecrets()
}

// loadLocked is load followed by hydrate. The caller holds the lock.
func (s *Session) loadLocked() (*tokencache.Token, error) {
	tok, err := s.load()
	if err != nil {
		return nil, err
	}
	return s.hydrate(tok)
}

// hydrate moves secrets to the storage the session uses and returns tok
// with its secrets, read from the keyring with keyring storage. The caller
// holds the lock. A keyring that cannot be used is an error with keyring
// storage, never a reason to use the files instead; with file storage,
// where only a file written by keyring storage makes it ask the keyring,
// it is ignored: the token is then one that cannot be refreshed.
func (s *Session) hydrate(tok *tokencache.Token) (*tokencache.Token, error) {
	if !s.keyring {
		if tok == nil || !s.keyringShaped(tok) {
			return tok, nil
		}
		sec, err := s.o.Cache.LoadSecrets(s.key)
		if err != nil {
			return tok, nil
		}
		return s.moveToFiles(tok, sec)
	}
	if tok != nil && tok.HasSecrets() {
		return s.moveToKeyring(tok)
	}
	sec, err := s.o.Cache.LoadSecrets(s.key)
	if err != nil {
		if isNotFound(err) {
			return tok, nil
		}
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	return tok.WithSecrets(sec), nil
}

// registrationKey is the key of the session's client registration, as the
// AWS CLI names its file: the configured region, even when the start URL
// turned out to be in another.
func (s *Session) registrationKey() tokencache.RegistrationKey {
	return tokencache.RegistrationKey{
		Region:      s.configuredRegion,
		Scopes:      s.sso.Scopes,
		SessionName: s.sso.SessionName,
		StartURL:    s.sso.StartURL,
	}
}

// moveToKeyring puts the secrets of tok and of the registration file in
// the keyring, then rewrites the token file without them and deletes the
// registration file: the keyring first, so that a keyring that fails
// loses nothing.
func (s *Session) moveToKeyring(tok *tokencache.Token) (*tokencache.Token, error) {
	rk := s.registrationKey()
	reg, err := s.o.Cache.LoadRegistration(rk)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if reg == nil || reg.ClientID != tok.ClientID {
		if tok.ClientID != "" && tok.ClientSecret != "" && !tok.RegistrationExpiresAt.IsZero() {
			reg = &tokencache.Registration{ClientID: tok.ClientID, ClientSecret: tok.ClientSecret, ExpiresAt: tok.RegistrationExpiresAt}
		}
	}
	if reg != nil {
		if err := s.o.Cache.SaveKeyringRegistration(s.key, rk, reg); err != nil {
			return nil, err
		}
	}
	if err := s.o.Cache.SaveRefreshToken(s.key, tok.RefreshToken); err != nil {
		return nil, err
	}
	if err := s.o.Cache.SaveToken(s.key, tok.WithoutSecrets()); err != nil {
		return nil, fmt.Errorf("save the SSO token for %s: %w", s.describe(), err)
	}
	if err := s.o.Cache.DeleteRegistration(rk); err != nil {
		return nil, err
	}
	return tok, nil
}

// moveToFiles writes the secrets found in the keyring back into the token
// file and the registration file, as the AWS CLI keeps them, then deletes
// the keyring entries.
func (s *Session) moveToFiles(tok *tokencache.Token, sec *tokencache.Secrets) (*tokencache.Token, error) {
	full := tok.WithSecrets(sec)
	rk := s.registrationKey()
	if r := sec.Registration; r != nil && sec.RegistrationFile == rk.FileName() {
		if err := s.o.Cache.SaveRegistration(rk, r); err != nil {
			return nil, err
		}
	}
	if err := s.o.Cache.SaveToken(s.key, full); err != nil {
		return nil, fmt.Errorf("save the SSO token for %s: %w", s.describe(), err)
	}
	if err := s.o.Cache.DeleteSecrets(s.key); err != nil {
		return nil, err
	}
	return full, nil
}

// refresh trades the refresh token for a new access token and saves it.
// Unknown fields of the file are kept; so is the old refresh token when the
// service does not send a new one (it stays valid, and other tools may
// still want to use it).
func (s *Session) refresh(ctx context.Context, old *tokencache.Token) (*tokencache.Token, error) {
	out, err := s.client().CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(old.ClientID),
		ClientSecret: aws.String(old.ClientSecret),
		GrantType:    aws.String(grantRefreshToken),
		RefreshToken: aws.String(old.RefreshToken),
	})
	if err != nil {
		return nil, apiError("refresh the SSO token", "SSO OIDC", s.OIDCEndpoint(), err)
	}
	if out.AccessToken == nil || *out.AccessToken == "" {
		return nil, fmt.Errorf("refresh the SSO token at %s: the response has no access token", s.OIDCEndpoint())
	}
	tok := *old
	tok.StartURL, tok.Region = s.sso.StartURL, s.SSO().Region
	tok.AccessToken = *out.AccessToken
	tok.ExpiresAt = s.o.Now().Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Truncate(time.Second)
	if out.RefreshToken != nil && *out.RefreshToken != "" {
		tok.RefreshToken = *out.RefreshToken
	}
	if err := s.save(&tok, old.RefreshToken); err != nil {
		return nil, err
	}
	return &tok, nil
}

// save writes tok: with keyring storage its refresh token to the keyring
// (unless it is the one there already, old) and the rest to the file.
func (s *Session) save(tok *tokencache.Token, old string) error {
	file := tok
	if s.keyring {
		if tok.RefreshToken != old {
			if err := s.o.Cache.SaveRefreshToken(s.key, tok.RefreshToken); err != nil {
				return err
			}
		}
		file = tok.WithoutSecrets()
	}
	if err := s.o.Cache.SaveToken(s.key, file); err != nil {
		return fmt.Errorf("save the SSO token for %s: %w", s.describe(), err)
	}
	return nil
}

// lockPatience is how long a lock may be held (a refresh takes less)
// before the person is told that another process is signing in.
const lockPatience = 500 * time.Millisecond

// refreshWait bounds the wait of a caller that does not sign in itself: a
// refresh, even one the service throttles, is over well within it.
const refreshWait = time.Minute

const (
	grantRefreshToken = "refresh_token"
	grantAuthCode     = "authorization_code"
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
)
