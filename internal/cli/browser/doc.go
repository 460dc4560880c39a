// Package browser opens URLs in the user's browser behind an interface, so
// commands can be tested with a stub that records (or follows) the URLs.
// The browser helper's own output is kept off the terminal, so that a
// secret URL is never echoed; whether a browser can work here at all is
// cmdutil's question (Factory.OpenBrowser).
package browser
