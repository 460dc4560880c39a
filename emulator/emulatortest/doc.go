// Package emulatortest starts an in-process Identity Center emulator for
// tests in any package: real HTTP (or HTTPS) on 127.0.0.1, the demo directory, an
// in-memory store, stopped by t.Cleanup.
//
//	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
//	cfg.BaseEndpoint = aws.String(srv.URL)   // or: env = append(env, srv.Env()...)
//	...
//	if n := srv.Count("GetRoleCredentials"); n != 1 { ... }
//
// Where a person must act on the pages, srv.Browser(t, user, password)
// signs in and presses Allow or Deny; passwords come from srv.Password.
//
// With the TLS option the server speaks HTTPS; srv.Env() then also sets
// AWS_CA_BUNDLE to srv.CAFile, srv.Client() trusts it, and srv.CA() signs
// certificates for other names, e.g. for a proxy answering as AWS hosts:
//
//	srv := emulatortest.NewServer(t, emulatortest.TLS())
//	cert, _ := srv.CA().Certificate("oidc.us-east-1.amazonaws.com")
package emulatortest
