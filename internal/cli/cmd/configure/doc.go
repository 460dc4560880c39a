// Package configure is `ssokit configure sso`: the wizard that adds an SSO
// profile, as `aws configure sso` does.
//
// The flow: take each answer from its flag or, on a terminal, ask for it
// (without one, a missing answer is an error naming the flag); reuse an
// existing [sso-session] of the chosen name; sign in (reusing a valid
// cached token); list the accounts and then the chosen account's roles
// through the same rate-limited engine populate uses, offering filterable
// lists; ask for the profile's region, output format and name; then write
// the sso-session and the profile with config.Edit, which keeps every other
// byte of the files and writes atomically under a lock.
package configure
