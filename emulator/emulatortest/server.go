package emulatortest

import (
	"net/http/httptest"
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
	hs := httptest.NewServer(em.Handler())
	t.Cleanup(hs.Close)
	return &Server{
		URL:       hs.URL,
		StartURL:  em.StartURL(),
		Region:    em.Region(),
		Directory: em.Directory(),
		Emulator:  em,
	}
}

// Env returns AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and
// AWS_ENDPOINT_URL_STS set to the server, as KEY=VALUE strings.
func (s *Server) Env() []string { return emulator.Env(s.URL) }

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
