package emulator_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// BenchmarkGetRoleCredentials measures the portal's hottest call over real
// HTTP with keep-alive connections, the way credential helpers hammer it,
// and reports throughput (req/s), latency (p50/p99 in ms) and the CPU time
// one request costs client and server together (cpu-µs/req).
//
//	go test -run XXX -bench GetRoleCredentials -benchtime 5s ./emulator/
func BenchmarkGetRoleCredentials(b *testing.B) {
	for _, kind := range []string{emulator.StoreMemory, emulator.StoreSQLite} {
		b.Run(kind, func(b *testing.B) {
			store, err := emulator.OpenStore(context.Background(), kind, filepath.Join(tempdir.New(b), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			benchGetRoleCredentials(b, store)
		})
	}
}

func benchGetRoleCredentials(b *testing.B, store storage.Storage) {
	em, err := emulator.New(emulator.Options{Store: store, AutoApprove: directory.DemoUser})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(em.Handler())
	defer hs.Close()
	srv := &emulatortest.Server{URL: hs.URL, StartURL: em.StartURL(), Region: em.Region(), Directory: em.Directory(), Emulator: em}
	token := signIn(b, newClients(b, srv))
	const conns = 4
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	url := hs.URL + "/federation/credentials?role_name=" + directory.DemoRole + "&account_id=" + directory.DemoAccount

	var mu sync.Mutex
	var all []time.Duration
	b.SetParallelism(conns / 2) // with GOMAXPROCS=2: one goroutine per connection
	b.ResetTimer()
	start, cpuStart := time.Now(), processCPU()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("X-Amz-Sso_bearer_token", token)
		for pb.Next() {
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			lat = append(lat, time.Since(t0))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	elapsed, cpu := time.Since(start), processCPU()-cpuStart
	b.StopTimer()
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(float64(len(all)-1)*p)]) / 1e6 }
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	if cpu > 0 {
		// CPU per request (client and server together) does not depend on
		// what else the machine runs, unlike req/s and latency.
		b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "cpu-µs/req")
	}
	if n := em.Count("GetRoleCredentials"); n < len(all) {
		b.Errorf("server counted %d GetRoleCredentials, client sent %d", n, len(all))
	}
}
