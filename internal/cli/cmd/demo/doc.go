// Package demo implements `ssokit demo`: the whole story of ssokit on the
// embedded emulator, with nothing from the user's machine involved.
//
//  1. Start the emulator on a free loopback port, approving every sign-in
//     as the demo user.
//  2. Write the SSO profile from the AWS Toolkit for Visual Studio docs into
//     the credentials file of a temporary home folder.
//  3. Run the real `ssokit login`, `ssokit export` and `ssokit status`
//     commands against it, and call STS GetCallerIdentity through
//     aws-sdk-go-v2 with the role credentials to show they are real.
//
// The commands run in-process through the same entry point as the binary,
// with a Factory whose home folder, environment and browser are the demo's.
package demo
