// Package console is `ssokit console`: it opens the AWS console signed in
// with an SSO profile's role.
//
// The flow: resolve the profile, get the role credentials, trade them at
// the federation endpoint (AWS_ENDPOINT_URL_SIGNIN overrides its host) for
// a sign-in token, and open the sign-in URL in the browser — or print it on
// stdout with --print. The URL grants the session to whoever opens it, so
// it is shown nowhere else.
package console
