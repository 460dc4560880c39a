// Package signedin prepares, for command tests, a temporary home folder that
// is signed in to an in-process emulator, as after `ssokit login`: a config
// file with SSO profiles, an SSO token in the token cache, and a Factory
// whose environment points every AWS endpoint at the emulator.
//
//	env := signedin.New(t)
//	f, out, errOut := env.Factory()
//	... run a command against f with --profile signedin.Profile ...
//	env.Srv.Count("GetRoleCredentials")
package signedin
