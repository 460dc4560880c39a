package export

import (
	"cmp"
	"runtime"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Variables a child process gets from ExecEnv and ContainerEnv.
const (
	EnvAccessKeyID          = "AWS_ACCESS_KEY_ID"
	EnvSecretAccessKey      = "AWS_SECRET_ACCESS_KEY"
	EnvSessionToken         = "AWS_SESSION_TOKEN"
	EnvCredentialExpiration = "AWS_CREDENTIAL_EXPIRATION"
	EnvAccountID            = "AWS_ACCOUNT_ID"
	EnvRegion               = "AWS_REGION"
	EnvDefaultRegion        = "AWS_DEFAULT_REGION"
	EnvContainerFullURI     = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	EnvContainerAuthToken   = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
)

// clearedEnv are the variables that would make an SDK or the AWS CLI in the
// child use other credentials than the ones handed over, or mix them with
// another identity:
//
//   - AWS_PROFILE, AWS_DEFAULT_PROFILE: a named profile beats environment
//     keys when a tool is told to use it;
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
//     AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID, and the aliases
//     AWS_SECURITY_TOKEN (botocore), AWS_ACCESS_KEY, AWS_SECRET_KEY (Go SDK):
//     stale keys of another identity;
//   - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, _FULL_URI,
//     AWS_CONTAINER_AUTHORIZATION_TOKEN, _TOKEN_FILE: another container
//     endpoint (RELATIVE_URI and TOKEN_FILE win over ours);
//   - AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME:
//     web-identity federation into another role.
//
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE stay: the child still
// reads its settings (region, retries, endpoints) from them, and with
// credentials in the environment no SDK looks at profiles for keys.
var clearedEnv = []string{
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	EnvAccessKeyID, EnvSecretAccessKey, EnvSessionToken, EnvCredentialExpiration, EnvAccountID,
	"AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", EnvContainerFullURI,
	EnvContainerAuthToken, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
}

// ExecEnv returns environ (KEY=VALUE strings) for a child that should use
// creds: the variables listed above are removed, and AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION and
// AWS_ACCOUNT_ID (when known) are set. The expiration is in the form Write
// prints, the AWS CLI's ("2026-01-01T09:00:00+00:00"), so a child of exec
// and a shell that ran export see the same value.
//
// region is the profile's region. A region environ already sets wins over
// it, as in the AWS CLI: AWS_REGION, then AWS_DEFAULT_REGION, then region.
// Those of the two variables environ leaves unset (or empty) are set to the
// winner, so every SDK in the child agrees whichever of the two it reads;
// the ones environ sets are kept as they are.
func ExecEnv(environ []string, creds aws.Credentials, region string) []string {
	set := []string{EnvAccessKeyID, creds.AccessKeyID, EnvSecretAccessKey, creds.SecretAccessKey}
	if creds.SessionToken != "" {
		set = append(set, EnvSessionToken, creds.SessionToken)
	}
	if exp, ok := cliExpiration(creds); ok {
		set = append(set, EnvCredentialExpiration, exp)
	}
	if creds.AccountID != "" {
		set = append(set, EnvAccountID, creds.AccountID)
	}
	return childEnv(environ, region, set...)
}

// SetRegion returns environ with AWS_REGION and AWS_DEFAULT_REGION both
// set to region, whatever environ held: a region the person names wins over
// the environment's.
func SetRegion(environ []string, region string) []string {
	return setRegionFold(environ, runtime.GOOS == "windows", region)
}

func setRegionFold(environ []string, foldCase bool, region string) []string {
	names := []string{EnvRegion, EnvDefaultRegion}
	out := make([]string, 0, len(environ)+2)
	for _, kv := range environ {
		if name, _, _ := strings.Cut(kv, "="); !containsName(names, name, foldCase) {
			out = append(out, kv)
		}
	}
	return append(out, EnvRegion+"="+region, EnvDefaultRegion+"="+region)
}

// ContainerEnv returns environ for a child that should fetch its
// credentials from a container credentials endpoint (see ContainerServer)
// at url with the bearer token: the same variables as for ExecEnv are
// removed, and AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN are set. region is as for ExecEnv.
func ContainerEnv(environ []string, url, token, region string) []string {
	return childEnv(environ, region, EnvContainerFullURI, url, EnvContainerAuthToken, token)
}

// childEnv drops clearedEnv from environ, appends the key/value pairs in
// set, and fills in the region variables environ lacks (see ExecEnv).
func childEnv(environ []string, profileRegion string, set ...string) []string {
	return childEnvFold(environ, runtime.GOOS == "windows", profileRegion, set...)
}

// childEnvFold is childEnv with the operating system's rule for names:
// Windows ignores case.
func childEnvFold(environ []string, foldCase bool, profileRegion string, set ...string) []string {
	drop := clearedEnv
	region := cmp.Or(lookupEnv(environ, EnvRegion, foldCase), lookupEnv(environ, EnvDefaultRegion, foldCase), profileRegion)
	for _, name := range []string{EnvRegion, EnvDefaultRegion} {
		if region != "" && lookupEnv(environ, name, foldCase) == "" {
			// Unset or empty: an empty entry is dropped and replaced.
			drop = append(drop[:len(drop):len(drop)], name)
			set = append(set, name, region)
		}
	}
	out := make([]string, 0, len(environ)+len(set)/2)
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !containsName(drop, name, foldCase) {
			out = append(out, kv)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		out = append(out, set[i]+"="+set[i+1])
	}
	return out
}

// lookupEnv is the value of name in environ, "" when unset; the last entry
// wins, as os/exec passes on the last of duplicates.
func lookupEnv(environ []string, name string, foldCase bool) string {
	v := ""
	for _, kv := range environ {
		if k, val, _ := strings.Cut(kv, "="); k == name || foldCase && strings.EqualFold(k, name) {
			v = val
		}
	}
	return v
}

func containsName(names []string, name string, foldCase bool) bool {
	for _, n := range names {
		if n == name || foldCase && strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}
