// Package serve is `ssokit serve`: a container credentials endpoint on
// loopback, behind a random bearer token, for programs that read
// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN.
//
// The flow: resolve the profile, get the credentials once (to report a
// sign-in problem now), listen, print the two variables on stdout, and
// serve — renewing the credentials before they expire — until Ctrl-C.
package serve
