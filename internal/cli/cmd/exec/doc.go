// Package exec is `ssokit exec`: it runs a command with an SSO profile's
// role credentials.
//
// The flow: resolve the profile and get the credentials once (so a sign-in
// problem is ssokit's to report, before the command starts); build the
// child's environment — the keys, or with --server the URL and token of a
// loopback container credentials endpoint that refreshes them — with every
// variable that would point it at other credentials removed; run the
// child, relaying signals; exit with its exit code.
package exec
