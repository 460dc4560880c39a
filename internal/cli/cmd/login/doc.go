// Package login implements `ssokit login`.
//
// The command has the Factory resolve the profile or sso-session into a
// login.Session, decides between the browser (PKCE) and the device code
// (SSH sessions, no display, the sso-session's ssokit_use_device_code) with
// cmdutil.SignInOptions, and hands the rest to the session: the lock, the
// flows, the token cache. It passes the instant it started, so that logins
// started together share one sign-in. --all (all.go) does the same for
// every configured session in turn, asking first at a terminal.
package login
