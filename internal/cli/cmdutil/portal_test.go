package cmdutil

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	listing "github.com/ssokit/ssokit/accounts"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name    string
		p       listing.Progress
		elapsed time.Duration
		want    string
	}{
		{"while accounts are still being found the total is open and no time is guessed", listing.Progress{Accounts: 40, Done: 10}, 5 * time.Second, "Listing roles [==>       ] 10/40+ accounts"},
		{"throttling and the time left at this pace are shown", listing.Progress{Accounts: 100, Listed: true, Done: 50, Throttled: 3}, 20 * time.Second, "Listing roles [=====>    ] 50/100 accounts, 3 throttled, about 20s left"},
		{"a finished listing fills the bar", listing.Progress{Accounts: 7, Listed: true, Done: 7}, time.Second, "Listing roles [==========] 7/7 accounts"},
		{"nothing found yet", listing.Progress{}, 0, "Listing roles [>         ] 0/0+ accounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, progressLine(tt.p, 10, eta(tt.p, tt.elapsed))); diff != "" {
				t.Errorf("line (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProgressBarDrawsOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var buf bytes.Buffer
		b := &ProgressBar{w: &buf, tty: tty, now: time.Now}
		b.Update(listing.Progress{Accounts: 2, Listed: true, Done: 2})
		b.Done()
		if got := buf.Len() > 0; got != tty {
			t.Errorf("tty=%v: drew %q", tty, buf.String())
		}
		if tty && !strings.HasSuffix(buf.String(), "\r\033[K") {
			t.Errorf("the bar is not cleared at the end: %q", buf.String())
		}
	}
}
