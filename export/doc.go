// Package export hands role credentials to the programs that need them, in
// every shape those programs read:
//
//   - Write prints credentials in the AWS CLI's `configure export-credentials`
//     formats (process, env, env-no-export, fish, powershell, windows-cmd)
//     byte for byte, plus json (the credential_process document, also built
//     by ProcessJSON) and ini (lines for a credentials-file section);
//     WriteVars prints any variables in the shell formats.
//   - CheckProfileChain is the CLI's guard against a credential_process that
//     ends up calling itself, through the _AWS_CLI_PROFILE_CHAIN variable.
//   - ExecEnv and ContainerEnv build a child process's environment: the
//     credentials (or a container endpoint) in, every variable that would
//     make the child pick other credentials out, and the region the AWS CLI
//     would pick (the environment's, else the profile's).
//   - ContainerServer answers the container credentials protocol on
//     loopback behind a random bearer token, refreshing before expiry, for
//     jobs that outlive one set of credentials.
//   - ConsoleURL trades credentials for a federation sign-in URL that opens
//     the AWS console.
//
// Nothing here resolves profiles or talks to Identity Center: callers pass
// aws.Credentials or an aws.CredentialsProvider. Secrets never appear in
// errors.
package export
