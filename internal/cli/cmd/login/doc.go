// Package login implements `ssokit login`.
//
// The command has the Factory resolve the profile or sso-session into a
// login.Session, decides between the browser (PKCE) and the device code
// (SSH sessions, no display) with cmdutil.SignInOptions, and hands the rest
// to the session: the lock, the flows, the token cache.
package login
