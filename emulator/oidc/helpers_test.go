package oidc

import (
	"net/url"
	"strings"
	"time"
)

var farFuture = time.Now().Add(24 * time.Hour)

// loopbackMatch restates the port-agnostic rule independently of the code
// under test, for the fuzz oracle.
func loopbackMatch(registered, uri string) bool {
	r, err1 := url.Parse(registered)
	u, err2 := url.Parse(uri)
	if err1 != nil || err2 != nil {
		return false
	}
	loop := map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}
	host := strings.ToLower(u.Hostname())
	return r.Scheme == "http" && u.Scheme == "http" && (loop[host] || strings.HasPrefix(host, "127.")) &&
		strings.EqualFold(r.Hostname(), u.Hostname()) && r.Path == u.Path && r.RawQuery == u.RawQuery
}
