// Package status implements `ssokit status`: every SSO session ssokit or
// the AWS tools know of, and whether you are signed in to it.
//
// The flow: login.ListSessions joins the sessions named in the config files
// ([sso-session] sections and legacy profiles with sso_start_url, grouped by
// the token-cache key they share) with every token file in the cache, so
// tokens written by `aws sso login` for sessions not configured here show up
// too, by start URL. For each one the command shows the start URL, the SSO
// region, the time left on the token, whether it can be refreshed without a
// browser, and the profiles that use it; as a table for people or as JSON
// (--output json) of a stable shape for scripts. Below the table, each
// expired session that cannot be refreshed gets the exact `ssokit login`
// command that signs in to it again. `ssokit logout --all` walks
// the same list.
package status
