// Package config reads and edits the shared AWS config and credentials files
// (~/.aws/config, ~/.aws/credentials) exactly as botocore and the AWS CLI
// read them, without ever losing a byte the user wrote.
//
// The flow:
//   - DefaultPaths and SelectProfile find the files and the profile from the
//     environment, as the AWS CLI does.
//   - Parse keeps a file as its lines, verbatim with their endings; that one
//     lossless form serves both reading and editing.
//   - Load parses both files and builds the merged view: profiles, with the
//     credentials file's keys over the config file's, sso-sessions, services.
//   - ResolveSSO turns an SSO profile (ResolveSSOSession an sso-session)
//     into an SSO, validated as botocore's SSO provider does, with the
//     Endpoints of every service it talks to: the user's overrides
//     (EndpointURL: AWS_ENDPOINT_URL_*, services, endpoint_url), else what
//     the SDK's endpoint rules give for the region, in every partition.
//   - ResolveChain turns an assume-role profile (role_arn, source_profile)
//     into a Chain: the SSO profile at its root and the roles to assume on
//     top of it, in order, with where the STS calls go; an SSO profile is a
//     chain of no steps.
//   - Edit locks a file, lets the caller Set/Unset keys and add or remove
//     sections, and writes it back atomically; Check lists every problem
//     with its file and line, for `ssokit doctor`.
//
// Where botocore and the Go SDK read a file differently (SSO-PROTOCOL.md
// §5.3), this package follows botocore, except that repeated sections and
// keys are read (merged, later wins) and reported rather than refused. The
// tests hold it to that: besides the peers' fixtures, TestSameViewAsBotocore
// asks the AWS CLI's own botocore, when installed, for its view of every
// fixture and of a list of tricky inputs, and compares.
package config
