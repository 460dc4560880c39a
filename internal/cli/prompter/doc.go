// Package prompter asks the user questions behind an interface, so commands
// can be tested with scripted answers.
package prompter
