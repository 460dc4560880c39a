package emulator_test

import (
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awsproxy"
)

// newAWSProxy is what a corporate network puts between a client and AWS: a
// proxy answering CONNECT for hosts (port 443) with one certificate of ca,
// forwarding each request, Host header unchanged, to srv (over TLS when srv
// serves it; a plain-HTTP emulator learns from X-Forwarded-Proto).
func newAWSProxy(t *testing.T, ca *emulator.CA, srv *emulatortest.Server, hosts ...string) *awsproxy.Proxy {
	t.Helper()
	return awsproxy.New(t, srv.URL, func(o *awsproxy.Options) {
		o.CA = ca
		o.Transport = srv.Client().Transport
		o.Hosts = hosts
	})
}
