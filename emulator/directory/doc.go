// Package directory is the emulator's identity store: users (with passwords
// and optional TOTP secrets), groups, AWS accounts, permission sets and the
// assignments that tie a user or a group to a permission set in an account.
//
// A Directory comes from one of three places:
//
//	Load(path)            a YAML file written by hand (validated, errors name the entry)
//	Demo()                a small built-in organisation with random passwords
//	Generate(n, m)        n accounts with m roles each, all assigned to user "demo"
//
// After it is built a Directory is read-only: the first lookup indexes it, so
// the hot paths (CanAssume on every GetRoleCredentials) are map lookups.
package directory
