// Package fileutil is the one way ssokit writes files that users or other
// tools rely on: WriteAtomic never leaves a half-written file (temp file in
// the same folder, fsync, rename), keeps an existing file's mode unless the
// data is secret (then 0600), creates new files 0600 in 0700 folders, and
// follows a symbolic link rather than replacing it. Its temp files are
// 0600 from the start and held by their writer; the next writer in the
// folder removes the ones that dead writers left (RemoveLeftovers). Lock
// serialises processes that edit or refresh the same file, through an OS
// file lock that the kernel releases when a process dies, so a crashed
// holder never wedges the others.
//
// On Windows, where modes mean nothing, a new or secret file is born with
// an access list that lets in only the user and SYSTEM. A file another
// program has open cannot be replaced there: ReadFile opens files sharing
// delete access, so that a rename (with POSIX semantics, Windows 10 and
// later) replaces them under their readers; a reader that shares no
// delete access (most programs) is waited out for a few seconds, and if it
// holds on, the error (*HeldError) names it when the Restart Manager can.
package fileutil
