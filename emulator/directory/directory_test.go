package directory

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestLoadValidFile(t *testing.T) {
	d, err := Load(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []AccountRoles{
		{AccountID: "000000000001", AccountName: "tools", Email: "tools@example.com", Roles: []string{"Admin", "ReadOnly"}},
		{AccountID: "000000000002", AccountName: "prod", Roles: []string{"ReadOnly"}},
	}
	if diff := cmp.Diff(want, d.Assignments("carol")); diff != "" {
		t.Errorf("Assignments(carol) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]AccountRoles{{AccountID: "000000000002", AccountName: "prod", Roles: []string{"ReadOnly"}}}, d.Assignments("dave")); diff != "" {
		t.Errorf("Assignments(dave) through group (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Admin", "ReadOnly"}, d.Roles("carol", "000000000001")); diff != "" {
		t.Errorf("Roles(carol, tools) (-want +got):\n%s", diff)
	}
	if got := d.Roles("dave", "000000000001"); got != nil {
		t.Errorf("Roles(dave, tools) = %v, want nil", got)
	}
	if got := d.Assignments("nobody"); got != nil {
		t.Errorf("Assignments(nobody) = %v, want nil", got)
	}
}

func TestCanAssume(t *testing.T) {
	d, err := Load(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, account, role string
		wantDur                   time.Duration
		wantOK                    bool
	}{
		{"a direct assignment uses the set's duration", "carol", "000000000001", "Admin", 8 * time.Hour, true},
		{"a set without duration lasts one hour", "carol", "000000000001", "ReadOnly", time.Hour, true},
		{"a group assignment reaches members", "dave", "000000000002", "ReadOnly", time.Hour, true},
		{"a role in another account is refused", "dave", "000000000001", "ReadOnly", 0, false},
		{"an unknown user is refused", "eve", "000000000001", "Admin", 0, false},
		{"role names are case sensitive", "carol", "000000000001", "admin", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dur, ok := d.CanAssume(tt.user, tt.account, tt.role)
			if dur != tt.wantDur || ok != tt.wantOK {
				t.Errorf("CanAssume = %s, %v; want %s, %v", dur, ok, tt.wantDur, tt.wantOK)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	d, err := Load(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, password string
		wantSecret           string
		wantOK               bool
	}{
		{"the right password without TOTP", "carol", "correct-horse", "", true},
		{"the right password returns the TOTP secret", "dave", "battery-staple", "JBSWY3DPEHPK3PXP", true},
		{"a wrong password", "carol", "correct-horsE", "", false},
		{"another user's password", "carol", "battery-staple", "", false},
		{"an unknown user", "eve", "correct-horse", "", false},
		{"an empty password", "carol", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret, ok := d.CheckPassword(tt.user, tt.password)
			if secret != tt.wantSecret || ok != tt.wantOK {
				t.Errorf("CheckPassword = %q, %v; want %q, %v", secret, ok, tt.wantSecret, tt.wantOK)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"every problem is listed with its line", "invalid.yaml", []string{
			filepath.Join("testdata", "invalid.yaml"),
			`line 4: users[1] "carol": duplicate user name`,
			`line 4: users[1] "carol": password is empty`,
			`line 7: accounts[0] "12345": id must be 12 digits`,
			`line 10: permission_sets[0] "Forever": session_duration 48h0m0s is outside 15m0s..12h0m0s`,
			`line 13: assignments[0]: account "999999999999" is not in accounts`,
			`line 13: assignments[0]: permission_set "Missing" is not in permission_sets`,
			`line 13: assignments[0]: user "nobody" is not in users`,
		}},
		{"an unknown key is an error", "unknown_key.yaml", []string{filepath.Join("testdata", "unknown_key.yaml"), "line 3", "pasword"}},
		{"a missing file names the file", "absent.yaml", []string{filepath.Join("testdata", "absent.yaml")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestParseRejectsBadYAML(t *testing.T) {
	for name, data := range map[string]string{
		"an empty file":           "",
		"a list at the top":       "- a\n- b\n",
		"a tab-indented document": "users:\n\t- name: x\n",
		"a duration that is not":  "permission_sets:\n  - name: x\n    session_duration: soon\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("test.yaml", []byte(data)); err == nil || !strings.Contains(err.Error(), "test.yaml") {
				t.Errorf("Parse = %v, want an error naming test.yaml", err)
			}
		})
	}
}

func TestBuiltInDirectoriesAreValid(t *testing.T) {
	demo := Demo()
	if err := demo.Validate(); err != nil {
		t.Fatalf("Demo: %v", err)
	}
	if _, ok := demo.CanAssume(DemoUser, DemoAccount, DemoRole); !ok {
		t.Errorf("demo user cannot assume %s in %s", DemoRole, DemoAccount)
	}
	u, _ := demo.User(DemoTOTPUser)
	if u.TOTPSecret == "" {
		t.Errorf("%s has no TOTP secret", DemoTOTPUser)
	}
	if Demo().Users[0].Password == demo.Users[0].Password {
		t.Error("two Demo directories share a password")
	}

	gen := Generate(50, 3)
	if err := gen.Validate(); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	got := gen.Assignments(DemoUser)
	if len(got) != 50 || len(got[49].Roles) != 3 {
		t.Fatalf("Generate(50, 3) gives %d accounts, last with %v", len(got), got[len(got)-1].Roles)
	}
	if _, ok := gen.CanAssume(DemoUser, "100000000049", "role-03"); !ok {
		t.Error("demo cannot assume role-03 in the last generated account")
	}
}

func TestDemoRoundTripsThroughYAML(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "demo.yaml")
	data, err := Demo().YAML()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("Load of a marshalled demo directory: %v", err)
	}
}

func TestTOTP(t *testing.T) {
	// RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 digits.
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		got, err := TOTP(secret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.want {
			t.Errorf("TOTP at %d = %q, %v; want %q", tc.unix, got, err, tc.want)
		}
	}
	now := time.Unix(1111111109, 0)
	if !CheckTOTP(secret, "081804", now.Add(TOTPStep)) {
		t.Error("the previous step's code is refused")
	}
	if CheckTOTP(secret, "081804", now.Add(3*TOTPStep)) {
		t.Error("a code three steps old is accepted")
	}
	if CheckTOTP("not base32!", "081804", now) {
		t.Error("a bad secret accepts a code")
	}
	if _, err := TOTP("AAAA", now); err == nil {
		t.Error("a 2-byte secret is accepted")
	}
}

func TestValidationErrorIsTyped(t *testing.T) {
	d := &Directory{Users: []User{{Name: "x"}}}
	var ve *ValidationError
	if err := d.Validate(); !errors.As(err, &ve) || len(ve.Problems) != 1 {
		t.Fatalf("Validate = %v, want one ValidationError problem", err)
	}
}
