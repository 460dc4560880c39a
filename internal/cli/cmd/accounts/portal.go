package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// NewLister returns a Lister on t's portal using the access token tok.
// The configure, accounts and populate commands share it.
func NewLister(f *cmdutil.Factory, t *cmdutil.Target, tok *tokencache.Token, listOpts ...func(*listing.Options)) *listing.Lister {
	client := sso.New(sso.Options{
		Region:       t.SSO.Region,
		BaseEndpoint: endpointOverride(t.PortalEndpoint),
		HTTPClient:   keepAlive(f.HTTPClient),
	})
	return listing.New(client, tok.AccessToken, listOpts...)
}

// keepAlive gives a client on the default transport one that keeps a
// connection per worker open: the default keeps two per host, so eight
// workers would open (and TLS-handshake) new connections all the time.
func keepAlive(hc *http.Client) *http.Client {
	if hc == nil || hc.Transport != nil {
		return hc
	}
	def, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return hc
	}
	tr := def.Clone()
	tr.MaxIdleConnsPerHost = listing.DefaultWorkers + 1
	c := *hc
	c.Transport = tr
	return &c
}

func endpointOverride(url string) *string {
	if url == "" {
		return nil
	}
	return aws.String(url)
}

// PortalURL is the portal endpoint t's calls go to, for error messages.
func PortalURL(t *cmdutil.Target) string {
	if t.PortalEndpoint != "" {
		return t.PortalEndpoint
	}
	return "https://portal.sso." + t.SSO.Region + ".amazonaws.com"
}

// PortalError explains a failed portal call: a token the portal refuses
// means signing in again; anything else names the portal URL.
func PortalError(t *cmdutil.Target, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var unauthorized *types.UnauthorizedException
	if errors.As(err, &unauthorized) {
		return &login.SignInRequiredError{Session: sessionName(t), Profile: t.Profile}
	}
	var throttled *listing.ThrottledError
	if errors.As(err, &throttled) {
		return fmt.Errorf("portal %s: %w; try a lower --rate", PortalURL(t), err)
	}
	return fmt.Errorf("portal %s: %w", PortalURL(t), err)
}

func sessionName(t *cmdutil.Target) string {
	if t.SSO.SessionName != "" {
		return t.SSO.SessionName
	}
	return t.SSO.StartURL
}

// NoAccountsError means the user is assigned to no account in the session.
type NoAccountsError struct{ Session, StartURL string }

func (e *NoAccountsError) Error() string {
	return fmt.Sprintf("no AWS accounts are assigned to you through %s (%s); ask your administrator for access, or check that this is the right start URL",
		e.Session, e.StartURL)
}

// ListAll lists every account and role of t with l and explains failures.
// An empty organisation is a *NoAccountsError.
func ListAll(ctx context.Context, t *cmdutil.Target, l *listing.Lister) ([]listing.Account, error) {
	accts, err := l.All(ctx)
	if err != nil {
		return nil, PortalError(t, err)
	}
	if len(accts) == 0 {
		return nil, &NoAccountsError{Session: describeSession(t), StartURL: t.SSO.StartURL}
	}
	return accts, nil
}

func describeSession(t *cmdutil.Target) string {
	if t.SSO.SessionName != "" {
		return fmt.Sprintf("sso-session %q", t.SSO.SessionName)
	}
	return fmt.Sprintf("profile %q", t.Profile)
}

// ProgressBar draws a listing's progress on a terminal; on anything else it
// draws nothing. Use its Update as listing.Options.Progress and call Done
// when the listing ends.
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
func NewProgressBar(f *cmdutil.Factory) *ProgressBar {
	return &ProgressBar{w: f.IOStreams.ErrOut, tty: f.IOStreams.IsStderrTTY(), now: time.Now}
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
