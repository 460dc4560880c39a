// Package oidc emulates the SSO OIDC service (sso-oidc, 2019-06-10): client
// registration, the device authorization grant, the authorization code grant
// with PKCE, and refresh tokens.
//
// Routes:
//
//	POST /client/register       RegisterClient
//	POST /device_authorization  StartDeviceAuthorization
//	POST /token                 CreateToken (device_code | authorization_code | refresh_token)
//	GET  /authorize             browser entry of the PKCE flow → 302 /consent?request=ID
//
// RegisterClient's issuerUrl (when sent) and StartDeviceAuthorization's
// startUrl must be the organisation's start URL, as on the real service.
//
// Device flow: StartDeviceAuthorization stores a pending authorization; a
// person approves or denies it on the verification page (ApproveDevice,
// DenyDevice); the client's CreateToken polls answer authorization_pending
// or slow_down until then, and the token once. A poll less than 80% of the
// interval after the previous one is slow_down, and the interval then grows
// by 5 s (RFC 8628 §3.5); an approved or denied authorization is answered
// whatever the pace. PKCE flow: /authorize checks
// the client, redirect URI and challenge and stores an AuthRequest; consent
// (ApproveConsent) turns it into a single-use code sent to the redirect URI;
// CreateToken checks the verifier. Refresh tokens are issued only to clients
// registered with scopes, rotate on use and die with Logout.
//
// Grants: a client registered without authorization_code (no grantTypes,
// as the AWS CLI registers, or refresh_token alone, as aws-sso-cli does)
// uses the device code; authorization_code must be registered, and never
// together with the device code (InvalidScopeException).
//
// Lifetimes, as on the real service: a sign-in starts a session
// (SessionDuration, 8 h). An access token that comes with a refresh token
// lives AccessTokenTTL (1 h); refreshing gives another until the session
// ends, then fails with invalid_grant. An access token without a refresh
// token lives the whole session.
package oidc
