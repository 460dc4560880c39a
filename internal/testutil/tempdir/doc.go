// Package tempdir gives a test a temporary folder that is removed when the
// test ends, as t.TempDir does, on every system the tests run on.
//
//	dir := tempdir.New(t)
//
// On Windows, Go's os.RemoveAll deletes each entry with POSIX semantics
// (FileDispositionInformationEx); wine 8 refuses that request with a
// status that reads "Invalid function" (ERROR_INVALID_FUNCTION), not one
// of those Go takes as a reason to fall back to a classic delete, so
// every t.TempDir cleanup fails there. New removes the folder with os.RemoveAll and, if that
// fails, entry by entry with os.Remove (DeleteFile, RemoveDirectory),
// which wine has; a failure of both still fails the test. RemoveAll does
// the same for a test that removes a folder itself.
package tempdir
