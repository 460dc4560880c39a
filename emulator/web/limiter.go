package web

import (
	"sync"
	"time"
)

// limiter counts failures per key in a sliding window. Keys name what is
// being guessed and by whom, e.g. "password user:alice" or
// "usercode session:<id>", so a user who mistypes a password is not also
// locked out of entering a device code.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: make(map[string][]time.Time)}
}

// blocked reports whether any key has reached the limit, and how long until
// its oldest failure leaves the window.
func (l *limiter) blocked(now time.Time, keys ...string) (retryAfter time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		fs := l.prune(k, now)
		if len(fs) >= l.max {
			if d := fs[len(fs)-l.max].Add(l.window).Sub(now); d > retryAfter {
				retryAfter = d
			}
			ok = true
		}
	}
	return retryAfter, ok
}

// sweepAt is the number of keys at which fail drops every key whose
// failures have all left the window, so guesses at many made-up user
// names cannot grow memory without bound.
const sweepAt = 10000

func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= sweepAt {
		for k := range l.fails {
			l.prune(k, now)
		}
	}
	for _, k := range keys {
		l.fails[k] = append(l.prune(k, now), now)
	}
}

func (l *limiter) reset(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.fails, k)
	}
}

func (l *limiter) prune(k string, now time.Time) []time.Time {
	fs := l.fails[k]
	i := 0
	for i < len(fs) && !fs[i].Add(l.window).After(now) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = fs
	return fs
}
