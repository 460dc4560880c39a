// Package profiles implements `ssokit profiles`: every profile and
// sso-session in the shared config and credentials files, what kind of
// profile each is, the source_profile chain of assume-role profiles, and
// the file and line where each is defined.
//
// The flow: load both files through config.Load (the same merged view the
// other commands use), then print the profiles sorted by name and the
// sso-sessions after them, as aligned tables for people or, with
// --output json, as one JSON document of a stable shape for scripts.
package profiles
