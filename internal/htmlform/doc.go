// Package htmlform reads the forms, heading and alert text of an HTML page,
// so tests can fill in and submit forms the way a person would. It parses
// with encoding/xml in its lenient HTML mode, which is enough for
// well-formed pages such as the emulator's; it is not a general HTML
// parser.
package htmlform
