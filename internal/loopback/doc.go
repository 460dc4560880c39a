// Package loopback recognises the names of this machine's loopback
// interface (localhost, 127.0.0.0/8, ::1), for servers that must answer
// this machine alone: the container credentials endpoint and the PKCE
// callback check the Host header of each request with HostHeader, which
// turns away pages that reach them by DNS rebinding.
package loopback
