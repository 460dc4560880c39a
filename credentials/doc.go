// Package credentials turns an SSO profile into temporary role credentials:
// New takes the profile's login.Session and returns a Provider, an
// aws.CredentialsProvider, so it plugs into an aws.Config (wrapped in
// aws.NewCredentialsCache) or backs ssokit's credential_process, export,
// exec and serve commands. The one portal call goes through the session's
// client, or through Options.Client (GetRoleCredentialsAPIClient, as
// aws-sdk-go-v2's ssocreds takes it) in tests.
//
// Retrieve, in order:
//
//  1. Read the role-credential cache the AWS CLI keeps in ~/.aws/cli/cache
//     (same file name and JSON, see CacheFileName) and return the entry if
//     more than Options.ReuseWindow (15 minutes) remains. This is the hot
//     path behind credential_process: no token read, no HTTP client.
//  2. Otherwise get an access token from the session (refreshed, or signed
//     in anew when the session was built with login.Options.SignIn).
//  3. Take a lock beside the cache file and read it again, so that
//     concurrent callers, in this process or others, share one call; the
//     lock is never held during a sign-in.
//  4. Call the portal's GetRoleCredentials and write the entry back
//     atomically, mode 0600. With SignIn, a token the portal rejects leads
//     to one new sign-in and one more try.
//
// A cache folder that cannot be used costs a warning (on the session's
// Messages writer) and the caching, never the credentials. The package
// example shows a whole program: a profile from the user's files, endpoint
// overrides, a browser sign-in and an STS call.
//
// NewAssumeRole is the provider of an assume-role profile whose
// source_profile chain ends in an SSO profile (config.Chain): the SSO role
// credentials above, then one STS AssumeRole per step, through the
// session's HTTP client, at the STS endpoint config resolved for the
// chain. Each step has its own entry in the same cache, named as the AWS
// CLI names it (the SHA-1 of the JSON of the AssumeRole arguments, see
// AssumeRoleCacheFileName) and holding the CLI's JSON, with the same lock
// and 15-minute window. A warm call reads only the last step's entry. A
// step's source credentials are got before its lock is taken, so a
// process never holds two locks. A step with mfa_serial asks
// AssumeRoleOptions.TokenProvider for the code; without one it fails with
// *MFACodeRequiredError. STS's refusals are *AssumeRoleError (Denied for
// AccessDenied); source credentials STS no longer accepts are fetched anew
// once.
//
// Because the cache is the AWS CLI's own, the CLI reuses credentials ssokit
// fetched and the other way round, and PurgeSSOCache clears it the way
// `aws sso logout` does.
//
// Errors the caller can act on are typed: *login.SignInRequiredError (no
// valid token; also reachable through errors.As from *TokenRejectedError,
// when the portal refuses a token that had not expired), *RoleNotAssignedError,
// *NoRoleError and *ServiceError (portal or STS unreachable or throttling),
// and for chains *AssumeRoleError and *MFACodeRequiredError. Access keys,
// secret keys and tokens never appear in error text.
package credentials
