// Package login signs a person in to IAM Identity Center and keeps the SSO
// access token in the cache that the AWS CLI and SDKs share.
//
// A Session is one SSO session (an sso-session, or a legacy profile's start
// URL), built by NewSession from the config.SSO that config resolves, with
// its endpoints. It owns the token cache and builds the OIDC and portal
// clients once, on first use, with one retry policy (retry.go): jittered
// backoff on failures and throttling, eight attempts, more for a sign-in's
// calls while the service throttles; the STS clients of role chains share
// it and the HTTP client. Its methods:
//
//   - Token returns a valid access token (what every command that needs AWS
//     calls):
//     1. Read the cached token; a token with more than RefreshWindow left is
//     returned at once, without a lock or a network call.
//     2. Otherwise take the cross-process lock beside the cache file and read
//     the file again: another process may have refreshed or signed in while
//     this one waited, and its token is then simply reused. This is what
//     turns fifty processes that start at once into one browser prompt. The
//     wait says what it waits for and has a deadline; a caller that does
//     not sign in itself and has no token to refresh does not wait for
//     another's sign-in at all (*SignInRequiredError, OtherSignIn).
//     3. Refresh silently with the refresh token (sso-session profiles only;
//     legacy tokens cannot be refreshed).
//     4. Else sign in anew when Options.SignIn is set, or return a
//     *SignInRequiredError naming the profile or session to sign in to.
//   - Login always signs in: the authorization code flow with PKCE and a
//     loopback listener (which answers stray requests with a page and keeps
//     waiting) for sso-session profiles; the device code flow, which polls
//     through transient errors until the code expires, for legacy
//     profiles, on request, or when no browser can be opened. The client registration is cached under the AWS CLI's own key
//     and reused until 15 minutes before it expires, or until the service no
//     longer knows it.
//   - Refresh trades the refresh token for a new access token now.
//   - Logout revokes the token at the portal and deletes it, keeping the
//     registration; Revoke does the portal half for tokens found in the
//     cache without a configured session.
//
// ListSessions lists every session of the config files and the cache, with
// its token, as `ssokit status` shows them.
package login
