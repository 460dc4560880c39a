package directory

import (
	"fmt"
	"strings"
	"time"
)

// Bounds of an IAM role's maximum session duration, as IAM allows them.
const (
	DefaultMaxSessionDuration = time.Hour
	MinMaxSessionDuration     = time.Hour
	MaxMaxSessionDuration     = 12 * time.Hour
)

// IAMRole is a role STS AssumeRole can assume, with its trust policy
// reduced to what clients exercise: who may assume it, and whether an
// external ID or MFA is required.
type IAMRole struct {
	// ARN is arn:aws:iam::ACCOUNT:role/NAME (a path before NAME is allowed).
	ARN string `yaml:"arn"`
	// Trust lists the principals that may assume the role, each the ARN
	// of a principal: an IAM role, such as the one Identity Center creates
	// for a permission set (arn:aws:iam::ACCOUNT:role/aws-reserved/
	// sso.amazonaws.com/AWSReservedSSO_SET_SUFFIX), in which * matches any
	// characters, as in a StringLike condition on aws:PrincipalArn; or
	// arn:aws:iam::ACCOUNT:root for every principal of the account.
	Trust []string `yaml:"trust"`
	// ExternalID, when set, must be sent as AssumeRole's ExternalId.
	ExternalID string `yaml:"external_id,omitempty"`
	// MFA requires AssumeRole's SerialNumber and a valid TokenCode. A
	// serial is arn:aws:iam::ACCOUNT:mfa/USER, USER a user of this
	// directory with a totp_secret.
	MFA bool `yaml:"mfa,omitempty"`
	// MaxSessionDuration bounds DurationSeconds; 0 means one hour.
	MaxSessionDuration time.Duration `yaml:"max_session_duration,omitempty"`
}

// AccountID is the account the role is in.
func (r IAMRole) AccountID() string {
	account, _, _ := parseRoleARN(r.ARN)
	return account
}

// Name is the role's name, without its path.
func (r IAMRole) Name() string {
	_, name, _ := parseRoleARN(r.ARN)
	return name
}

// MaxDuration is the longest session DurationSeconds may ask for.
func (r IAMRole) MaxDuration() time.Duration {
	if r.MaxSessionDuration == 0 {
		return DefaultMaxSessionDuration
	}
	return r.MaxSessionDuration
}

// Trusts reports whether principalARN may assume the role.
func (r IAMRole) Trusts(principalARN string) bool {
	for _, t := range r.Trust {
		if account, ok := strings.CutPrefix(t, "arn:aws:iam::"); ok && strings.HasSuffix(account, ":root") {
			account = strings.TrimSuffix(account, ":root")
			if strings.HasPrefix(principalARN, "arn:aws:iam::"+account+":") || strings.HasPrefix(principalARN, "arn:aws:sts::"+account+":") {
				return true
			}
			continue
		}
		if globMatch(t, principalARN) {
			return true
		}
	}
	return false
}

// IAMRole returns the role with that ARN.
func (d *Directory) IAMRole(arn string) (IAMRole, bool) {
	r, ok := d.index().iamRoles[arn]
	if !ok {
		return IAMRole{}, false
	}
	return *r, true
}

// MFASecret returns the TOTP secret behind an MFA device serial
// (arn:aws:iam::ACCOUNT:mfa/USER), and false when there is no such device.
func (d *Directory) MFASecret(serial string) (string, bool) {
	rest, ok := strings.CutPrefix(serial, "arn:aws:iam::")
	if !ok {
		return "", false
	}
	account, user, ok := strings.Cut(rest, ":mfa/")
	if !ok || !validAccountID(account) {
		return "", false
	}
	u, ok := d.index().users[user]
	if !ok || u.TOTPSecret == "" {
		return "", false
	}
	return u.TOTPSecret, true
}

// parseRoleARN splits arn:aws:iam::ACCOUNT:role/[PATH/]NAME.
func parseRoleARN(arn string) (account, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", false
	}
	account, path, ok := strings.Cut(rest, ":role/")
	if !ok {
		return "", "", false
	}
	name = path[strings.LastIndexByte(path, '/')+1:]
	return account, name, validAccountID(account) && validName(name)
}

// validateIAMRoles adds the problems of d's IAM roles.
func (d *Directory) validateIAMRoles(add func(format string, a ...any)) {
	seen := map[string]bool{}
	for i, r := range d.IAMRoles {
		where := fmt.Sprintf("iam_roles[%d] %q", i, r.ARN)
		switch _, _, ok := parseRoleARN(r.ARN); {
		case !ok:
			add("%s: arn must be arn:aws:iam::ACCOUNT:role/NAME, ACCOUNT 12 digits and NAME of letters, digits and +=,.@_-", where)
		case seen[r.ARN]:
			add("%s: duplicate role", where)
		}
		seen[r.ARN] = true
		if len(r.Trust) == 0 {
			add("%s: trust is empty, so nobody can assume the role", where)
		}
		for _, t := range r.Trust {
			if !strings.HasPrefix(t, "arn:aws:iam::") && !strings.HasPrefix(t, "arn:aws:sts::") {
				add("%s: trust entry %q is not a principal ARN (arn:aws:iam::ACCOUNT:role/NAME, or arn:aws:iam::ACCOUNT:root)", where, t)
			}
		}
		if r.ExternalID != "" && !validExternalID(r.ExternalID) {
			add("%s: external_id must be 2 to 1224 of letters, digits and +=,.@:/-_", where)
		}
		if dur := r.MaxDuration(); dur < MinMaxSessionDuration || dur > MaxMaxSessionDuration {
			add("%s: max_session_duration %s is outside %s..%s", where, dur, MinMaxSessionDuration, MaxMaxSessionDuration)
		}
	}
}

// validExternalID is STS's constraint on ExternalId.
func validExternalID(s string) bool {
	if len(s) < 2 || len(s) > 1224 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+=,.@:/-_", c) >= 0) {
			return false
		}
	}
	return true
}

// globMatch matches s against pattern, where * stands for any characters
// ('/' included, as in IAM's StringLike) and everything else for itself.
func globMatch(pattern, s string) bool {
	// Classic backtracking over the last star: linear for one star,
	// quadratic at worst, and patterns here are short.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
