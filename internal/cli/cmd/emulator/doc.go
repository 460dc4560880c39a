// Package emulator is `ssokit emulator`: run the local Identity Center
// emulator in the foreground until Ctrl-C.
//
// The command only turns flags into an emulator.Config; emulator.Launch does
// the work, so `ssokit demo` can start the same emulator in-process.
package emulator
