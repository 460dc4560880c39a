package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/federation"
	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/oidc"
	"github.com/ssokit/ssokit/emulator/portal"
	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/storage/memory"
	"github.com/ssokit/ssokit/emulator/sts"
	"github.com/ssokit/ssokit/emulator/web"
)

// Server is one emulated Identity Center instance: every API and page on
// one handler.
type Server struct {
	opts    Options
	store   storage.Storage
	mux     *http.ServeMux
	handler http.Handler
	oidc    *oidc.Handler
	counts  counters
	limiter *rate.Limiter
	log     *slog.Logger
	// ca and tlsConfig are set when the server speaks HTTPS.
	ca        *CA
	tlsConfig *tls.Config
	// logRequests avoids building log records nobody reads on the hot path.
	logRequests bool
}

// New builds a server from opts (see Options for the defaults).
func New(opts Options) (*Server, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s := &Server{
		opts:    opts,
		store:   opts.Store,
		mux:     http.NewServeMux(),
		counts:  counters{},
		limiter: newLimiter(opts.Faults),
		log:     opts.Logger,
	}
	if opts.TLS {
		if err := s.makeCA(); err != nil {
			return nil, err
		}
	}
	if s.store == nil {
		s.store = memory.New()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.logRequests = s.log.Enabled(context.Background(), slog.LevelDebug)
	s.oidc = &oidc.Handler{
		Store:           s.store,
		Now:             opts.Now,
		StartURL:        opts.StartURL,
		AutoApprove:     opts.AutoApprove,
		Wrap:            s.middleware,
		AccessTokenTTL:  opts.AccessTokenTTL,
		SessionDuration: opts.SessionDuration,
		ClientTTL:       opts.ClientTTL,
		DeviceCodeTTL:   opts.DeviceCodeTTL,
	}

	// Every area of the emulator, in one place. Go's ServeMux picks the
	// most specific pattern, so the order here does not matter.
	s.oidc.Mount(s.mux)
	(&portal.Handler{Store: s.store, Directory: opts.Directory, Now: opts.Now, Wrap: s.middleware}).Mount(s.mux)
	(&sts.Handler{Store: s.store, Directory: opts.Directory, Now: opts.Now, Wrap: s.middleware}).Mount(s.mux)
	(&federation.Handler{Store: s.store, Now: opts.Now, Wrap: s.middleware}).Mount(s.mux)
	(&web.Handler{
		Users:    opts.Directory,
		Authz:    webAuthorizer{s.oidc},
		Now:      opts.Now,
		StartURL: opts.StartURL,
		Region:   opts.Region,
		// The portal's sign-in is the same Identity Center session.
		SessionLifetime: opts.SessionDuration,
	}).Mount(s.mux)
	s.mux.HandleFunc("/", s.notFound)

	s.handler = s.mux
	return s, nil
}

// localHosts are the names every serving certificate covers.
var localHosts = []string{"127.0.0.1", "::1", "localhost"}

func (s *Server) makeCA() error {
	ca, err := NewCA()
	if err != nil {
		return err
	}
	hosts := slices.Clone(localHosts)
	for _, h := range s.opts.TLSHosts {
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	cert, err := ca.Certificate(hosts...)
	if err != nil {
		return err
	}
	s.ca = ca
	s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return nil
}

// Handler serves the whole emulator; mount it on any listener.
func (s *Server) Handler() http.Handler { return s.handler }

// CA is the certificate authority of a server made with Options.TLS, nil
// for plain HTTP.
func (s *Server) CA() *CA { return s.ca }

// TLSConfig is what Serve answers TLS with (Options.TLS), for serving the
// Handler on another server such as httptest's; nil for plain HTTP.
func (s *Server) TLSConfig() *tls.Config {
	if s.tlsConfig == nil {
		return nil
	}
	return s.tlsConfig.Clone()
}

// StartURL is the portal start URL clients configure.
func (s *Server) StartURL() string { return s.opts.StartURL }

// Region is the SSO region clients configure.
func (s *Server) Region() string { return s.opts.Region }

// Directory is the organisation the server answers from.
func (s *Server) Directory() *directory.Directory { return s.opts.Directory }

// Count returns how many requests of an operation ("CreateToken",
// "GetRoleCredentials", "GetCallerIdentity", ...) reached the server,
// including those answered with an injected fault.
func (s *Server) Count(operation string) int { return s.counts.get(operation) }

// Counts returns every operation's count.
func (s *Server) Counts() map[string]int {
	m := make(map[string]int, len(s.counts))
	for op := range s.counts {
		m[op] = s.counts.get(op)
	}
	return m
}

// Serve answers requests on ln until ctx is cancelled, then shuts down
// gracefully (in-flight requests get up to 5 s). It also collects expired
// records every minute.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				defer cancel()
				_ = srv.Shutdown(shut)
				return
			case <-tick.C:
				if n, err := s.store.GarbageCollect(ctx, s.opts.Now()); err != nil {
					s.log.Warn("garbage collection failed", "err", err)
				} else if n > 0 {
					s.log.Debug("garbage collected", "records", n)
				}
			}
		}
	}()
	var err error
	if s.tlsConfig != nil {
		srv.TLSConfig = s.tlsConfig.Clone()
		err = srv.ServeTLS(ln, "", "")
	} else {
		err = srv.Serve(ln)
	}
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on addr (DefaultAddr when empty; port 0 picks a
// free one), calls ready with the base URL (e.g. http://127.0.0.1:4510, or
// https:// with Options.TLS) once requests can be accepted, and serves
// until ctx is cancelled.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(baseURL string)) error {
	if addr == "" {
		addr = DefaultAddr
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator: listen on %s: %w (is another emulator running? pick another --addr, or :0 for any free port)", addr, err)
	}
	if ready != nil {
		ready(s.BaseURL(ln.Addr()))
	}
	return s.Serve(ctx, ln)
}

// BaseURL is the URL the server answers at on a listener address: https
// with Options.TLS, else http. An unspecified host (0.0.0.0, ::) is shown
// as 127.0.0.1, which reaches it locally.
func (s *Server) BaseURL(addr net.Addr) string {
	scheme := "http://"
	if s.tlsConfig != nil {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return scheme + net.JoinHostPort(host, port)
}

// Env returns the environment variables that point the AWS CLI and SDKs at
// an emulator listening on baseURL.
func Env(baseURL string) []string {
	return []string{
		"AWS_ENDPOINT_URL_SSO=" + baseURL,
		"AWS_ENDPOINT_URL_SSO_OIDC=" + baseURL,
		"AWS_ENDPOINT_URL_STS=" + baseURL,
		// The console federation endpoint (ssokit console).
		"AWS_ENDPOINT_URL_SIGNIN=" + baseURL,
	}
}

// apiOfPath says whose error shape a path gets when nothing serves it.
func apiOfPath(path string) (wire.API, bool) {
	switch {
	case path == "/client/register" || path == "/device_authorization" || path == "/token" || path == "/authorize":
		return wire.OIDC, true
	case path == "/federation/credentials" || strings.HasPrefix(path, "/assignment/") || path == "/logout":
		return wire.Portal, true
	case path == "/":
		return wire.STS, true
	}
	return wire.Portal, false
}

// notFound answers what no route takes: a known path with the wrong method
// gets 405, anything else 404, both in the AWS error shape of the path.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, wire.MaxBodyBytes))
	api, _ := apiOfPath(r.URL.Path)
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			w.Header().Set("Allow", m)
			typ := "MethodNotAllowedException"
			if api == wire.STS {
				typ = "InvalidAction"
			}
			wire.WriteError(w, api, wire.Errorf(http.StatusMethodNotAllowed, typ, "%s %s is not supported; use %s", r.Method, r.URL.Path, m))
			return
		}
	}
	typ := "UnknownOperationException"
	if api == wire.STS {
		typ = "InvalidAction"
	}
	wire.WriteError(w, api, wire.Errorf(http.StatusNotFound, typ, "no operation is served at %s %s", r.Method, r.URL.Path))
}

// webAuthorizer adapts the OIDC handler to what the web pages need.
type webAuthorizer struct{ o *oidc.Handler }

func webErr(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: %v", web.ErrNotFound, err)
	}
	return err
}

func (a webAuthorizer) LookupDevice(ctx context.Context, userCode string) (web.DeviceRequest, error) {
	d, err := a.o.LookupDevice(ctx, userCode)
	if err != nil {
		return web.DeviceRequest{}, webErr(err)
	}
	return web.DeviceRequest{UserCode: d.UserCode, ClientName: d.ClientName, ExpiresAt: d.ExpiresAt}, nil
}

func (a webAuthorizer) ApproveDevice(ctx context.Context, userCode, username string) error {
	return webErr(a.o.ApproveDevice(ctx, userCode, username))
}

func (a webAuthorizer) DenyDevice(ctx context.Context, userCode string) error {
	return webErr(a.o.DenyDevice(ctx, userCode))
}

func (a webAuthorizer) LookupConsent(ctx context.Context, id string) (web.ConsentRequest, error) {
	c, err := a.o.LookupConsent(ctx, id)
	if err != nil {
		return web.ConsentRequest{}, webErr(err)
	}
	return web.ConsentRequest{ID: c.ID, ClientName: c.ClientName, Scopes: c.Scopes, RedirectURI: c.RedirectURI, ExpiresAt: c.ExpiresAt}, nil
}

func (a webAuthorizer) ApproveConsent(ctx context.Context, id, username string) (string, error) {
	u, err := a.o.ApproveConsent(ctx, id, username)
	return u, webErr(err)
}

func (a webAuthorizer) DenyConsent(ctx context.Context, id string) (string, error) {
	u, err := a.o.DenyConsent(ctx, id)
	return u, webErr(err)
}
