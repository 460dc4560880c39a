// Package cmdutil holds what every command shares: the Factory of injectable
// dependencies and the error kinds that internal/cli/app maps to exit codes.
package cmdutil
