package emulatortest

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
)

// Server is a running emulator.
type Server struct {
	// URL is the base URL of every API and page, e.g. http://127.0.0.1:41234.
	URL string
	// StartURL and Region are what a client configures as sso_start_url
	// and sso_region.
	StartURL, Region string
	// Directory is the organisation served; read users' passwords from it.
	Directory *directory.Directory
	// Emulator is the server itself, for what the fields above do not cover.
	Emulator *emulator.Server
	// CAFile is a PEM file of the CA that signed the server's certificate,
	// for AWS_CA_BUNDLE or ca_bundle; "" when the server speaks plain HTTP.
	CAFile string
}

// TLS is an option of NewServer: serve HTTPS with a certificate from a CA
// the emulator makes, valid for 127.0.0.1, ::1, localhost and hosts (say,
// the AWS host names a test proxy passes through). Clients trust it with
// CAFile (what Env sets AWS_CA_BUNDLE to), CA().Pool() or Client().
func TLS(hosts ...string) func(*emulator.Options) {
	return func(o *emulator.Options) {
		o.TLS = true
		o.TLSHosts = append(o.TLSHosts, hosts...)
	}
}

// NewServer starts an emulator with a fresh demo directory (random
// passwords) and a memory store; optFns adjust the options first.
func NewServer(t testing.TB, optFns ...func(*emulator.Options)) *Server {
	t.Helper()
	opts := emulator.Options{Directory: directory.Demo()}
	for _, fn := range optFns {
		fn(&opts)
	}
	em, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	srv := &Server{
		StartURL:  em.StartURL(),
		Region:    em.Region(),
		Directory: em.Directory(),
		Emulator:  em,
	}
	hs := httptest.NewUnstartedServer(em.Handler())
	if cfg := em.TLSConfig(); cfg != nil {
		// A file of its own rather than a t.TempDir: Go removes those with
		// a POSIX-semantics delete that wine 8 lacks, failing the tests that
		// run there.
		f, err := os.CreateTemp("", "emulator-ca-*.pem")
		if err != nil {
			t.Fatalf("emulatortest: %v", err)
		}
		srv.CAFile = f.Name()
		_, err = f.Write(em.CA().PEM())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		t.Cleanup(func() {
			if err := os.Remove(srv.CAFile); err != nil {
				t.Errorf("emulatortest: %v", err)
			}
		})
		if err != nil {
			t.Fatalf("emulatortest: %v", err)
		}
		hs.TLS = cfg
		hs.StartTLS()
	} else {
		hs.Start()
	}
	t.Cleanup(hs.Close)
	srv.URL = hs.URL
	return srv
}

// Env returns AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC,
// AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL_SIGNIN set to the server, and
// over TLS AWS_CA_BUNDLE set to CAFile, as KEY=VALUE strings.
func (s *Server) Env() []string {
	env := emulator.Env(s.URL)
	if s.CAFile != "" {
		env = append(env, "AWS_CA_BUNDLE="+s.CAFile)
	}
	return env
}

// CA is the emulator's certificate authority, nil for plain HTTP. Its
// Certificate method signs certificates for other names, e.g. for a test
// proxy presenting AWS host names.
func (s *Server) CA() *emulator.CA { return s.Emulator.CA() }

// Client returns a new HTTP client that trusts the server's CA (over TLS)
// and follows redirects.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: s.transport()}
}

// transport is a fresh transport that trusts the server's CA.
func (s *Server) transport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if ca := s.CA(); ca != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}
	}
	return tr
}

// Count returns how many requests of an operation reached the server:
// "RegisterClient", "StartDeviceAuthorization", "CreateToken", "Authorize",
// "GetRoleCredentials", "ListAccounts", "ListAccountRoles", "Logout",
// "GetCallerIdentity", "AssumeRole", "GetSigninToken", "Login", "Console".
func (s *Server) Count(operation string) int { return s.Emulator.Count(operation) }

// Password returns the password of a directory user, failing the test if
// there is no such user.
func (s *Server) Password(t testing.TB, username string) string {
	t.Helper()
	u, ok := s.Directory.User(username)
	if !ok {
		t.Fatalf("emulatortest: no user %q in the directory", username)
	}
	return u.Password
}
