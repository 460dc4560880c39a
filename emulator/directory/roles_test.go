package directory

import (
	"strings"
	"testing"
)

func TestTrust(t *testing.T) {
	const ssoReadOnly = "arn:aws:iam::123456789011:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_readOnly_0123456789abcdef"
	tests := []struct {
		name      string
		trust     []string
		principal string
		want      bool
	}{
		{"an exact role ARN", []string{"arn:aws:iam::210987654321:role/Deploy"}, "arn:aws:iam::210987654321:role/Deploy", true},
		{"another role of the account", []string{"arn:aws:iam::210987654321:role/Deploy"}, "arn:aws:iam::210987654321:role/Other", false},
		{"a star spans the path and the suffix", []string{"arn:aws:iam::123456789011:role/*/AWSReservedSSO_readOnly_*"}, ssoReadOnly, true},
		{"a star does not make another permission set match", []string{"arn:aws:iam::123456789011:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*"}, ssoReadOnly, false},
		{"root trusts every principal of the account", []string{"arn:aws:iam::123456789011:root"}, ssoReadOnly, true},
		{"root trusts nobody of another account", []string{"arn:aws:iam::210987654321:root"}, ssoReadOnly, false},
		{"any entry may match", []string{"arn:aws:iam::1:role/x", ssoReadOnly}, ssoReadOnly, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (IAMRole{Trust: tt.trust}).Trusts(tt.principal); got != tt.want {
				t.Errorf("Trusts(%s) = %v, want %v", tt.principal, got, tt.want)
			}
		})
	}
}

func TestDemoIAMRoles(t *testing.T) {
	d := Demo()
	ssoReadOnly := "arn:aws:iam::" + DemoAccount + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_" + DemoRole + "_0123456789abcdef"
	admin, ok := d.IAMRole(DemoAssumableRole)
	if !ok || !admin.Trusts(ssoReadOnly) || admin.AccountID() != "210987654321" || admin.Name() != "Admin" || admin.MaxDuration().Hours() != 1 {
		t.Errorf("%s: %+v, found %v; want it to trust the demo role", DemoAssumableRole, admin, ok)
	}
	noTrust, ok := d.IAMRole(DemoUntrustedRole)
	if !ok || noTrust.Trusts(ssoReadOnly) {
		t.Errorf("%s: %+v, found %v; want it to exist and not trust the demo role", DemoUntrustedRole, noTrust, ok)
	}
	if _, ok := d.IAMRole("arn:aws:iam::210987654321:role/Nope"); ok {
		t.Error("an unknown role was found")
	}
}

func TestMFASecret(t *testing.T) {
	d := Demo()
	alice, _ := d.User(DemoTOTPUser)
	if got, ok := d.MFASecret("arn:aws:iam::123456789011:mfa/" + DemoTOTPUser); !ok || got != alice.TOTPSecret {
		t.Errorf("MFASecret(alice) = %q, %v", got, ok)
	}
	for _, serial := range []string{"arn:aws:iam::123456789011:mfa/" + DemoUser, "arn:aws:iam::12:mfa/alice", "GAHT12345678", "arn:aws:iam::123456789011:mfa/nobody"} {
		if _, ok := d.MFASecret(serial); ok {
			t.Errorf("MFASecret(%q) found a device", serial)
		}
	}
}

func TestIAMRoleValidation(t *testing.T) {
	const yaml = `users: [{name: u, password: p}]
accounts: []
permission_sets: []
assignments: []
iam_roles:
  - arn: arn:aws:iam::12:role/x
    trust: [arn:aws:iam::123456789011:root]
  - arn: arn:aws:iam::210987654321:role/Admin
    trust: []
    external_id: "x"
    max_session_duration: 13h
  - arn: arn:aws:iam::210987654321:role/Admin
    trust: ["*"]
`
	_, err := Parse("roles.yaml", []byte(yaml))
	if err == nil {
		t.Fatal("Parse accepted invalid roles")
	}
	for _, want := range []string{
		`line 6: iam_roles[0] "arn:aws:iam::12:role/x": arn must be arn:aws:iam::ACCOUNT:role/NAME`,
		`line 8: iam_roles[1] "arn:aws:iam::210987654321:role/Admin": trust is empty`,
		`iam_roles[1] "arn:aws:iam::210987654321:role/Admin": external_id must be 2 to 1224`,
		`iam_roles[1] "arn:aws:iam::210987654321:role/Admin": max_session_duration 13h0m0s is outside 1h0m0s..12h0m0s`,
		`line 12: iam_roles[2] "arn:aws:iam::210987654321:role/Admin": duplicate role`,
		`iam_roles[2] "arn:aws:iam::210987654321:role/Admin": trust entry "*" is not a principal ARN`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}
