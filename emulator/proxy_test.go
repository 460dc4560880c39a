package emulator_test

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// awsProxy is what a corporate network puts between a client and AWS: an
// HTTP proxy that answers CONNECT for AWS host names, terminates TLS with a
// certificate of its own CA (here the emulator's), and forwards each
// request, Host header unchanged, to the emulator.
type awsProxy struct {
	// URL is the proxy, for a client's Proxy setting or HTTPS_PROXY.
	URL *url.URL
	// Cert is what the proxy presents for every host it answers, signed by
	// the CA it was given.
	Cert tls.Certificate

	ca      *emulator.CA
	hosts   map[string]bool
	mu      sync.Mutex
	tunnels map[string]int
}

// newAWSProxy answers CONNECT for hosts (port 443) with a certificate of
// ca and forwards to srv. A plain-HTTP emulator learns that the client used
// TLS from X-Forwarded-Proto; a TLS one is reached over TLS.
func newAWSProxy(t *testing.T, ca *emulator.CA, srv *emulatortest.Server, hosts ...string) *awsProxy {
	t.Helper()
	cert, err := ca.Certificate(hosts...)
	if err != nil {
		t.Fatal(err)
	}
	p := &awsProxy{Cert: cert, ca: ca, hosts: map[string]bool{}, tunnels: map[string]int{}}
	for _, h := range hosts {
		p.hosts[h+":443"] = true
	}
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	upstream := srv.Client().Transport
	forward := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			if target.Scheme == "http" {
				r.Out.Header.Set("X-Forwarded-Proto", "https")
			}
		},
		Transport: upstream,
	}
	tunnels := newConnListener()
	inner := &http.Server{Handler: forward}
	go func() { _ = inner.Serve(tunnels) }()
	t.Cleanup(func() { inner.Close() })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	outer := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "this proxy only tunnels (CONNECT)", http.StatusMethodNotAllowed)
			return
		}
		if !p.hosts[r.Host] {
			http.Error(w, "this proxy does not answer for "+r.Host, http.StatusForbidden)
			return
		}
		p.mu.Lock()
		p.tunnels[strings.TrimSuffix(r.Host, ":443")]++
		p.mu.Unlock()
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
			conn.Close()
			return
		}
		tunnels.push(tls.Server(bufferedConn{conn, buf.Reader}, &tls.Config{Certificates: []tls.Certificate{cert}}))
	})}
	go func() { _ = outer.Serve(ln) }()
	t.Cleanup(func() { outer.Close() })
	p.URL = &url.URL{Scheme: "http", Host: ln.Addr().String()}
	return p
}

// Tunnels is how many CONNECTs the proxy answered for host.
func (p *awsProxy) Tunnels(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels[host]
}

// Transport is a client transport that goes through the proxy, except to
// loopback addresses (a PKCE client's listener), and trusts its CA.
func (p *awsProxy) Transport() *http.Transport {
	return &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			if ip := net.ParseIP(r.URL.Hostname()); ip != nil && ip.IsLoopback() {
				return nil, nil
			}
			return p.URL, nil
		},
		TLSClientConfig: &tls.Config{RootCAs: p.ca.Pool()},
	}
}

// bufferedConn reads what the CONNECT request's reader buffered first.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// connListener hands tunnelled connections to an http.Server.
type connListener struct {
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func newConnListener() *connListener {
	return &connListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *connListener) push(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.done:
		c.Close()
	}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
