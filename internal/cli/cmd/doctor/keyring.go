package doctor

import (
	"fmt"
	"os"
	"strings"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// keyringProblems finds sessions with keyring storage whose files in the
// token cache still hold a refresh token or a client secret: left by a
// sign-in of another tool (aws sso login), or not yet moved since the
// setting changed. Reading the files is enough: the keyring is not asked.
func keyringProblems(paths config.Paths, cacheDir string, getenv func(string) string) []config.Problem {
	cfg, err := config.Load(paths)
	if err != nil {
		return nil // reported by config.Check
	}
	cache := tokencache.New(cacheDir)
	sessions, err := login.ListSessions(cfg, cache, getenv, func(string, ...any) {})
	if err != nil {
		return nil
	}
	var out []config.Problem
	for _, s := range sessions {
		if s.Kind != login.KindSSOSession || s.SSO.TokenStorage != config.TokenStorageKeyring {
			continue
		}
		fix := fmt.Sprintf("the next ssokit command that uses the session moves them to the keyring (ssokit login --sso-session %s signs in again and does); or set %s = file in [sso-session %s] to keep them in files",
			cmdutil.ShellQuote(s.Name), config.KeySSOKitTokenStorage, cmdutil.ShellQuote(s.Name))
		if t := s.Token; t != nil && t.HasSecrets() {
			var held []string
			if t.RefreshToken != "" {
				held = append(held, "a refresh token")
			}
			if t.ClientSecret != "" {
				held = append(held, "a client secret")
			}
			out = append(out, config.Problem{
				Location: config.Location{File: s.TokenPath},
				Message:  fmt.Sprintf("SSO session %q keeps its secrets in the OS keyring (%s = keyring), but its token file holds %s", s.Name, config.KeySSOKitTokenStorage, strings.Join(held, " and ")),
				Fix:      fix,
			})
		}
		reg := cache.RegistrationPath(tokencache.RegistrationKey{Region: s.SSO.Region, Scopes: s.SSO.Scopes, SessionName: s.Name, StartURL: s.SSO.StartURL})
		if _, err := os.Stat(reg); err == nil {
			out = append(out, config.Problem{
				Location: config.Location{File: reg},
				Message:  fmt.Sprintf("SSO session %q keeps its secrets in the OS keyring (%s = keyring), but its client registration file holds a client secret", s.Name, config.KeySSOKitTokenStorage),
				Fix:      fix,
			})
		}
	}
	return out
}
