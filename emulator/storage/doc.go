// Package storage defines what the emulator remembers between requests —
// client registrations, device and browser authorizations, tokens, role
// credentials and signing keys — behind one Storage interface.
//
// Backends: memory (tests, scale runs) and sqlite (the default; survives a
// restart so tokens and credentials handed out earlier keep working). Both
// pass the same suite, conformance.Run.
//
// Rules every backend follows:
//   - every method takes a context first;
//   - Get/Update/Delete of something absent return ErrNotFound, Create of a
//     key that exists returns ErrAlreadyExists;
//   - Update(ctx, key, fn) applies fn to the current value atomically: no
//     other write to that record happens between the read and the write, and
//     an error from fn leaves the record unchanged and is returned as is;
//   - Delete is the "take" of a single-use item (authorization codes, refresh
//     tokens): of two concurrent Deletes exactly one succeeds.
//
// Secrets that are only ever compared (tokens, codes) are stored under a hash
// of their value chosen by the caller (see Key); the store never sees them.
package storage
