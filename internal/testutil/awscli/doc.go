// Package awscli runs the real AWS CLI v2 (/usr/bin/aws, Debian's awscli)
// against a local emulator from tests, in an environment of its own.
//
// New skips the test with -short or when the CLI is missing, makes a
// temporary HOME with empty ~/.aws/config and ~/.aws/credentials, and
// writes endpoint rule sets
// for sso, sso-oidc and sts under an AWS_DATA_PATH folder whose rules
// answer with the emulator's URL: the CLI shipped by Debian predates
// AWS_ENDPOINT_URL_* and only reaches a local endpoint this way. Run starts
// the CLI with only HOME, PATH, LANG, AWS_CONFIG_FILE,
// AWS_SHARED_CREDENTIALS_FILE, AWS_DATA_PATH, AWS_EC2_METADATA_DISABLED and
// settings that keep it from paging, prompting or buffering set, so nothing of the machine's environment (AWS_PROFILE, AWS_CA_BUNDLE,
// real credentials) leaks in.
//
//	cli := awscli.New(t, srv.URL)
//	cli.WriteConfig("[profile p]\nsso_session = s\n...")
//	out, errOut, err := cli.Run("sso", "login", "--profile", "p", "--no-browser")
//	token := cli.SSOTokenFile("s") // where the CLI cached the token
//
// Command gives the *exec.Cmd instead, for a test that reads what the CLI
// prints while it runs (the verification URL of `aws sso login`).
//
// The CLI at /usr/bin/aws is used on purpose, never the first aws on PATH,
// which may be the unrelated v1.
package awscli
