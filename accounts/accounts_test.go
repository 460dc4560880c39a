package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/accounts"
)

// portal is a small stand-in for the SSO portal's two listing operations:
// enough to test paging, throttling and error handling of the lister.
type portal struct {
	token    string
	accounts []accounts.Account
	// refuse, when set, decides per request whether to answer with the
	// given status and exception instead.
	refuse func(op string, n int) (status int, exception string)

	mu  sync.Mutex
	log []string // operation per request, in arrival order
	n   int
}

func (p *portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := map[string]string{"/assignment/accounts": "ListAccounts", "/assignment/roles": "ListAccountRoles"}[r.URL.Path]
	p.mu.Lock()
	p.n++
	n := p.n
	p.log = append(p.log, op)
	p.mu.Unlock()
	if p.refuse != nil {
		if status, exc := p.refuse(op, n); status != 0 {
			writeError(w, status, exc)
			return
		}
	}
	if r.Header.Get("X-Amz-Sso_bearer_token") != p.token {
		writeError(w, http.StatusUnauthorized, "UnauthorizedException")
		return
	}
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("max_result"))
	start, _ := strconv.Atoi(q.Get("next_token"))
	page := func(total int) (from, to int, next string) {
		to = min(start+size, total)
		if to < total {
			next = strconv.Itoa(to)
		}
		return start, to, next
	}
	w.Header().Set("Content-Type", "application/json")
	switch op {
	case "ListAccounts":
		from, to, next := page(len(p.accounts))
		list := []map[string]string{}
		for _, a := range p.accounts[from:to] {
			list = append(list, map[string]string{"accountId": a.ID, "accountName": a.Name, "emailAddress": a.Email})
		}
		json.NewEncoder(w).Encode(map[string]any{"accountList": list, "nextToken": next})
	case "ListAccountRoles":
		var roles []string
		for _, a := range p.accounts {
			if a.ID == q.Get("account_id") {
				roles = a.Roles
			}
		}
		from, to, next := page(len(roles))
		list := []map[string]string{}
		for _, r := range roles[from:to] {
			list = append(list, map[string]string{"roleName": r, "accountId": q.Get("account_id")})
		}
		json.NewEncoder(w).Encode(map[string]any{"roleList": list, "nextToken": next})
	default:
		http.NotFound(w, r)
	}
}

func writeError(w http.ResponseWriter, status int, exception string) {
	w.Header().Set("X-Amzn-ErrorType", exception)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":"refused by the test portal","__type":"com.amazonaws.switchboard.portal#%s"}`, exception)
}

func (p *portal) operations() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}

func newClient(t *testing.T, p *portal) *sso.Client {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return sso.New(sso.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})
}

// org builds n accounts; account i has (i % 3) + 1 roles, and the first
// account has many, to make its roles span pages.
func org(n int) []accounts.Account {
	out := make([]accounts.Account, n)
	for i := range out {
		out[i] = accounts.Account{
			ID:    fmt.Sprintf("%012d", 100000000000+i),
			Name:  fmt.Sprintf("account-%d", i),
			Email: fmt.Sprintf("a%d@example.com", i),
		}
		roles := i%3 + 1
		if i == 0 {
			roles = 7
		}
		for r := range roles {
			out[i].Roles = append(out[i].Roles, fmt.Sprintf("Role%d", r))
		}
	}
	return out
}

func fast(o *accounts.Options) {
	o.RequestsPerSecond = 10000
	o.PageSize = 3
	o.BaseBackoff = time.Millisecond
	o.MaxBackoff = 5 * time.Millisecond
}

func TestAllListsEveryAccountAndRole(t *testing.T) {
	tests := []struct {
		name     string
		accounts int
		workers  int
	}{
		{"an organisation spanning many pages, roles paged too", 25, 4},
		{"a single worker gets the same answer", 10, 1},
		{"a session with no accounts gives an empty list", 0, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := org(tt.accounts)
			p := &portal{token: "tok", accounts: want}
			l := accounts.New(newClient(t, p), "tok", fast, func(o *accounts.Options) { o.Workers = tt.workers })
			got, err := l.All(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			if st := l.Stats(); st.Requests != len(p.operations()) || st.Throttled != 0 || st.Retries != 0 {
				t.Errorf("stats = %+v, server saw %d requests", st, len(p.operations()))
			}
		})
	}
}

func TestAllStartsRolesBeforeAccountsAreListed(t *testing.T) {
	p := &portal{token: "tok", accounts: org(30)}
	l := accounts.New(newClient(t, p), "tok", fast)
	if _, err := l.All(context.Background()); err != nil {
		t.Fatal(err)
	}
	ops := p.operations()
	lastAccounts, firstRoles := -1, -1
	for i, op := range ops {
		if op == "ListAccounts" {
			lastAccounts = i
		}
		if op == "ListAccountRoles" && firstRoles < 0 {
			firstRoles = i
		}
	}
	if firstRoles > lastAccounts {
		t.Errorf("the first ListAccountRoles came after the last ListAccounts page: %v", ops)
	}
}

func TestThrottlingIsRetriedAndCounted(t *testing.T) {
	// Every third request is refused with 429, the first ones too.
	p := &portal{token: "tok", accounts: org(12), refuse: func(_ string, n int) (int, string) {
		if n%3 == 1 {
			return http.StatusTooManyRequests, "TooManyRequestsException"
		}
		return 0, ""
	}}
	var last accounts.Progress
	l := accounts.New(newClient(t, p), "tok", fast, func(o *accounts.Options) {
		o.Progress = func(pr accounts.Progress) { last = pr }
	})
	got, err := l.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(org(12), got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	refused := (len(p.operations()) + 2) / 3
	st := l.Stats()
	if st.Throttled != refused || st.Retries != refused || st.Requests != len(p.operations()) {
		t.Errorf("stats = %+v; server refused %d of %d requests", st, refused, len(p.operations()))
	}
	if diff := cmp.Diff(accounts.Progress{Accounts: 12, Listed: true, Done: 12, Throttled: refused}, last); diff != "" {
		t.Errorf("last progress (-want +got):\n%s", diff)
	}
}

func TestServerErrorsAreRetriedClientErrorsAreNot(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		exception    string
		wantRequests int
		wantErr      func(error) bool
	}{
		{"a portal that always throttles is given up on after MaxAttempts", 429, "TooManyRequestsException", 4, func(err error) bool {
			var te *accounts.ThrottledError
			var tm *types.TooManyRequestsException
			return errors.As(err, &te) && te.Attempts == 4 && errors.As(err, &tm)
		}},
		{"a failing server is retried like throttling", 503, "ServiceUnavailableException", 4, func(err error) bool {
			var te *accounts.ThrottledError
			return errors.As(err, &te)
		}},
		{"an invalid token fails at once", 401, "UnauthorizedException", 1, func(err error) bool {
			var ue *types.UnauthorizedException
			return errors.As(err, &ue)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &portal{token: "tok", accounts: org(2), refuse: func(string, int) (int, string) { return tt.status, tt.exception }}
			l := accounts.New(newClient(t, p), "tok", fast, func(o *accounts.Options) { o.MaxAttempts = 4 })
			_, err := l.All(context.Background())
			if !tt.wantErr(err) {
				t.Errorf("error = %v (%T)", err, err)
			}
			if n := len(p.operations()); n != tt.wantRequests {
				t.Errorf("server saw %d requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestRetryAfterIsAFloor(t *testing.T) {
	p := &portal{token: "tok", accounts: org(1), refuse: func(_ string, n int) (int, string) {
		if n == 1 {
			return http.StatusTooManyRequests, "TooManyRequestsException"
		}
		return 0, ""
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		p.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client := sso.New(sso.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
	start := time.Now()
	if _, err := accounts.New(client, "tok", fast).All(context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("the retry came after %v, before the server's Retry-After of 1s", el)
	}
}

func TestRequestsArePacedByTheLimit(t *testing.T) {
	p := &portal{token: "tok", accounts: org(20)}
	l := accounts.New(newClient(t, p), "tok", func(o *accounts.Options) {
		o.RequestsPerSecond = 100
		o.PageSize = 100
	})
	start := time.Now()
	if _, err := l.All(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 1 ListAccounts + 20 ListAccountRoles with burst 1: the last one may
	// leave no earlier than 20 intervals of 10 ms after the first.
	if n, el := len(p.operations()), time.Since(start); n != 21 || el < 200*time.Millisecond {
		t.Errorf("%d requests in %v; want 21 requests taking at least 200ms", n, el)
	}
}

func TestAccountsAndRolesAlone(t *testing.T) {
	want := org(7)
	p := &portal{token: "tok", accounts: org(7)}
	l := accounts.New(newClient(t, p), "tok", fast)
	got, err := l.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		want[i].Roles = nil
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	roles, err := l.Roles(context.Background(), want[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Role0", "Role1", "Role2", "Role3", "Role4", "Role5", "Role6"}, roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
}

func TestCancelStopsTheListing(t *testing.T) {
	p := &portal{token: "tok", accounts: org(50)}
	ctx, cancel := context.WithCancel(context.Background())
	l := accounts.New(newClient(t, p), "tok", func(o *accounts.Options) {
		o.RequestsPerSecond = 50
		o.Progress = func(pr accounts.Progress) {
			if pr.Done == 3 {
				cancel()
			}
		}
	})
	_, err := l.All(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := len(p.operations()); n > 10 {
		t.Errorf("server saw %d requests after cancel at the third account", n)
	}
}
