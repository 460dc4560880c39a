// Package export is `ssokit export`: it prints an SSO profile's role
// credentials in the format a shell, a script or a credential_process
// expects — the AWS CLI's `configure export-credentials` formats byte for
// byte, plus json and ini.
//
// The flow: stop at once if the profile is already being resolved further
// up (the _AWS_CLI_PROFILE_CHAIN guard), resolve the profile, get the
// credentials (cached or fresh), write them to stdout in one piece.
package export
