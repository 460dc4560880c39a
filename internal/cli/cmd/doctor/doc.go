// Package doctor implements `ssokit doctor`: it checks the shared config
// and credentials files and prints every problem with its file and line and
// how to fix it.
//
// The flow: find the two files as every command does (AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws), run config.Check, which reads
// them leniently so that one bad line does not hide the others, and print
// one "file:line: problem" line per problem with an indented "fix:" line
// under it. The report is the command's output, so it goes to stdout; the
// exit code is 1 when anything is wrong.
package doctor
