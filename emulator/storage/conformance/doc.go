// Package conformance is the one test suite every storage backend passes:
// call Run from the backend's test with a function that opens a fresh store.
package conformance
