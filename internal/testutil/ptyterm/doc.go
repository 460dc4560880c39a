// Package ptyterm runs a program in a pseudo-terminal for a test, as a
// person at a terminal would: it records what the program draws, answers
// the queries a real terminal answers, and types keys. StartMute gives a
// terminal that answers no query, to show a program does not wait for one.
//
//	term := ptyterm.Start(t, exec.Command(bin, "configure", "sso"))
//	term.Expect(t, "SSO session name")
//	term.Type(t, "corp\r")
//	code := term.Wait(t)
package ptyterm
