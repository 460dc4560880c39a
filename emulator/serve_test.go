package emulator_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

func TestListenAndServeStopsOnCancel(t *testing.T) {
	em, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- em.ListenAndServe(ctx, "127.0.0.1:0", func(u string) { urls <- u }) }()
	base := <-urls
	resp, err := http.Get(base + "/assignment/accounts")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ListenAndServe after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ListenAndServe did not return after cancel")
	}
	if _, err := http.Get(base + "/assignment/accounts"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for name, opts := range map[string]emulator.Options{
		"a start URL that is not https":     {StartURL: "http://d-0123456789.awsapps.com/start"},
		"a region that is not a region":     {Region: "mars"},
		"an auto-approve user nobody knows": {AutoApprove: "mallory"},
		"an error rate above 1":             {Faults: emulator.Faults{ErrorRate: 2}},
		"a negative latency":                {Faults: emulator.Faults{Latency: -time.Second}},
		"a negative token lifetime":         {AccessTokenTTL: -time.Hour},
	} {
		if _, err := emulator.New(opts); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestConcurrentRefreshesWithOneTokenOnlyOneWins(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := c.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{
				ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken,
			})
			if err == nil {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d of 8 concurrent refreshes with one token succeeded, want exactly 1", wins.Load())
	}
}
