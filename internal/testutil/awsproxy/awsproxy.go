package awsproxy

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ssokit/ssokit/internal/loopback"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"

	"github.com/ssokit/ssokit/emulator"
)

// Options adjust a Proxy.
type Options struct {
	// CA signs the certificates the proxy presents; default a CA of its own.
	CA *emulator.CA
	// Transport reaches the upstream, e.g. the client of an emulator
	// serving HTTPS; default a plain transport.
	Transport http.RoundTripper
	// Hosts, when set, are the only host names the proxy answers for (on
	// port 443), all with one certificate (Cert); otherwise it answers for
	// any name, with a certificate for each.
	Hosts []string
}

// Proxy is a running TLS-inspecting proxy.
type Proxy struct {
	// URL is the proxy's address, for HTTPS_PROXY (http://127.0.0.1:PORT).
	URL string
	// CAFile is the PEM file of the proxy's CA, for AWS_CA_BUNDLE.
	CAFile string
	// CAPool trusts the proxy's CA, for clients of the test itself.
	CAPool *x509.CertPool
	// Cert is the one certificate presented for Options.Hosts; empty when
	// the proxy answers for any name.
	Cert tls.Certificate

	o     Options
	mu    sync.Mutex
	certs map[string]*tls.Certificate
	hosts []string
	count map[string]int
}

// New starts a proxy on loopback that forwards every request to upstream
// (a base URL such as "http://127.0.0.1:41234"), keeping the Host header
// the client sent. A plain-HTTP upstream learns that the client used TLS
// from X-Forwarded-Proto: https. The proxy stops when the test ends.
func New(t testing.TB, upstream string, optFns ...func(*Options)) *Proxy {
	t.Helper()
	p := &Proxy{certs: map[string]*tls.Certificate{}, count: map[string]int{}}
	for _, fn := range optFns {
		fn(&p.o)
	}
	if p.o.CA == nil {
		ca, err := emulator.NewCA()
		if err != nil {
			t.Fatal(err)
		}
		p.o.CA = ca
	}
	if p.o.Transport == nil {
		p.o.Transport = &http.Transport{Proxy: nil}
	}
	if len(p.o.Hosts) > 0 {
		cert, err := p.o.CA.Certificate(p.o.Hosts...)
		if err != nil {
			t.Fatal(err)
		}
		p.Cert = cert
	}
	p.CAPool = p.o.CA.Pool()
	p.CAFile = filepath.Join(tempdir.New(t), "corp-ca.pem")
	if err := os.WriteFile(p.CAFile, p.o.CA.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if block, _ := pem.Decode(p.o.CA.PEM()); block == nil {
		t.Fatal("the CA has no PEM certificate")
	}
	target, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}

	forward := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			if target.Scheme == "http" {
				r.Out.Header.Set("X-Forwarded-Proto", "https")
			}
		},
		Transport: p.o.Transport,
	}
	tunnels := &connListener{conns: make(chan net.Conn), done: make(chan struct{})}
	inner := &http.Server{Handler: forward}
	go func() { _ = inner.Serve(tunnels) }()
	t.Cleanup(func() { inner.Close() })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	outer := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.connect(w, r, tunnels)
	})}
	go func() { _ = outer.Serve(ln) }()
	t.Cleanup(func() { outer.Close() })
	p.URL = "http://" + ln.Addr().String()
	return p
}

func (p *Proxy) connect(w http.ResponseWriter, r *http.Request, tunnels *connListener) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels https (CONNECT)", http.StatusMethodNotAllowed)
		return
	}
	host, port, _ := net.SplitHostPort(r.Host)
	if len(p.o.Hosts) > 0 && (port != "443" || !slices.Contains(p.o.Hosts, host)) {
		http.Error(w, "this proxy does not answer for "+r.Host, http.StatusForbidden)
		return
	}
	p.mu.Lock()
	if p.count[host] == 0 {
		p.hosts = append(p.hosts, r.Host)
	}
	p.count[host]++
	p.mu.Unlock()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	tunnels.push(tls.Server(bufferedConn{conn, buf.Reader}, &tls.Config{GetCertificate: p.certificate}))
}

// Hosts lists the host:port targets clients asked the proxy for, in order
// of first request.
func (p *Proxy) Hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hosts)
}

// Tunnels is how many CONNECTs the proxy answered for host (no port).
func (p *Proxy) Tunnels(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count[host]
}

// Transport goes through the proxy and trusts its CA, but reaches loopback
// addresses directly (a sign-in's callback), as NO_PROXY does by default.
func (p *Proxy) Transport() *http.Transport {
	proxyURL, _ := url.Parse(p.URL)
	return &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			if loopback.IsHost(r.URL.Hostname()) {
				return nil, nil
			}
			return proxyURL, nil
		},
		TLSClientConfig: &tls.Config{RootCAs: p.CAPool},
	}
}

// Client is an HTTP client on Transport.
func (p *Proxy) Client() *http.Client { return &http.Client{Transport: p.Transport()} }

// certificate is the one for Options.Hosts, or one minted, once per name,
// for the name the client asked for, as a TLS-inspecting proxy does.
func (p *Proxy) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if len(p.o.Hosts) > 0 {
		return &p.Cert, nil
	}
	host := strings.ToLower(hello.ServerName)
	if host == "" {
		return nil, errors.New("no server name")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.certs[host]; c != nil {
		return c, nil
	}
	c, err := p.o.CA.Certificate(host)
	if err != nil {
		return nil, err
	}
	p.certs[host] = &c
	return &c, nil
}

// bufferedConn reads what the HTTP server buffered before the hijack first.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// connListener hands the tunnels' TLS connections to the forwarding server.
type connListener struct {
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
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
