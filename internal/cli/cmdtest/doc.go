// Package cmdtest holds the test setup every command package repeats: a
// Factory in a temporary home, and the "flags → Options" half of a
// command's two tests.
//
//	env := cmdtest.NewEnv(t, srv) // temporary home; Getenv sees srv.Env()
//	err := run(&Options{Factory: env.F})
//	env.Out.String()
//
//	opts, err := cmdtest.ParseFlags(nil, NewCmd, "--profile", "dev")
//
// SessionChoices are the cases of a command that acts for an sso-session
// when no flag names one.
//
// A home signed in to the emulator, with SSO profiles, is
// internal/testutil/signedin.
package cmdtest
