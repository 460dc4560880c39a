// Package cmdutil holds what every command shares, so that no command
// imports another: the Factory of injectable dependencies, which also
// resolves the profile or sso-session a command works on into a
// login.Session (Config, ResolveSSO, Session, NewSession), or for the
// commands that hand credentials on, into the credentials provider of an
// SSO or assume-role profile (Credentials); the sign-in
// options and EnsureToken of the commands that may sign in; the portal
// lister and progress bar of accounts, configure and populate; the unified
// diff that populate and configure migrate print; and the error kinds that internal/cli/app maps to exit codes.
package cmdutil
