package emulator_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
)

// TestAWSCLIGetCallerIdentity has botocore sign GetCallerIdentity with role
// credentials from the portal: its SigV4 header set differs from the Go
// SDK's, and both must verify. A tampered secret must give botocore the STS
// error code.
func TestAWSCLIGetCallerIdentity(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	cli := awscli.New(t, srv.URL)
	c := newClients(t, srv)
	out, err := c.sso.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(signIn(t, c)), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	rc := out.RoleCredentials
	cli.WriteCredentials("[good]\naws_access_key_id = " + aws.ToString(rc.AccessKeyId) +
		"\naws_secret_access_key = " + aws.ToString(rc.SecretAccessKey) +
		"\naws_session_token = " + aws.ToString(rc.SessionToken) +
		"\n\n[tampered]\naws_access_key_id = " + aws.ToString(rc.AccessKeyId) +
		"\naws_secret_access_key = " + tamper(aws.ToString(rc.SecretAccessKey)) +
		"\naws_session_token = " + aws.ToString(rc.SessionToken) + "\n")

	stdout, _, err := cli.Run("sts", "get-caller-identity", "--profile", "good", "--region", "us-east-1", "--output", "json")
	if err != nil {
		t.Fatalf("aws sts get-caller-identity: %v", err)
	}
	var id struct{ UserId, Account, Arn string }
	if err := json.Unmarshal([]byte(stdout), &id); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	if id.Account != directory.DemoAccount || !regexp.MustCompile(`^arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_[0-9a-f]{16}/demo$`).MatchString(id.Arn) {
		t.Errorf("aws sts get-caller-identity = %+v", id)
	}

	_, stderr, err := cli.Run("sts", "get-caller-identity", "--profile", "tampered", "--region", "us-east-1")
	if err == nil || !strings.Contains(stderr, "SignatureDoesNotMatch") {
		t.Errorf("tampered secret: err %v, stderr %q; want SignatureDoesNotMatch", err, stderr)
	}
	if got := srv.Count("GetCallerIdentity"); got != 2 {
		t.Errorf("Count(GetCallerIdentity) = %d, want 2", got)
	}
}

// tamper changes the first character of secret, always to a different one.
// The first, not the last: in unpadded base64 the last character may carry
// bits a lenient decoder ignores, so changing it can leave the bytes as they
// were.
func tamper(secret string) string {
	c := byte('x')
	if secret[0] == c {
		c = 'y'
	}
	return string(c) + secret[1:]
}

// TestAWSCLIAssumesRoles has botocore's assume-role provider chain a role
// onto portal credentials: its AssumeRole request must verify, the trust
// model must hold, and its cache entry is what ssokit's cache reads.
func TestAWSCLIAssumesRoles(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	cli := awscli.New(t, srv.URL)
	rc := portalCredentials(t, srv)
	cli.WriteCredentials("[portal]\naws_access_key_id = " + aws.ToString(rc.AccessKeyId) +
		"\naws_secret_access_key = " + aws.ToString(rc.SecretAccessKey) +
		"\naws_session_token = " + aws.ToString(rc.SessionToken) + "\n")
	cli.WriteConfig("[profile admin]\nrole_arn = " + directory.DemoAssumableRole + "\nsource_profile = portal\nrole_session_name = cli\nregion = us-east-1\n\n" +
		"[profile denied]\nrole_arn = " + directory.DemoUntrustedRole + "\nsource_profile = portal\nregion = us-east-1\n")

	stdout, _, err := cli.Run("sts", "get-caller-identity", "--profile", "admin", "--output", "json")
	if err != nil {
		t.Fatal(err)
	}
	var id struct{ Account, Arn string }
	if err := json.Unmarshal([]byte(stdout), &id); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	if id.Account != "210987654321" || id.Arn != "arn:aws:sts::210987654321:assumed-role/Admin/cli" {
		t.Errorf("aws sts get-caller-identity --profile admin = %+v", id)
	}
	_, stderr, err := cli.Run("sts", "get-caller-identity", "--profile", "denied")
	if err == nil || !strings.Contains(stderr, "AccessDenied") || !strings.Contains(stderr, "not authorized to perform: sts:AssumeRole") {
		t.Errorf("untrusted role: err %v, stderr %q; want AccessDenied", err, stderr)
	}
	if got := srv.Count("AssumeRole"); got != 2 {
		t.Errorf("Count(AssumeRole) = %d, want 2", got)
	}
}
