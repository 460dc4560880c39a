// Package emulator is a local AWS IAM Identity Center: the SSO OIDC and SSO
// portal APIs, enough STS to answer GetCallerIdentity and AssumeRole (with
// the directory's IAM roles and their trust), a console federation
// endpoint and the sign-in and approval pages, all on one loopback port, so
// the AWS CLI, the SDKs and ssokit itself run against it unmodified with the
// AWS_ENDPOINT_URL_SSO, _SSO_OIDC and _STS variables (see Env).
//
// New assembles the areas; each is a Handler with Mount(mux):
//
//	POST /client/register           oidc    RegisterClient
//	POST /device_authorization      oidc    StartDeviceAuthorization
//	POST /token                     oidc    CreateToken
//	GET  /authorize                 oidc    PKCE entry → 302 /consent?request=ID
//	GET  /federation/credentials    portal  GetRoleCredentials
//	GET  /assignment/accounts       portal  ListAccounts
//	GET  /assignment/roles          portal  ListAccountRoles
//	POST /logout                    portal  Logout
//	POST /                          sts     Action=GetCallerIdentity | AssumeRole
//	GET  /federation                federation  Action=getSigninToken | login
//	GET  /console                   federation  the emulated console page
//	GET  /, /start, /signin, /device, /consent; POST /signin, /signout, /device, /consent
//	                                web     pages a person uses
//	anything else                   404 (405 for a known path) in the AWS error shape
//
// Every API operation passes one middleware: a request id, a per-operation
// counter (Count), and the optional faults of Options.Faults (rate limit,
// latency, injected 500/503). State lives in a storage.Storage: memory for
// tests, SQLite (OpenStore) when tokens must outlive a restart.
//
// Absolute URLs it hands out (verificationUri, the authorization and token
// endpoints, the pages' links) are built on the scheme and Host the client
// used (wire.Origin), so behind a TLS proxy answering as
// oidc.<region>.amazonaws.com they name that host. With Options.TLS it
// serves HTTPS with a certificate from a CA made at start (CA); clients
// trust it through AWS_CA_BUNDLE.
//
// Three ways to run one: New + Handler on any listener (emulatortest does
// this), New + ListenAndServe, or Launch(ctx, Config) which also builds the
// directory and store from command-line style settings, writes the CA file
// and prints a banner (`ssokit emulator`, `ssokit demo`). Launch listens
// beyond loopback only when Config.AllowRemote says so.
package emulator
