// Package signedin prepares, for command tests, a temporary home folder that
// is signed in to an in-process emulator, as after `ssokit login`: a config
// file with SSO profiles and an SSO token in the token cache, and an
// environment that points every AWS endpoint at the emulator
// (cmdtest.SignedIn builds a command Factory for it).
//
//	env := signedin.New(t)
//	f, out, errOut := cmdtest.SignedIn(env)
//	... run a command against f with --profile signedin.Profile ...
//	env.Srv.Count("GetRoleCredentials")
package signedin
