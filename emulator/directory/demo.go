package directory

import (
	"fmt"
	"time"
)

// DemoUser is the user every built-in directory assigns.
const DemoUser = "demo"

// DemoAccount and DemoRole are the account and role the demo user is sure to
// have, so examples and tests can name them.
const (
	DemoAccount = "123456789011"
	DemoRole    = "readOnly"
)

// DemoAssumableRole is an IAM role of the demo directory that the DemoRole
// of DemoAccount may assume; DemoUntrustedRole trusts nobody outside its
// own account.
const (
	DemoAssumableRole = "arn:aws:iam::210987654321:role/Admin"
	DemoUntrustedRole = "arn:aws:iam::210987654321:role/NoTrust"
)

// DemoTOTPUser is the demo directory's user with a second factor.
const DemoTOTPUser = "alice"

// Demo returns the built-in directory: four accounts, a few permission sets,
// user "demo" (readOnly in 123456789011 and more), "alice" with a TOTP secret,
// "bob" who only reaches the audit account through a group, and two IAM
// roles in account 210987654321 (DemoAssumableRole, DemoUntrustedRole).
// Passwords are random on every call; read them from Users.
func Demo() *Directory {
	return &Directory{
		Users: []User{
			{Name: DemoUser, Password: RandomPassword(16), Email: "demo@example.com", DisplayName: "Demo User"},
			{Name: DemoTOTPUser, Password: RandomPassword(16), TOTPSecret: RandomTOTPSecret(), Email: "alice@example.com", DisplayName: "Alice Example"},
			{Name: "bob", Password: RandomPassword(16), Email: "bob@example.com", DisplayName: "Bob Example"},
		},
		Groups: []Group{
			{Name: "developers", Members: []string{DemoUser, DemoTOTPUser}},
			{Name: "auditors", Members: []string{"bob", DemoTOTPUser}},
		},
		Accounts: []Account{
			{ID: DemoAccount, Name: "demo-sandbox", Email: "sandbox@example.com"},
			{ID: "111122223333", Name: "development", Email: "dev@example.com"},
			{ID: "444455556666", Name: "production", Email: "prod@example.com"},
			{ID: "777788889999", Name: "audit", Email: "audit@example.com"},
		},
		PermissionSets: []PermissionSet{
			{Name: DemoRole, SessionDuration: time.Hour},
			{Name: "AdministratorAccess", SessionDuration: time.Hour},
			{Name: "PowerUserAccess", SessionDuration: 4 * time.Hour},
			{Name: "SecurityAudit", SessionDuration: 12 * time.Hour},
		},
		AccountAssignments: []Assignment{
			{Account: DemoAccount, PermissionSet: DemoRole, User: DemoUser},
			{Account: DemoAccount, PermissionSet: "AdministratorAccess", User: DemoUser},
			{Account: "111122223333", PermissionSet: DemoRole, Group: "developers"},
			{Account: "111122223333", PermissionSet: "PowerUserAccess", Group: "developers"},
			{Account: "444455556666", PermissionSet: DemoRole, User: DemoUser},
			{Account: "444455556666", PermissionSet: "AdministratorAccess", User: DemoTOTPUser},
			{Account: "777788889999", PermissionSet: "SecurityAudit", Group: "auditors"},
		},
		IAMRoles: []IAMRole{
			{ARN: DemoAssumableRole, Trust: []string{"arn:aws:iam::" + DemoAccount + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_" + DemoRole + "_*"}},
			{ARN: DemoUntrustedRole, Trust: []string{"arn:aws:iam::210987654321:root"}},
		},
	}
}

// Generate returns a large organisation for scale tests: accounts accounts
// (ids 100000000000, 100000000001, ...) with rolesPerAccount permission sets
// ("role-01", ...) each, all assigned to user "demo" (random password).
// Non-positive counts are treated as 1.
func Generate(accounts, rolesPerAccount int) *Directory {
	accounts, rolesPerAccount = max(accounts, 1), max(rolesPerAccount, 1)
	d := &Directory{
		Users:              []User{{Name: DemoUser, Password: RandomPassword(16), Email: "demo@example.com", DisplayName: "Demo User"}},
		Accounts:           make([]Account, 0, accounts),
		PermissionSets:     make([]PermissionSet, 0, rolesPerAccount),
		AccountAssignments: make([]Assignment, 0, accounts*rolesPerAccount),
	}
	for r := range rolesPerAccount {
		d.PermissionSets = append(d.PermissionSets, PermissionSet{Name: fmt.Sprintf("role-%02d", r+1), SessionDuration: time.Hour})
	}
	for a := range accounts {
		id := fmt.Sprintf("%012d", 100000000000+a)
		d.Accounts = append(d.Accounts, Account{ID: id, Name: fmt.Sprintf("account-%05d", a+1), Email: fmt.Sprintf("account-%05d@example.com", a+1)})
		for _, ps := range d.PermissionSets {
			d.AccountAssignments = append(d.AccountAssignments, Assignment{Account: id, PermissionSet: ps.Name, User: DemoUser})
		}
	}
	return d
}
