// Package configure is `ssokit configure sso`, the wizard that adds an SSO
// profile as `aws configure sso` does, and `ssokit configure migrate`, which
// turns legacy SSO profiles into profiles naming an [sso-session].
//
// The flow: take each answer from its flag or, on a terminal, ask for it
// (without one, a missing answer is an error naming the flag); reuse an
// existing [sso-session] of the chosen name; sign in (reusing a valid
// cached token); list the accounts and then the chosen account's roles
// through the same rate-limited engine populate uses, offering filterable
// lists; ask for the profile's region, output format and name; then write
// the sso-session and the profile with config.Edit, which keeps every other
// byte of the files and writes atomically under a lock.
//
// migrate groups the legacy profiles of both files by start URL and SSO
// region, names one sso-session per group (an existing one with the same
// URL and region is reused), prints each file's change as a unified diff
// (config.Preview), asks, and writes the config file (sessions first) and
// then the credentials file with config.Edit; each profile's sso_start_url
// line becomes sso_session in place.
package configure
