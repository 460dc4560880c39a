// Package browser opens URLs in the user's browser behind an interface, so
// commands can be tested with a stub that records (or follows) the URLs.
package browser
