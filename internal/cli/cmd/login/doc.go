// Package login implements `ssokit login`, and EnsureToken, which every
// command that needs an SSO token calls so that an expired session can be
// renewed on the spot when a person is at the terminal.
//
// The command resolves the profile or sso-session, decides between the
// browser (PKCE) and the device code (SSH sessions, no display), and hands
// the rest to the login library: the lock, the flows, the token cache.
package login
