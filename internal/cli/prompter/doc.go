// Package prompter asks the user questions behind an interface, so commands
// can be tested with scripted answers.
//
// On a terminal that can draw, questions are huh forms: a refused answer
// shows its reason under the field, a select filters as you type and says
// when nothing matches. With TERM=dumb, questions are plain lines: a
// numbered list to choose from, the reason for a refusal on its own line.
// Either way Ctrl-C, and Ctrl-D or the end of input, cancel (ErrCancelled)
// instead of asking again.
//
// Nothing here talks to the terminal before a question is asked: a form
// asks the terminal for its background colour when it is drawn, and goes
// on without waiting for the answer.
package prompter
