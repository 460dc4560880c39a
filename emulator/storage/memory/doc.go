// Package memory is a Storage kept in maps: fast, and gone when the process
// ends. The emulator's tests and scale runs use it.
package memory
