package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sso/types"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// NewLister returns a Lister on sess's portal using the access token tok.
// The configure, accounts and populate commands share it.
func NewLister(sess *login.Session, tok *tokencache.Token, listOpts ...func(*listing.Options)) *listing.Lister {
	return listing.New(sess.Portal(), tok.AccessToken, listOpts...)
}

// PortalError explains a failed portal call: a token the portal refuses
// means signing in again; anything else names the portal URL.
func PortalError(sess *login.Session, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var unauthorized *types.UnauthorizedException
	if errors.As(err, &unauthorized) {
		sso := sess.SSO()
		return &login.SignInRequiredError{Session: sso.CacheKey(), Legacy: sso.SessionName == "", Profile: sso.Profile}
	}
	var throttled *listing.ThrottledError
	if errors.As(err, &throttled) {
		return fmt.Errorf("portal %s: %w; try a lower --rate", sess.PortalEndpoint(), err)
	}
	return fmt.Errorf("portal %s: %w", sess.PortalEndpoint(), err)
}

// NoAccountsError means the user is assigned to no account in the session.
type NoAccountsError struct{ Session, StartURL string }

func (e *NoAccountsError) Error() string {
	return fmt.Sprintf("no AWS accounts are assigned to you through %s (%s); ask your administrator for access, or check that this is the right start URL",
		e.Session, e.StartURL)
}

// ListAll lists every account and role of sess with l and explains
// failures. An empty organisation is a *NoAccountsError.
func ListAll(ctx context.Context, sess *login.Session, l *listing.Lister) ([]listing.Account, error) {
	accts, err := l.All(ctx)
	if err != nil {
		return nil, PortalError(sess, err)
	}
	if len(accts) == 0 {
		sso := sess.SSO()
		return nil, &NoAccountsError{Session: DescribeSession(sso), StartURL: sso.StartURL}
	}
	return accts, nil
}

// DescribeSession names the session of sso for messages.
func DescribeSession(sso config.SSO) string {
	if sso.SessionName != "" {
		return fmt.Sprintf("sso-session %q", sso.SessionName)
	}
	return fmt.Sprintf("profile %q", sso.Profile)
}

// ProgressBar draws a listing's progress on a terminal that can redraw a
// line (not TERM=dumb); on anything else it draws nothing. Use its Update
// as listing.Options.Progress and call Done when the listing ends.
type ProgressBar struct {
	w   io.Writer
	tty bool
	now func() time.Time

	mu    sync.Mutex
	start time.Time
	last  time.Time
	drawn bool
}

// NewProgressBar returns a bar drawing on f's stderr.
func NewProgressBar(f *Factory) *ProgressBar {
	return &ProgressBar{w: f.IOStreams.ErrOut, tty: f.IOStreams.CanRedrawStderr(), now: time.Now}
}

// Begin says what is about to be listed when no bar can be drawn, so a log
// of a long run shows why it waits.
func (b *ProgressBar) Begin(format string, args ...any) {
	if !b.tty {
		fmt.Fprintf(b.w, format+"\n", args...)
	}
}

// Update redraws the bar, at most ten times a second.
func (b *ProgressBar) Update(p listing.Progress) {
	if !b.tty {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if b.start.IsZero() {
		b.start = now
	}
	if now.Sub(b.last) >= 100*time.Millisecond || (p.Listed && p.Done == p.Accounts) {
		b.last = now
		b.drawn = true
		fmt.Fprintf(b.w, "\r\033[K%s", progressLine(p, 30, eta(p, now.Sub(b.start))))
	}
}

// Done clears the bar.
func (b *ProgressBar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}

// eta guesses the time left from the pace so far, once the number of
// accounts is known; 0 means no guess.
func eta(p listing.Progress, elapsed time.Duration) time.Duration {
	if !p.Listed || p.Done == 0 || p.Done >= p.Accounts {
		return 0
	}
	return elapsed * time.Duration(p.Accounts-p.Done) / time.Duration(p.Done)
}

// progressLine renders e.g. "Listing roles [=====>     ] 412/1000 accounts,
// 3 throttled, about 29s left"; while accounts are still being found the
// total reads "412/500+".
func progressLine(p listing.Progress, width int, left time.Duration) string {
	total := fmt.Sprintf("%d", p.Accounts)
	if !p.Listed {
		total += "+"
	}
	filled := 0
	if p.Accounts > 0 {
		filled = p.Done * width / p.Accounts
	}
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	line := fmt.Sprintf("Listing roles [%s] %d/%s accounts", bar, p.Done, total)
	if p.Throttled > 0 {
		line += fmt.Sprintf(", %d throttled", p.Throttled)
	}
	if left > 0 {
		line += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return line
}
