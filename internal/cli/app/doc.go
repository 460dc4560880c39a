// Package app builds the ssokit command tree and turns the outcome of a
// command into an exit code and, where it helps, a hint on stderr.
package app
