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
package fileutil
