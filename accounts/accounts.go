package accounts

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
)

// API is the part of the SSO portal client the lister calls; *sso.Client
// satisfies it.
type API interface {
	ListAccounts(ctx context.Context, in *sso.ListAccountsInput, optFns ...func(*sso.Options)) (*sso.ListAccountsOutput, error)
	ListAccountRoles(ctx context.Context, in *sso.ListAccountRolesInput, optFns ...func(*sso.Options)) (*sso.ListAccountRolesOutput, error)
}

// Account is one AWS account the user is assigned to.
type Account struct {
	ID    string
	Name  string
	Email string
	// Roles are the permission-set roles the user may assume in the
	// account, sorted. Nil when only the accounts were listed.
	Roles []string
}

// Defaults of Options.
const (
	DefaultRequestsPerSecond = 20
	DefaultWorkers           = 8
	DefaultMaxAttempts       = 10
	DefaultPageSize          = 100
)

// Options tune a Lister.
type Options struct {
	// RequestsPerSecond caps the rate of portal calls across all workers.
	RequestsPerSecond float64
	// Burst is how many calls may go out back to back. Keep it at 1 (the
	// default) unless the server's bucket is known to be deeper.
	Burst int
	// Workers is how many accounts have their roles listed at once.
	Workers int
	// MaxAttempts bounds the tries of one call that is throttled or fails
	// on the server's side.
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the jittered sleep before a retry:
	// a random duration in [0, min(MaxBackoff, BaseBackoff·2^retry)).
	BaseBackoff, MaxBackoff time.Duration
	// PageSize is max_result for both operations (1..100).
	PageSize int32
	// Progress, when set, is told how far All has got. Calls are
	// serialised; keep it quick.
	Progress func(Progress)
	// Now and Jitter are the clock and the random source (a number in
	// [0,1)); tests replace them.
	Now    func() time.Time
	Jitter func() float64
}

// Progress is how far a listing has got.
type Progress struct {
	// Accounts is the number of accounts found so far; Listed tells
	// whether the account listing is complete (Accounts is then final).
	Accounts int
	Listed   bool
	// Done is the number of accounts whose roles are listed.
	Done int
	// Throttled counts 429 answers so far.
	Throttled int
}

// Stats counts what a Lister sent and received.
type Stats struct {
	// Requests is every call sent, retries included.
	Requests int
	// Throttled is the number of 429 (TooManyRequestsException) answers.
	Throttled int
	// Retries is the number of calls sent again after a 429 or 5xx.
	Retries int
}

// ThrottledError is returned when a call is still refused after
// Options.MaxAttempts tries.
type ThrottledError struct {
	Operation string
	Attempts  int
	Err       error
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("%s was refused %d times in a row (the portal's rate limit or a server error); lower the request rate and try again: %v",
		e.Operation, e.Attempts, e.Err)
}

func (e *ThrottledError) Unwrap() error { return e.Err }

// Lister lists accounts and roles with one access token. It is safe for
// concurrent use; its limiter and counters are shared by every call.
type Lister struct {
	api   API
	token string
	opts  Options
	lim   *rate.Limiter

	mu      sync.Mutex
	stats   Stats
	current float64   // the shared rate now: RequestsPerSecond, or less after 429s
	lastCut time.Time // when a 429 last lowered current
}

// New returns a Lister calling api with accessToken (from the SSO token
// cache or a sign-in).
func New(api API, accessToken string, optFns ...func(*Options)) *Lister {
	o := Options{
		RequestsPerSecond: DefaultRequestsPerSecond,
		Burst:             1,
		Workers:           DefaultWorkers,
		MaxAttempts:       DefaultMaxAttempts,
		BaseBackoff:       100 * time.Millisecond,
		MaxBackoff:        5 * time.Second,
		PageSize:          DefaultPageSize,
		Now:               time.Now,
		Jitter:            rand.Float64,
	}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.RequestsPerSecond <= 0 {
		o.RequestsPerSecond = DefaultRequestsPerSecond
	}
	o.Burst = max(o.Burst, 1)
	o.Workers = max(o.Workers, 1)
	o.MaxAttempts = max(o.MaxAttempts, 1)
	if o.PageSize < 1 || o.PageSize > 100 {
		o.PageSize = DefaultPageSize
	}
	return &Lister{
		api:     api,
		token:   accessToken,
		opts:    o,
		lim:     rate.NewLimiter(rate.Limit(o.RequestsPerSecond), o.Burst),
		current: o.RequestsPerSecond,
	}
}

// maxRetryAfter bounds how long a server's Retry-After can make a retry wait.
const maxRetryAfter = time.Minute

// Stats returns the counts so far.
func (l *Lister) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// Accounts lists the accounts, without their roles, in the portal's order.
func (l *Lister) Accounts(ctx context.Context) ([]Account, error) {
	var out []Account
	err := l.eachAccountPage(ctx, func(page []Account) error {
		out = append(out, page...)
		return nil
	})
	return out, err
}

// Roles lists the roles the user may assume in one account, sorted.
func (l *Lister) Roles(ctx context.Context, accountID string) ([]string, error) {
	var roles []string
	var next *string
	for {
		in := &sso.ListAccountRolesInput{
			AccessToken: &l.token,
			AccountId:   aws.String(accountID),
			MaxResults:  aws.Int32(l.opts.PageSize),
			NextToken:   next,
		}
		var page *sso.ListAccountRolesOutput
		err := l.call(ctx, "ListAccountRoles for account "+accountID, func(ctx context.Context) (err error) {
			page, err = l.api.ListAccountRoles(ctx, in, noRetries)
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, r := range page.RoleList {
			roles = append(roles, aws.ToString(r.RoleName))
		}
		if aws.ToString(page.NextToken) == "" {
			break
		}
		next = page.NextToken
	}
	sort.Strings(roles)
	return roles, nil
}

// All lists every account with its roles, in the portal's account order.
// Role listing runs on Options.Workers goroutines fed by the account pages
// as they arrive. The first error that is not retried stops the listing.
func (l *Lister) All(ctx context.Context) ([]Account, error) {
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan int, 2*int(l.opts.PageSize))

	var (
		pmu      sync.Mutex
		accounts []*Account
		progress Progress
	)
	report := func(update func(*Progress)) {
		pmu.Lock()
		defer pmu.Unlock()
		update(&progress)
		progress.Throttled = l.Stats().Throttled
		if l.opts.Progress != nil {
			l.opts.Progress(progress)
		}
	}
	account := func(i int) *Account {
		pmu.Lock()
		defer pmu.Unlock()
		return accounts[i]
	}

	g.Go(func() error {
		defer close(jobs)
		err := l.eachAccountPage(ctx, func(page []Account) error {
			for _, a := range page {
				pmu.Lock()
				accounts = append(accounts, &a)
				i := len(accounts) - 1
				pmu.Unlock()
				report(func(p *Progress) { p.Accounts++ })
				select {
				case jobs <- i:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
		if err == nil {
			report(func(p *Progress) { p.Listed = true })
		}
		return err
	})
	for range l.opts.Workers {
		g.Go(func() error {
			for i := range jobs {
				a := account(i)
				roles, err := l.Roles(ctx, a.ID)
				if err != nil {
					return err
				}
				if roles == nil {
					roles = []string{}
				}
				a.Roles = roles
				report(func(p *Progress) { p.Done++ })
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]Account, len(accounts))
	for i, a := range accounts {
		out[i] = *a
	}
	return out, nil
}

func (l *Lister) eachAccountPage(ctx context.Context, fn func([]Account) error) error {
	var next *string
	for {
		in := &sso.ListAccountsInput{
			AccessToken: &l.token,
			MaxResults:  aws.Int32(l.opts.PageSize),
			NextToken:   next,
		}
		var page *sso.ListAccountsOutput
		err := l.call(ctx, "ListAccounts", func(ctx context.Context) (err error) {
			page, err = l.api.ListAccounts(ctx, in, noRetries)
			return err
		})
		if err != nil {
			return err
		}
		accts := make([]Account, 0, len(page.AccountList))
		for _, a := range page.AccountList {
			accts = append(accts, Account{
				ID:    aws.ToString(a.AccountId),
				Name:  aws.ToString(a.AccountName),
				Email: aws.ToString(a.EmailAddress),
			})
		}
		if err := fn(accts); err != nil {
			return err
		}
		if aws.ToString(page.NextToken) == "" {
			return nil
		}
		next = page.NextToken
	}
}

// noRetries turns the SDK's retryer off for our calls: retries are ours,
// paced by the shared limiter, and counted.
func noRetries(o *sso.Options) { o.Retryer = aws.NopRetryer{} }

// call runs one request under the limiter, retrying throttling and server
// errors with jittered exponential backoff.
func (l *Lister) call(ctx context.Context, op string, do func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if err := l.take(ctx); err != nil {
			return err
		}
		l.count(func(s *Stats) {
			s.Requests++
			if attempt > 1 {
				s.Retries++
			}
		})
		err := do(ctx)
		if err == nil {
			l.speedUp()
			return nil
		}
		throttled, retryAfter, retryable := classify(err)
		if throttled {
			l.count(func(s *Stats) { s.Throttled++ })
			l.slowDown()
		}
		if !retryable {
			return err
		}
		if attempt >= l.opts.MaxAttempts {
			return &ThrottledError{Operation: op, Attempts: attempt, Err: err}
		}
		// The server's Retry-After is a floor, bounded so a wild value
		// cannot park the listing for hours.
		if err := sleep(ctx, max(l.backoff(attempt), min(retryAfter, maxRetryAfter))); err != nil {
			return err
		}
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (l *Lister) count(fn func(*Stats)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn(&l.stats)
}

// backoff is "full jitter": uniform in [0, min(cap, base·2^(attempt-1))).
func (l *Lister) backoff(attempt int) time.Duration {
	ceil := l.opts.MaxBackoff
	if shift := attempt - 1; shift < 30 {
		ceil = min(ceil, l.opts.BaseBackoff<<shift)
	}
	return time.Duration(l.opts.Jitter() * float64(ceil))
}

// take waits for a token of the shared limiter. It does not reserve one
// ahead as rate.Limiter.Wait does: with every worker waiting, reservations
// would reach a worker-count of slots into the future at the old rate, so a
// cut after a 429 would only take effect after more 429s. Whoever finds a
// token first takes it.
func (l *Lister) take(ctx context.Context) error {
	for {
		if l.lim.Allow() {
			return nil
		}
		lim := float64(l.lim.Limit())
		// The computed wait can fall a hair short of the token; a small
		// floor keeps the loop from spinning without wasting the slot.
		wait := 200 * time.Microsecond
		if lim > 0 {
			wait = max(wait, time.Duration((1-l.lim.Tokens())/lim*float64(time.Second)))
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// The shared rate adapts to the server like TCP's congestion window
// (additive increase, multiplicative decrease): a 429 cuts it by a fifth,
// at most once per cutSpacing since the requests in flight when the server
// ran dry all hear the same news; every success then wins back a 400th of
// the configured rate. Against a server whose bucket is as fast as the
// configured rate but shallow, the rate settles just below the point where
// network jitter earns 429s, instead of swinging between full speed and a
// long pause.
const (
	cutFactor   = 0.8
	cutSpacing  = 500 * time.Millisecond
	floorFactor = 0.05 // the rate never drops below this share of the configured one
	gainFactor  = 1.0 / 400
)

func (l *Lister) slowDown() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.opts.Now()
	if now.Sub(l.lastCut) < cutSpacing {
		return
	}
	l.lastCut = now
	l.current = max(l.current*cutFactor, l.opts.RequestsPerSecond*floorFactor)
	l.lim.SetLimit(rate.Limit(l.current))
}

func (l *Lister) speedUp() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current < l.opts.RequestsPerSecond {
		l.current = min(l.current+l.opts.RequestsPerSecond*gainFactor, l.opts.RequestsPerSecond)
		l.lim.SetLimit(rate.Limit(l.current))
	}
}

// classify tells whether err is a 429, what Retry-After asked for, and
// whether the call may be retried (429 and 5xx; a client error or a
// network failure is returned at once).
func classify(err error) (throttled bool, retryAfter time.Duration, retryable bool) {
	var tooMany *types.TooManyRequestsException
	if errors.As(err, &tooMany) {
		throttled = true
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		status := re.HTTPStatusCode()
		if status == http.StatusTooManyRequests {
			throttled = true
		}
		if secs, perr := strconv.Atoi(re.Response.Header.Get("Retry-After")); perr == nil && secs > 0 {
			retryAfter = time.Duration(secs) * time.Second
		}
		retryable = status >= 500
	}
	return throttled, retryAfter, throttled || retryable
}

// SortByName orders accounts by name (ignoring case), then id.
func SortByName(accts []Account) {
	sort.SliceStable(accts, func(i, j int) bool {
		a, b := strings.ToLower(accts[i].Name), strings.ToLower(accts[j].Name)
		if a != b {
			return a < b
		}
		return accts[i].ID < accts[j].ID
	})
}
