package loopback

import "testing"

func TestHostHeader(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1:8080":         true,
		"127.0.0.1":              true,
		"127.1.2.3:1":            true,
		"localhost:4510":         true,
		"LOCALHOST":              true,
		"localhost.:80":          true,
		"app.localhost:80":       true,
		"[::1]:9911":             true,
		"[::1]":                  true,
		"":                       false,
		"evil.example:8080":      false,
		"evil.example":           false,
		"127.0.0.1.evil.example": false,
		"localhost.evil.example": false,
		"10.0.0.5:80":            false,
		"[::2]:80":               false,
		"0.0.0.0:80":             false,
	} {
		if got := HostHeader(h); got != want {
			t.Errorf("HostHeader(%q) = %v, want %v", h, got, want)
		}
	}
}
