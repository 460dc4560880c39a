// Package iostreams is the one place terminal I/O goes through: data to Out,
// everything meant for a person (prompts, progress, hints) to ErrOut, and
// spinners or colour only when the stream is a terminal.
package iostreams
