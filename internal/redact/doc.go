// Package redact makes text from files, flags and the environment safe to
// put in a message: Quote quotes at most a short prefix of it, Line quotes
// a line of a config or credentials file without the value of a secret
// key, and IsSecretKey says which keys those are. Messages end up in
// terminals, CI logs and bug reports; a 10 MB line or a secret key must
// not.
package redact
