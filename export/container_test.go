package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/google/go-cmp/cmp"
)

// countingProvider hands out numbered credentials that expire life after
// the clock, and counts its calls.
type countingProvider struct {
	calls atomic.Int32
	now   func() time.Time
	life  time.Duration
	err   error
	delay time.Duration
}

func (p *countingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	n := p.calls.Add(1)
	if p.delay > 0 {
		time.Sleep(p.delay)
	}
	if p.err != nil {
		return aws.Credentials{}, p.err
	}
	return aws.Credentials{
		AccessKeyID: fmt.Sprintf("ASIA%d", n), SecretAccessKey: "secret", SessionToken: "token",
		CanExpire: true, Expires: p.now().Add(p.life).Truncate(time.Second), AccountID: "111122223333", Source: "test",
	}, nil
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func get(t *testing.T, h http.Handler, method, auth string) (int, string, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:9911/", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

func TestContainerServerAnswers(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	p := &countingProvider{now: clock.Now, life: time.Hour}
	s := NewContainerServer(p, func(o *ContainerOptions) { o.Token = "right-token"; o.Now = clock.Now })

	tests := []struct {
		name       string
		method     string
		auth       string
		wantStatus int
		wantBody   string
	}{
		{
			name: "the right token gets the credentials with Token and an RFC 3339 expiry", method: "GET", auth: "right-token",
			wantStatus: 200,
			wantBody:   `{"AccessKeyId":"ASIA1","SecretAccessKey":"secret","Token":"token","Expiration":"2026-01-01T09:00:00Z","AccountId":"111122223333"}` + "\n",
		},
		{
			name: "no Authorization header is 401", method: "GET",
			wantStatus: 401,
			wantBody:   `{"code":"Unauthorized","message":"missing Authorization header: set AWS_CONTAINER_AUTHORIZATION_TOKEN to the token the server was started with"}` + "\n",
		},
		{
			name: "a wrong token is 403", method: "GET", auth: "right-tokeX",
			wantStatus: 403,
			wantBody:   `{"code":"Forbidden","message":"wrong authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN to the token the server was started with"}` + "\n",
		},
		{
			name: "a prefix of the token is 403", method: "GET", auth: "right",
			wantStatus: 403,
			wantBody:   `{"code":"Forbidden","message":"wrong authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN to the token the server was started with"}` + "\n",
		},
		{
			name: "POST is 405", method: "POST", auth: "right-token",
			wantStatus: 405,
			wantBody:   `{"code":"MethodNotAllowed","message":"use GET"}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := get(t, s, tt.method, tt.auth)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantBody, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times, want 1 (only for the authorised request)", n)
	}
}

func TestContainerServerRefreshesBeforeExpiry(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	p := &countingProvider{now: clock.Now, life: time.Hour}
	s := NewContainerServer(p, func(o *ContainerOptions) { o.Token = "t"; o.Now = clock.Now })
	keyAt := func() string {
		t.Helper()
		status, body, _ := get(t, s, "GET", "t")
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		var doc containerResponse
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.AccessKeyID
	}
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "ASIA1"},
		{30 * time.Minute, "ASIA1"},                // 30 minutes left: kept
		{14*time.Minute + 59*time.Second, "ASIA1"}, // 15m01s left: kept
		{2 * time.Second, "ASIA2"},                 // 14m59s left: refreshed
		{time.Minute, "ASIA2"},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		if got := keyAt(); got != st.want {
			t.Errorf("step %d: key %s, want %s", i, got, st.want)
		}
	}
}

func TestContainerServerSharesOneRetrieve(t *testing.T) {
	p := &countingProvider{now: time.Now, life: time.Hour, delay: 20 * time.Millisecond}
	s := NewContainerServer(p)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, body, _ := get(t, s, "GET", s.Token()); status != 200 {
				t.Errorf("status %d: %s", status, body)
			}
		}()
	}
	wg.Wait()
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times by 20 concurrent requests, want 1", n)
	}
}

func TestContainerServerProviderError(t *testing.T) {
	p := &countingProvider{now: time.Now, err: errors.New("sign-in required for profile dev: run ssokit login --profile dev")}
	var reported []error
	s := NewContainerServer(p, func(o *ContainerOptions) {
		o.Token = "t"
		o.OnError = func(err error) { reported = append(reported, err) }
	})
	status, body, _ := get(t, s, "GET", "t")
	if status != 500 {
		t.Errorf("status = %d, want 500", status)
	}
	want := `{"code":"CredentialsUnavailable","message":"sign-in required for profile dev: run ssokit login --profile dev"}` + "\n"
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if len(reported) != 1 {
		t.Errorf("OnError called %d times, want 1", len(reported))
	}
	// A failure is not remembered: the next request asks again.
	get(t, s, "GET", "t")
	if n := p.calls.Load(); n != 2 {
		t.Errorf("provider called %d times, want 2", n)
	}
}

func TestRandomTokens(t *testing.T) {
	a, b := NewContainerServer(nil).Token(), NewContainerServer(nil).Token()
	if a == b {
		t.Error("two servers got the same token")
	}
	if len(a) != 43 { // 32 bytes, base64url without padding
		t.Errorf("token %q has %d characters, want 43", a, len(a))
	}
}

func TestServeWithTheGoSDKClient(t *testing.T) {
	p := &countingProvider{now: time.Now, life: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ep, err := NewContainerServer(p).Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ep.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %s", ep.URL)
	}

	client := endpointcreds.New(ep.URL, func(o *endpointcreds.Options) { o.AuthorizationToken = ep.Token })
	creds, err := client.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIA1" || creds.SessionToken != "token" || !creds.CanExpire || creds.AccountID != "111122223333" {
		t.Errorf("SDK got %+v", creds)
	}

	wrong := endpointcreds.New(ep.URL, func(o *endpointcreds.Options) { o.AuthorizationToken = "nope" })
	if _, err := wrong.Retrieve(ctx); err == nil || !strings.Contains(err.Error(), "wrong authorization token") {
		t.Errorf("SDK with a wrong token: error = %v, want the server's message", err)
	}

	cancel()
	select {
	case <-ep.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("server still running after its context ended")
	}
	if _, err := http.Get(ep.URL); err == nil {
		t.Error("server still answers after its context ended")
	}
	if err := ep.Close(); err != nil {
		t.Errorf("Close after stop: %v", err)
	}
}

func TestServeBindsLoopbackOnly(t *testing.T) {
	tests := []struct {
		name, addr string
		wantPrefix string
		wantErr    bool // not loopback
		wantBad    bool // not an address
	}{
		{name: "an IPv4 loopback address is used as is", addr: "127.0.0.1:0", wantPrefix: "http://127.0.0.1:"},
		{name: "localhost binds 127.0.0.1", addr: "localhost:0", wantPrefix: "http://127.0.0.1:"},
		{name: "a bare port binds 127.0.0.1", addr: "0", wantPrefix: "http://127.0.0.1:"},
		{name: "an empty host binds 127.0.0.1, not every interface", addr: ":0", wantPrefix: "http://127.0.0.1:"},
		{name: "every interface is refused", addr: "0.0.0.0:0", wantErr: true},
		{name: "an IPv6 wildcard is refused", addr: "[::]:0", wantErr: true},
		{name: "a host name is refused", addr: "example.com:80", wantErr: true},
		{name: "a LAN address is refused", addr: "192.168.1.2:0", wantErr: true},
		{name: "three parts are not an address", addr: "x:y:z", wantBad: true},
		{name: "a port that is not a number", addr: "127.0.0.1:http", wantBad: true},
		{name: "a port out of range", addr: "127.0.0.1:65536", wantBad: true},
		{name: "a negative port", addr: "127.0.0.1:-1", wantBad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, err := NewContainerServer(nil).Serve(context.Background(), tt.addr)
			if tt.wantErr || tt.wantBad {
				want := ErrNotLoopback
				if tt.wantBad {
					want = ErrBadAddress
				}
				if !errors.Is(err, want) {
					t.Fatalf("error = %v, want %v", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer ep.Close()
			if !strings.HasPrefix(ep.URL, tt.wantPrefix) {
				t.Errorf("URL = %s, want prefix %s", ep.URL, tt.wantPrefix)
			}
			resp, err := http.Get(ep.URL)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status without token = %d, want 401", resp.StatusCode)
			}
		})
	}
}

// A page that reaches the endpoint by DNS rebinding carries its own
// site's name in the Host header: it is refused before the token is
// looked at, and the provider is not asked.
func TestContainerServerAnswersLoopbackNamesOnly(t *testing.T) {
	p := &countingProvider{now: time.Now, life: time.Hour}
	s := NewContainerServer(p, func(o *ContainerOptions) { o.Token = "right-token" })
	for host, want := range map[string]int{
		"127.0.0.1:9911":      200,
		"localhost:9911":      200,
		"[::1]:9911":          200,
		"rebind.example:9911": 421,
		"rebind.example":      421,
		"10.1.2.3:9911":       421,
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1:9911/", nil)
		req.Host = host
		req.Header.Set("Authorization", "right-token")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, rec.Code, want)
		}
		if want != 200 && strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("Host %s: the answer holds the credentials", host)
		}
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times, want once for the loopback requests", n)
	}
}
