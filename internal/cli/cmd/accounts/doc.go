// Package accounts is `ssokit accounts`: every AWS account and role an SSO
// session gives access to, as a table, JSON or CSV.
//
// It resolves the profile or sso-session, takes the cached access token
// (at a terminal it offers to sign in when the session has expired; a
// script gets the sign-in-required error, exit code 3), and lists through
// the rate-limited engine of the module's accounts package with a progress
// bar on a terminal, through cmdutil's NewLister, ListAll and ProgressBar,
// which the configure and populate commands share.
package accounts
