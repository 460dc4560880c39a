package export

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ssokit/ssokit/internal/loopback"
	"github.com/ssokit/ssokit/internal/redact"
)

// ContainerOptions configures a ContainerServer.
type ContainerOptions struct {
	// Token is the value clients must send in the Authorization header.
	// Default: 32 random bytes, base64url-encoded.
	Token string
	// RefreshWindow: credentials are fetched again once less than this
	// remains. Default 15 minutes, which is also when the SSO provider stops
	// reusing cached credentials and when botocore starts asking for new
	// ones, so every client gets fresh credentials as soon as it asks.
	RefreshWindow time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// OnError, when set, is told of each failure to get credentials (the
	// client gets a 500 with the same text).
	OnError func(error)
}

// ContainerServer is an http.Handler speaking the container credentials
// protocol (what SDKs read through AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN). It answers GET with the provider's
// credentials to a client that sends the token, and keeps the credentials
// in memory until they are within the refresh window of expiring.
//
// It reports the credentials' real expiration: clients refresh on their own
// schedule (Go 5 minutes ahead, botocore 15), and by then the server already
// holds new ones.
type ContainerServer struct {
	provider aws.CredentialsProvider
	opts     ContainerOptions

	mu    sync.Mutex
	creds aws.Credentials
	valid bool
}

// NewContainerServer returns a server handing out provider's credentials.
func NewContainerServer(provider aws.CredentialsProvider, optFns ...func(*ContainerOptions)) *ContainerServer {
	opts := ContainerOptions{RefreshWindow: 15 * time.Minute, Now: time.Now}
	for _, fn := range optFns {
		fn(&opts)
	}
	if opts.Token == "" {
		opts.Token = randomToken()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &ContainerServer{provider: provider, opts: opts}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// Token returns the bearer token clients must send.
func (s *ContainerServer) Token() string { return s.opts.Token }

// containerResponse is the endpoint's success document (note Token, not
// SessionToken).
type containerResponse struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	Token           string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
	AccountID       string `json:"AccountId,omitempty"`
}

// containerError is the error document the Go SDK decodes.
type containerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ServeHTTP implements http.Handler. A request whose Host header does not
// name the loopback interface is refused before anything else: a web page
// that reaches the port through DNS rebinding carries its own site's name.
func (s *ContainerServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !loopback.HostHeader(r.Host) {
		writeJSON(w, http.StatusMisdirectedRequest, containerError{"MisdirectedRequest",
			"this endpoint answers only requests to 127.0.0.1, [::1] or localhost"})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, containerError{"MethodNotAllowed", "use GET"})
		return
	}
	got, ok := r.Header["Authorization"]
	if !ok || len(got) == 0 || got[0] == "" {
		writeJSON(w, http.StatusUnauthorized, containerError{"Unauthorized",
			"missing Authorization header: set AWS_CONTAINER_AUTHORIZATION_TOKEN to the token the server was started with"})
		return
	}
	if subtle.ConstantTimeCompare([]byte(got[0]), []byte(s.opts.Token)) != 1 {
		writeJSON(w, http.StatusForbidden, containerError{"Forbidden",
			"wrong authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN to the token the server was started with"})
		return
	}
	creds, err := s.retrieve(r.Context())
	if err != nil {
		if s.opts.OnError != nil {
			s.opts.OnError(err)
		}
		writeJSON(w, http.StatusInternalServerError, containerError{"CredentialsUnavailable", err.Error()})
		return
	}
	resp := containerResponse{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		Token:           creds.SessionToken,
		AccountID:       creds.AccountID,
	}
	resp.Expiration, _ = processExpiration(creds)
	writeJSON(w, http.StatusOK, resp)
}

// retrieve returns the held credentials while they are outside the refresh
// window, and asks the provider otherwise. Concurrent requests wait for one
// call to the provider.
func (s *ContainerServer) retrieve(ctx context.Context) (aws.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.valid && (!s.creds.CanExpire || s.opts.Now().Add(s.opts.RefreshWindow).Before(s.creds.Expires)) {
		return s.creds, nil
	}
	creds, err := s.provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	s.creds, s.valid = creds, true
	return creds, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(encodeJSON(v, ""))
}

// ErrNotLoopback is returned by Serve for an address other hosts could
// reach: credentials must never leave the machine.
var ErrNotLoopback = errors.New("not a loopback address")

// Endpoint is a running ContainerServer.
type Endpoint struct {
	// URL is the value for AWS_CONTAINER_CREDENTIALS_FULL_URI.
	URL string
	// Token is the value for AWS_CONTAINER_AUTHORIZATION_TOKEN.
	Token string

	srv  *http.Server
	done chan struct{}
	err  error
}

// Serve listens on addr, which must be a loopback address ("127.0.0.1:0",
// "[::1]:8080", "localhost:8080"; a bare port means 127.0.0.1), and serves s
// in the background until ctx is done or Close is called.
func (s *ContainerServer) Serve(ctx context.Context, addr string) (*Endpoint, error) {
	bind, err := ListenAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", bind)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", bind, err)
	}
	ep := &Endpoint{
		URL:   "http://" + ln.Addr().String() + "/",
		Token: s.opts.Token,
		srv: &http.Server{
			Handler:           s,
			ReadHeaderTimeout: 10 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		},
		done: make(chan struct{}),
	}
	go func() {
		err := ep.srv.Serve(ln)
		if !errors.Is(err, http.ErrServerClosed) {
			ep.err = err
		}
		close(ep.done)
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = ep.Close()
		case <-ep.done:
		}
	}()
	return ep, nil
}

// Close stops the server, lets requests in flight finish for up to five
// seconds, and returns any error serving met.
func (e *Endpoint) Close() error {
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(shutdown); err != nil {
		_ = e.srv.Close()
	}
	<-e.done
	return e.err
}

// Done is closed once the server has stopped.
func (e *Endpoint) Done() <-chan struct{} { return e.done }

// ErrBadAddress is returned by ListenAddr (and Serve) for an address that
// is not HOST:PORT with a port from 0 to 65535.
var ErrBadAddress = errors.New("not HOST:PORT")

// ListenAddr checks an address Serve is given and returns what to bind:
// a loopback HOST:PORT ("127.0.0.1:0", "[::1]:8080", "localhost:8080"), or
// a bare port, meaning 127.0.0.1. Errors wrap ErrBadAddress or
// ErrNotLoopback.
func ListenAddr(addr string) (string, error) {
	if !strings.Contains(addr, ":") {
		addr = ":" + addr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %s: %w, such as 127.0.0.1:9911", redact.Quote(addr), ErrBadAddress)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || port != strconv.FormatUint(n, 10) {
		return "", fmt.Errorf("listen address %s: %w: the port must be a number from 0 to 65535", redact.Quote(addr), ErrBadAddress)
	}
	switch {
	case host == "" || host == "localhost":
		host = "127.0.0.1"
	default:
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return "", fmt.Errorf("listen address %s: %w: use 127.0.0.1 or [::1] so the credentials cannot be fetched from another machine", redact.Quote(addr), ErrNotLoopback)
		}
	}
	return net.JoinHostPort(host, port), nil
}
