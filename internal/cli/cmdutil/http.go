package cmdutil

import (
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// NewHTTPClient is the HTTP client of every call to AWS or the emulator:
// a 30-second timeout, and the proxy that HTTPS_PROXY, HTTP_PROXY and
// NO_PROXY (or their lower-case forms) name, read through getenv, with
// the rules net/http applies to the process's own environment (loopback
// addresses are never proxied).
func NewHTTPClient(getenv func(string) string) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Read at each request, as getenv may be a test's changing map.
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		return (&httpproxy.Config{
			HTTPProxy:  firstSet(getenv, "HTTP_PROXY", "http_proxy"),
			HTTPSProxy: firstSet(getenv, "HTTPS_PROXY", "https_proxy"),
			NoProxy:    firstSet(getenv, "NO_PROXY", "no_proxy"),
		}).ProxyFunc()(r.URL)
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: tr}
}

func firstSet(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}
