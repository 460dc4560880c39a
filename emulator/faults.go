package emulator

import (
	"math"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/ssokit/ssokit/emulator/internal/wire"
)

// counters holds one lock-free counter per operation name, created when the
// routes are mounted, so counting costs one atomic add per request.
type counters map[string]*atomic.Int64

func (c counters) get(op string) int {
	if n, ok := c[op]; ok {
		return int(n.Load())
	}
	return 0
}

// middleware is what every API operation goes through: a request id, the
// operation counter, then the faults (rate limit, latency, errors).
func (s *Server) middleware(op wire.Op, next http.Handler) http.Handler {
	n, ok := s.counts[op.Name]
	if !ok {
		n = new(atomic.Int64)
		s.counts[op.Name] = n
	}
	f := s.opts.Faults
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.RequestIDHeader, wire.NewRequestID())
		n.Add(1)
		if r.ContentLength != 0 {
			r.Body = http.MaxBytesReader(w, r.Body, wire.MaxBodyBytes+1)
		}
		if s.limiter != nil && !s.limiter.Allow() {
			wire.WriteError(w, op.API, throttled(op.API))
			return
		}
		if f.Latency > 0 || f.Jitter > 0 {
			d := f.Latency
			if f.Jitter > 0 {
				d += rand.N(f.Jitter)
			}
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if f.ErrorRate > 0 && rand.Float64() < f.ErrorRate {
			wire.WriteError(w, op.API, serverFault(op.API))
			return
		}
		rw := &recordingWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		if rw.err != nil {
			s.log.Error("internal error", "op", op.Name, "err", rw.err)
		}
		if s.logRequests {
			s.log.Debug("request", "op", op.Name, "method", r.Method, "path", r.URL.Path)
		}
	})
}

func newLimiter(f Faults) *rate.Limiter {
	if f.RateLimit <= 0 {
		return nil
	}
	burst := f.RateBurst
	if burst <= 0 {
		burst = int(math.Ceil(f.RateLimit))
	}
	return rate.NewLimiter(rate.Limit(f.RateLimit), burst)
}

// throttled is the throttling error of api, in the shape its model gives:
// OIDC's SlowDownException is a 400 that the SDKs do not retry on their own,
// the portal's TooManyRequestsException a 429 they do.
func throttled(api wire.API) *wire.Error {
	const msg = "Too many requests; the emulator's rate limit (--rate-limit) was exceeded"
	switch api {
	case wire.STS:
		return wire.Errorf(http.StatusBadRequest, "Throttling", "Rate exceeded")
	case wire.OIDC:
		return wire.Errorf(http.StatusBadRequest, "SlowDownException", msg)
	}
	return wire.Errorf(http.StatusTooManyRequests, "TooManyRequestsException", msg)
}

// serverFault is an injected 500 or 503, half and half.
func serverFault(api wire.API) *wire.Error {
	if rand.IntN(2) == 0 {
		typ := "InternalServerException"
		if api == wire.STS {
			typ = "InternalFailure"
		}
		return &wire.Error{Status: http.StatusInternalServerError, Type: typ, OAuth: "server_error",
			Message: "injected fault (--error-rate): internal error"}
	}
	return &wire.Error{Status: http.StatusServiceUnavailable, Type: "ServiceUnavailableException", OAuth: "server_error",
		Message: "injected fault (--error-rate): service unavailable"}
}

// recordingWriter keeps the cause of an internal error for the log.
type recordingWriter struct {
	http.ResponseWriter
	err error
}

func (w *recordingWriter) RecordInternalError(err error) { w.err = err }
