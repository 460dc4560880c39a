package web

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterSlidingWindow(t *testing.T) {
	l := newLimiter(3, time.Minute)
	t0 := time.Unix(1000, 0)
	l.fail(t0, "k")
	l.fail(t0.Add(20*time.Second), "k")
	if _, blocked := l.blocked(t0.Add(30*time.Second), "k"); blocked {
		t.Fatal("blocked after 2 of 3 failures")
	}
	l.fail(t0.Add(40*time.Second), "k")
	wait, blocked := l.blocked(t0.Add(50*time.Second), "k", "other")
	if !blocked || wait != 10*time.Second {
		t.Fatalf("after 3 failures: blocked=%v wait=%s, want true 10s (until the first leaves the window)", blocked, wait)
	}
	if _, blocked := l.blocked(t0.Add(61*time.Second), "k"); blocked {
		t.Error("still blocked once the first failure left the window")
	}
	l.reset("k")
	if _, blocked := l.blocked(t0.Add(50*time.Second), "k"); blocked {
		t.Error("blocked after reset")
	}
}

func TestLimiterForgetsOldKeys(t *testing.T) {
	l := newLimiter(5, time.Minute)
	t0 := time.Unix(1000, 0)
	for i := range sweepAt {
		l.fail(t0, fmt.Sprint("user:", i))
	}
	l.fail(t0.Add(2*time.Minute), "fresh")
	if len(l.fails) != 1 {
		t.Errorf("limiter holds %d keys after the window passed, want 1", len(l.fails))
	}
}
