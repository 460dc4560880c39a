package accounts

import (
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestSharedRateAdaptsToThrottling(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l := New(nil, "tok", func(o *Options) { o.Now = func() time.Time { return now } })
	limit := func() float64 { return float64(l.lim.Limit()) }

	l.slowDown()
	l.slowDown() // the same congestion, heard by a second request in flight
	if got := limit(); got != 16 {
		t.Fatalf("after two 429s within %v the rate is %v, want one cut to 16", cutSpacing, got)
	}
	now = now.Add(time.Second)
	l.slowDown()
	if got := limit(); got != 12.8 {
		t.Fatalf("after a later 429 the rate is %v, want 12.8", got)
	}
	for range 143 {
		l.speedUp()
	}
	if got := limit(); got >= 20 || got < 19.9 {
		t.Fatalf("after 143 successes the rate is %v, want just under 20", got)
	}
	for range 10 {
		l.speedUp()
	}
	if got := limit(); got != 20 {
		t.Fatalf("the rate climbed to %v, want it capped at the configured 20", got)
	}
	for range 100 {
		now = now.Add(time.Second)
		l.slowDown()
	}
	if got := l.lim.Limit(); got != rate.Limit(20*floorFactor) {
		t.Fatalf("after many 429s the rate is %v, want the floor %v", got, 20*floorFactor)
	}
}
