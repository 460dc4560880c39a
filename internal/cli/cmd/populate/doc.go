// Package populate is `ssokit populate`: one profile in the config file for
// every AWS account and role an sso-session gives access to.
//
// The flow: resolve the sso-session and its cached token; list accounts and
// roles through the rate-limited engine (the module's accounts package);
// name each role with the --template, checking every name for file safety
// and uniqueness first; with --assume-role (never by default) add an
// assume-role profile on each profile written, or on those of one SSO
// role (--assume-role-from), named by --assume-role-name; refuse names
// held by profiles populate did not write; then, under the config file's
// lock, add, update and (with --prune) remove profiles and write the file
// back atomically, or with --dry-run print the change as a unified diff
// and write nothing.
//
// How populate knows its own profiles: each one carries the key
// `ssokit_populated_from = <session>`. A key inside the section was chosen
// over a comment above the header because it is part of the section: it
// moves, is copied and is deleted together with it, every INI reader
// attributes it to the right profile, and tools that rewrite the file (the
// AWS CLI's `configure set`, editors' formatters) keep keys while they may
// drop or reattach comments. The AWS CLI and SDKs ignore keys they do not
// know. A profile without the key, or with another session's, is never
// changed or removed; deleting the key hands a profile over to the user.
package populate
