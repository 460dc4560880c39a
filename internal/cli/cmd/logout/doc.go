// Package logout implements `ssokit logout`: sign out of one SSO session
// (the profile's, or --sso-session's) or of all of them (--all).
//
// For each session signed out, through login.Session.Logout: take the session's
// cache lock (so a concurrent login or refresh cannot write the token back),
// call the portal's Logout so the access token stops working at AWS too,
// and delete the token file — also when the portal cannot be reached, with
// a warning. Then the SSO role
// credentials in the AWS CLI's cache (~/.aws/cli/cache) are deleted, as `aws
// sso logout` does, so nothing obtained with the old sign-in is handed out
// again. Client registrations are kept: the next sign-in reuses them.
//
// --all works like `aws sso logout`: every token file in the cache, whoever
// wrote it.
package logout
