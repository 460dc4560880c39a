package populate

import (
	"fmt"
	"strings"

	"github.com/ssokit/ssokit/config"
)

// DefaultAssumeRoleName names an assume-role profile after the SSO profile
// it is assumed with and the role's name, e.g.
// "prod-payments.ReadOnly.Deploy".
const DefaultAssumeRoleName = `{{.Profile}}.{{.AssumedRoleName}}`

// Assumed is an assume-role profile populate writes on request (with
// --assume-role): the role that template names, assumed with the SSO
// profile written for Role. Its exported fields are what --assume-role and
// --assume-role-name see.
type Assumed struct {
	Role
	// Profile is the name of the SSO profile the role is assumed with.
	Profile string
	// RoleARN is the role --assume-role gave, and AssumedRoleName its
	// name; only --assume-role-name sees them.
	RoleARN, AssumedRoleName string
}

func (a Assumed) String() string { return fmt.Sprintf("the role assumed with profile %s", a.Profile) }

// assumedRoles gives the assume-role profiles to write: for each SSO
// profile of role from (each one when from is ""), the role arnTmpl names,
// called by nameTmpl. rs and names are the SSO profiles, whose names the
// new ones must not repeat. Every problem is found before anything is
// written.
func assumedRoles(arnTmpl, from, nameTmpl string, rs []Role, names []string) ([]Assumed, []string, error) {
	var as []Assumed
	for i, r := range rs {
		if from == "" || r.RoleName == from {
			as = append(as, Assumed{Role: r, Profile: names[i]})
		}
	}
	if len(as) == 0 {
		return nil, nil, fmt.Errorf("--assume-role-from %s: no account gives you a role of that name; nothing was written", from)
	}
	arns, err := render("--assume-role", arnTmpl, as)
	if err != nil {
		return nil, nil, err
	}
	var bad []string
	for i, arn := range arns {
		name, ok := roleName(arn)
		if !ok {
			bad = append(bad, fmt.Sprintf("%q for %s", arn, as[i]))
		}
		as[i].RoleARN, as[i].AssumedRoleName = arn, name
	}
	if len(bad) > 0 {
		return nil, nil, fmt.Errorf("the role template %q gives what is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME); nothing was written:\n  %s",
			arnTmpl, strings.Join(bad, "\n  "))
	}
	out, err := render("--assume-role-name", nameTmpl, as)
	if err != nil {
		return nil, nil, err
	}
	// The new names are checked against each other and the SSO profiles'.
	all := append(append([]string(nil), names...), out...)
	who := make([]fmt.Stringer, 0, len(all))
	for _, r := range rs {
		who = append(who, r)
	}
	for _, a := range as {
		who = append(who, a)
	}
	if err := checkNames(nameTmpl, all, who, len(names)); err != nil {
		return nil, nil, err
	}
	return as, out, nil
}

// roleName is the name of a role ARN, arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME,
// and whether arn is one.
func roleName(arn string) (string, bool) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "iam" || !config.IsAccountID(f[4]) || !strings.HasPrefix(f[5], "role/") {
		return "", false
	}
	name := f[5][strings.LastIndexByte(f[5], '/')+1:]
	return name, name != ""
}
