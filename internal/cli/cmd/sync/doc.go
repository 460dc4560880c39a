// Package sync is `ssokit sync`: it writes SSO profiles' short-term role
// credentials into the shared credentials file, for tools that read only
// aws_access_key_id, aws_secret_access_key and aws_session_token.
//
// For each profile: resolve it (all of them first, so a typo writes
// nothing), get its role credentials (cached or fresh), then edit the
// credentials file under its lock, setting the three keys in one section
// and leaving every other byte as it was. A section holding SSO settings or
// long-term keys is refused unless --force.
package sync
