// Package login signs a person in to IAM Identity Center and keeps the SSO
// access token in the cache that the AWS CLI and SDKs share.
//
// A Session is one SSO session (an sso-session, or a legacy profile's start
// URL), built by NewSession from the config.SSO that config resolves, with
// its endpoints. It owns the token cache and builds the OIDC and portal
// clients once, on first use, with one retry policy, which the STS clients
// of role chains (STS) share with its HTTP client. Its methods:
//
//   - Token returns a valid access token (what every command that needs AWS
//     calls):
//     1. Read the cached token; a token with more than RefreshWindow left is
//     returned at once, without a lock or a network call.
//     2. Otherwise take the cross-process lock beside the cache file and read
//     the file again: another process may have refreshed or signed in while
//     this one waited, and its token is then simply reused. This is what
//     turns fifty processes that start at once into one browser prompt.
//     3. Refresh silently with the refresh token (sso-session profiles only;
//     legacy tokens cannot be refreshed).
//     4. Else sign in anew when Options.SignIn is set, or return a
//     *SignInRequiredError naming the profile or session to sign in to.
//   - Login always signs in: the authorization code flow with PKCE and a
//     one-shot loopback listener for sso-session profiles; the device code
//     flow for legacy profiles, on request, or when no browser can be
//     opened. The client registration is cached under the AWS CLI's own key
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
