package loopback

import (
	"net"
	"strings"
)

// IsHost reports whether host (a name or an IP address, without a port)
// is this machine's loopback interface: localhost (or a name under
// .localhost), an address in 127.0.0.0/8, or ::1.
func IsHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

// HostHeader reports whether the Host header of a request (host, or
// host:port) names the loopback interface. A page of another site that a
// browser reaches through DNS rebinding carries that site's name, and is
// refused.
func HostHeader(hostHeader string) bool {
	host := hostHeader
	if h, _, err := net.SplitHostPort(hostHeader); err == nil {
		host = h
	}
	return host != "" && IsHost(host)
}
