// Package totp computes and checks RFC 6238 time-based one-time passwords:
// HMAC-SHA1 over the count of 30-second steps since the Unix epoch, truncated
// to 6 digits, the variant every authenticator app speaks. Secrets are base32
// (RFC 4648), as authenticator apps and the emulator's directory file hold
// them; padding, spaces and lower case are accepted.
//
// The emulator's sign-in page uses Verify, and test browsers use Code to type
// the code a person would read off their phone.
package totp
