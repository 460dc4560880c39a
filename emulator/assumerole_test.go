package emulator_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// portalCredentials signs the demo user in and returns the demo role's
// credentials from the portal.
func portalCredentials(t *testing.T, srv *emulatortest.Server) *ssotypes.RoleCredentials {
	t.Helper()
	c := newClients(t, srv)
	out, err := c.sso.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(signIn(t, c)), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.RoleCredentials
}

// portalSTS returns an STS client signing with the demo role's portal
// credentials.
func portalSTS(t *testing.T, srv *emulatortest.Server) *sts.Client {
	t.Helper()
	rc := portalCredentials(t, srv)
	return stsClient(srv, aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken))
}

func assumedSTS(srv *emulatortest.Server, out *sts.AssumeRoleOutput) *sts.Client {
	c := out.Credentials
	return stsClient(srv, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
}

// The demo role assumes the demo organisation's Admin role, and the new
// session is who GetCallerIdentity says.
func TestAssumeRoleFromAnSSORole(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	ctx := context.Background()
	out, err := portalSTS(t, srv).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(directory.DemoAssumableRole), RoleSessionName: aws.String("alice"), DurationSeconds: aws.Int32(3600),
	})
	if err != nil {
		t.Fatal(err)
	}
	const wantARN = "arn:aws:sts::210987654321:assumed-role/Admin/alice"
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != wantARN {
		t.Errorf("AssumedRoleUser.Arn = %s, want %s", got, wantARN)
	}
	if id := aws.ToString(out.AssumedRoleUser.AssumedRoleId); !strings.HasPrefix(id, "AROA") || !strings.HasSuffix(id, ":alice") {
		t.Errorf("AssumedRoleId = %s", id)
	}
	if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left < 59*time.Minute || left > time.Hour {
		t.Errorf("the credentials last %s, want the hour asked for", left)
	}
	who, err := assumedSTS(srv, out).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(who.Arn) != wantARN || aws.ToString(who.Account) != "210987654321" || aws.ToString(who.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
		t.Errorf("GetCallerIdentity = %s %s %s", aws.ToString(who.Arn), aws.ToString(who.Account), aws.ToString(who.UserId))
	}
	if n := srv.Count("AssumeRole"); n != 1 {
		t.Errorf("Count(AssumeRole) = %d, want 1", n)
	}
	if n := srv.Count("GetCallerIdentity"); n != 1 {
		t.Errorf("Count(GetCallerIdentity) = %d, want 1", n)
	}
}

// What STS answers for what it refuses, in the SDK's error types.
func TestAssumeRoleRefusals(t *testing.T) {
	d := directory.Demo()
	mfaSerial := "arn:aws:iam::123456789011:mfa/" + directory.DemoTOTPUser
	ssoRole := "arn:aws:iam::123456789011:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_readOnly_*"
	d.IAMRoles = append(d.IAMRoles,
		directory.IAMRole{ARN: "arn:aws:iam::210987654321:role/Partner", Trust: []string{ssoRole}, ExternalID: "secret-ext"},
		directory.IAMRole{ARN: "arn:aws:iam::210987654321:role/Guarded", Trust: []string{ssoRole}, MFA: true},
		directory.IAMRole{ARN: "arn:aws:iam::210987654321:role/Long", Trust: []string{ssoRole}, MaxSessionDuration: 4 * time.Hour},
	)
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo"; o.Directory = d })
	client := portalSTS(t, srv)
	alice, _ := d.User(directory.DemoTOTPUser) // a lookup indexes the directory: after the roles are added
	code := func() string { c, _ := directory.TOTP(alice.TOTPSecret, time.Now()); return c }
	wrong := func() string {
		c := code()
		return string('0'+(c[0]-'0'+1)%10) + c[1:] // always another first digit
	}
	tests := []struct {
		name     string
		in       sts.AssumeRoleInput
		wantCode string
		wantMsg  string
	}{
		{name: "a role that does not trust the source", in: sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoUntrustedRole)},
			wantCode: "AccessDenied", wantMsg: "User: arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_"},
		{name: "a role that does not exist is denied the same way", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Nope")},
			wantCode: "AccessDenied", wantMsg: "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/Nope"},
		{name: "a wrong external ID", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Partner"), ExternalId: aws.String("guess")},
			wantCode: "AccessDenied", wantMsg: "not authorized"},
		{name: "no external ID", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Partner")},
			wantCode: "AccessDenied", wantMsg: "not authorized"},
		{name: "the right external ID", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Partner"), ExternalId: aws.String("secret-ext")}},
		{name: "no MFA for a role that wants it", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Guarded")},
			wantCode: "AccessDenied", wantMsg: "not authorized"},
		{name: "a wrong MFA code", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Guarded"), SerialNumber: aws.String(mfaSerial), TokenCode: aws.String(wrong())},
			wantCode: "AccessDenied", wantMsg: "MultiFactorAuthentication failed with invalid MFA one time pass code"},
		{name: "an unknown MFA device", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Guarded"), SerialNumber: aws.String("arn:aws:iam::123456789011:mfa/nobody"), TokenCode: aws.String("123456")},
			wantCode: "AccessDenied", wantMsg: "unable to validate MFA code"},
		{name: "the right MFA code", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Guarded"), SerialNumber: aws.String(mfaSerial), TokenCode: aws.String(code())}},
		{name: "a duration under 15 minutes", in: sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), DurationSeconds: aws.Int32(600)},
			wantCode: "ValidationError", wantMsg: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "a duration over 12 hours", in: sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), DurationSeconds: aws.Int32(43201)},
			wantCode: "ValidationError", wantMsg: "Member must have value less than or equal to 43200"},
		{name: "a duration over the role's maximum", in: sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), DurationSeconds: aws.Int32(7200)},
			wantCode: "ValidationError", wantMsg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "a duration within the role's maximum but over the hour of role chaining", in: sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210987654321:role/Long"), DurationSeconds: aws.Int32(7200)},
			wantCode: "ValidationError", wantMsg: "exceeds the 1 hour session limit for roles assumed by role chaining"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.RoleSessionName == nil {
				in.RoleSessionName = aws.String("tester")
			}
			_, err := client.AssumeRole(context.Background(), &in)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.wantCode || !strings.Contains(ae.ErrorMessage(), tt.wantMsg) {
				t.Errorf("err = %v; want %s saying %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

// Requests the SDK would not send: the emulator checks the model's
// constraints as STS does, all at once.
func TestAssumeRoleValidation(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	_, err := portalSTS(t, srv).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String(directory.DemoAssumableRole), RoleSessionName: aws.String("has space"), ExternalId: aws.String("x"),
	})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" ||
		!strings.Contains(ae.ErrorMessage(), "2 validation errors detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern") ||
		!strings.Contains(ae.ErrorMessage(), "; Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2") {
		t.Errorf("err = %v", err)
	}
}

// Expired source credentials get ExpiredToken, before anything else.
func TestAssumeRoleWithExpiredCredentials(t *testing.T) {
	var skew atomic.Int64
	srv := emulatortest.NewServer(t, func(o *emulator.Options) {
		o.AutoApprove = "demo"
		o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	client := portalSTS(t, srv)
	skew.Store(int64(2 * time.Hour))
	_, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), RoleSessionName: aws.String("late")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ExpiredToken" {
		t.Errorf("err = %v, want ExpiredToken", err)
	}
}

// A role session can assume a further role that trusts its role: chains
// of any depth.
func TestAssumeRoleChain(t *testing.T) {
	d := directory.Demo()
	d.IAMRoles = append(d.IAMRoles, directory.IAMRole{ARN: "arn:aws:iam::333333333333:role/path/Deploy", Trust: []string{directory.DemoAssumableRole}})
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo"; o.Directory = d })
	ctx := context.Background()
	first, err := portalSTS(t, srv).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), RoleSessionName: aws.String("one")})
	if err != nil {
		t.Fatal(err)
	}
	second, err := assumedSTS(srv, first).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::333333333333:role/path/Deploy"), RoleSessionName: aws.String("two")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(second.AssumedRoleUser.Arn); got != "arn:aws:sts::333333333333:assumed-role/Deploy/two" {
		t.Errorf("second hop = %s", got)
	}
	// The first role does not trust itself.
	_, err = assumedSTS(srv, first).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(directory.DemoAssumableRole), RoleSessionName: aws.String("again")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.Contains(ae.ErrorMessage(), "User: arn:aws:sts::210987654321:assumed-role/Admin/one is not authorized") {
		t.Errorf("err = %v", err)
	}
}
