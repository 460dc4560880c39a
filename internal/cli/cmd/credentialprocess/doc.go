// Package credentialprocess is `ssokit credential-process`, the command a
// profile's credential_process line runs: it resolves the SSO profile,
// gets its role credentials through credentials.Provider and prints them as
// the credential_process JSON document (export.ProcessJSON) on stdout, and
// nothing else there; messages and errors go to stderr.
//
// It runs before every AWS call of the program using it, so the cached path
// does only what it must: check the profile chain guard, load the config
// files, read one cache file, print. No token read, no HTTP client.
//
// Running under another program, it never opens a browser unless --sign-in
// says so: an expired session ends with exit code 3 and the `ssokit login`
// command to run.
package credentialprocess
