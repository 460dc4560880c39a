// Package browserstub is the browser of tests: it records the URLs a
// program opens and can follow them, for example through the emulator's
// sign-in pages.
package browserstub
