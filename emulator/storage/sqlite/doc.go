// Package sqlite is a Storage in one SQLite file (pure Go, modernc.org/sqlite),
// the emulator's default: tokens, role credentials and signing keys outlive
// a restart, so clients holding them keep working.
//
// The database runs in WAL mode (readers never wait for the writer) with a
// busy timeout (several processes may share the file), NORMAL synchronous
// (a crash loses at most the last moments, never consistency), and every
// statement is prepared once at Open. Times are unix nanoseconds; lists are
// JSON arrays.
package sqlite
