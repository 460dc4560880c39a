package awsproxy

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Proxy is a running TLS-inspecting proxy.
type Proxy struct {
	// URL is the proxy's address, for HTTPS_PROXY (http://127.0.0.1:PORT).
	URL string
	// CAFile is the PEM file of the proxy's CA, for AWS_CA_BUNDLE.
	CAFile string
	// CAPool trusts the proxy's CA, for clients of the test itself.
	CAPool *x509.CertPool

	upstream *url.URL
	ca       *x509.Certificate
	caKey    *ecdsa.PrivateKey

	mu    sync.Mutex
	certs map[string]*tls.Certificate
	hosts []string
}

// New starts a proxy on loopback that forwards every request to upstream
// (a base URL such as "http://127.0.0.1:41234"), keeping the Host header
// the client sent and adding X-Forwarded-Proto: https. It stops when the
// test ends.
func New(t testing.TB, upstream string) *Proxy {
	t.Helper()
	up, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "awsproxy test CA", Organization: []string{"Example Corp TLS inspection"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{upstream: up, ca: ca, caKey: key, certs: map[string]*tls.Certificate{}, CAPool: x509.NewCertPool()}
	p.CAPool.AddCert(ca)
	p.CAFile = filepath.Join(t.TempDir(), "corp-ca.pem")
	if err := os.WriteFile(p.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(p.serveProxy), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	p.URL = "http://" + ln.Addr().String()
	return p
}

// Hosts lists the host:port targets clients asked the proxy for, in order
// of first request.
func (p *Proxy) Hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hosts)
}

// Client is an HTTP client that goes through the proxy and trusts its CA,
// but reaches loopback addresses directly (a sign-in's callback), as
// NO_PROXY does by default.
func (p *Proxy) Client() *http.Client {
	proxyURL, _ := url.Parse(p.URL)
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy: func(r *http.Request) (*url.URL, error) {
				if ip := net.ParseIP(r.URL.Hostname()); ip != nil && ip.IsLoopback() || r.URL.Hostname() == "localhost" {
					return nil, nil
				}
				return proxyURL, nil
			},
			TLSClientConfig: &tls.Config{RootCAs: p.CAPool},
		},
	}
}

func (p *Proxy) serveProxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels https (CONNECT)", http.StatusMethodNotAllowed)
		return
	}
	p.mu.Lock()
	if !slices.Contains(p.hosts, r.Host) {
		p.hosts = append(p.hosts, r.Host)
	}
	p.mu.Unlock()
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}
	raw := net.Conn(conn)
	if buf.Reader.Buffered() > 0 {
		raw = &prefixConn{Conn: conn, r: buf.Reader}
	}
	tconn := tls.Server(raw, &tls.Config{GetCertificate: p.certificate, NextProtos: []string{"http/1.1"}})
	if err := tconn.Handshake(); err != nil {
		return
	}
	p.forward(tconn)
}

// forward relays the requests of one tunnel, one after another, to the
// upstream.
func (p *Proxy) forward(conn *tls.Conn) {
	reader := bufio.NewReader(conn)
	transport := &http.Transport{Proxy: nil}
	defer transport.CloseIdleConnections()
	for {
		req, err := http.ReadRequest(reader)
		if err != nil {
			return
		}
		out := req.Clone(req.Context())
		out.RequestURI = ""
		out.URL.Scheme = p.upstream.Scheme
		out.URL.Host = p.upstream.Host
		out.Host = req.Host
		out.Header.Set("X-Forwarded-Proto", "https")
		out.Header.Set("X-Forwarded-Host", req.Host)
		resp, err := transport.RoundTrip(out)
		if err != nil {
			resp = &http.Response{StatusCode: http.StatusBadGateway, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, Body: http.NoBody}
		}
		err = resp.Write(conn)
		resp.Body.Close()
		if err != nil || req.Close || resp.Close {
			return
		}
	}
}

// certificate mints, once per host name, a certificate the proxy's CA
// signed, as a TLS-inspecting proxy does.
func (p *Proxy) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	host := hello.ServerName
	if host == "" {
		host = "127.0.0.1"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.certs[host]; c != nil {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	p.certs[host] = c
	return c, nil
}

// prefixConn reads what the HTTP server buffered before the hijack first.
type prefixConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }
