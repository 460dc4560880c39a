package directory

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultSessionDuration is how long role credentials last when a permission
// set does not say.
const DefaultSessionDuration = time.Hour

// Bounds of a permission set's session duration, as on the real service.
const (
	MinSessionDuration = 15 * time.Minute
	MaxSessionDuration = 12 * time.Hour
)

// Directory is a whole organisation. Build it, then only read it.
type Directory struct {
	Users              []User          `yaml:"users"`
	Groups             []Group         `yaml:"groups,omitempty"`
	Accounts           []Account       `yaml:"accounts"`
	PermissionSets     []PermissionSet `yaml:"permission_sets"`
	AccountAssignments []Assignment    `yaml:"assignments"`
	// IAMRoles are roles STS AssumeRole can assume, in any account.
	IAMRoles []IAMRole `yaml:"iam_roles,omitempty"`

	once sync.Once
	idx  *index
}

// User is a person who can sign in.
type User struct {
	Name     string `yaml:"name"`
	Password string `yaml:"password"`
	// TOTPSecret is a base32 RFC 6238 secret; empty means no second factor.
	TOTPSecret  string `yaml:"totp_secret,omitempty"`
	Email       string `yaml:"email,omitempty"`
	DisplayName string `yaml:"display_name,omitempty"`
}

// Group is a named set of users; assigning a group assigns each member.
type Group struct {
	Name    string   `yaml:"name"`
	Members []string `yaml:"members"`
}

// Account is an AWS account.
type Account struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Email string `yaml:"email,omitempty"`
}

// PermissionSet is what becomes a role in each account it is assigned in.
type PermissionSet struct {
	Name string `yaml:"name"`
	// SessionDuration is the lifetime of role credentials; 0 means one hour.
	SessionDuration time.Duration `yaml:"session_duration,omitempty"`
}

// Assignment gives a User or a Group (exactly one of them) the permission
// set in the account (by account id).
type Assignment struct {
	Account       string `yaml:"account"`
	PermissionSet string `yaml:"permission_set"`
	User          string `yaml:"user,omitempty"`
	Group         string `yaml:"group,omitempty"`
}

// AccountRoles is one account a user can reach and the roles they can take
// there, as the portal lists them.
type AccountRoles struct {
	AccountID   string
	AccountName string
	Email       string
	Roles       []string
}

type index struct {
	users       map[string]*User
	assignments map[string][]AccountRoles // by user name
	roles       map[roleKey]time.Duration // (user, account, role) → session duration
	// accountRoles is keyed by (user, account, "") → the sorted roles.
	accountRoles map[roleKey][]string
	iamRoles     map[string]*IAMRole // by ARN
}

type roleKey struct{ user, account, role string }

func (d *Directory) index() *index {
	d.once.Do(func() { d.idx = buildIndex(d) })
	return d.idx
}

func buildIndex(d *Directory) *index {
	idx := &index{
		users:        make(map[string]*User, len(d.Users)),
		assignments:  make(map[string][]AccountRoles),
		roles:        make(map[roleKey]time.Duration),
		accountRoles: make(map[roleKey][]string),
		iamRoles:     make(map[string]*IAMRole, len(d.IAMRoles)),
	}
	for i := range d.IAMRoles {
		idx.iamRoles[d.IAMRoles[i].ARN] = &d.IAMRoles[i]
	}
	for i := range d.Users {
		idx.users[d.Users[i].Name] = &d.Users[i]
	}
	members := make(map[string][]string, len(d.Groups))
	for _, g := range d.Groups {
		members[g.Name] = append(members[g.Name], g.Members...)
	}
	durations := make(map[string]time.Duration, len(d.PermissionSets))
	for _, ps := range d.PermissionSets {
		durations[ps.Name] = ps.Duration()
	}
	accounts := make(map[string]Account, len(d.Accounts))
	for _, a := range d.Accounts {
		accounts[a.ID] = a
	}
	// byUser collects, per user, the set of roles per account.
	byUser := make(map[string]map[string]map[string]bool)
	for _, as := range d.AccountAssignments {
		if _, ok := accounts[as.Account]; !ok {
			continue
		}
		dur, ok := durations[as.PermissionSet]
		if !ok {
			continue
		}
		users := members[as.Group]
		if as.User != "" {
			users = []string{as.User}
		}
		for _, u := range users {
			if byUser[u] == nil {
				byUser[u] = make(map[string]map[string]bool)
			}
			if byUser[u][as.Account] == nil {
				byUser[u][as.Account] = make(map[string]bool)
			}
			byUser[u][as.Account][as.PermissionSet] = true
			idx.roles[roleKey{u, as.Account, as.PermissionSet}] = dur
		}
	}
	for u, accts := range byUser {
		list := make([]AccountRoles, 0, len(accts))
		for id, roles := range accts {
			a := accounts[id]
			ar := AccountRoles{AccountID: id, AccountName: a.Name, Email: a.Email}
			for r := range roles {
				ar.Roles = append(ar.Roles, r)
			}
			sort.Strings(ar.Roles)
			idx.accountRoles[roleKey{u, id, ""}] = ar.Roles
			list = append(list, ar)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].AccountID < list[j].AccountID })
		idx.assignments[u] = list
	}
	return idx
}

// Duration is the session duration with the default applied.
func (p PermissionSet) Duration() time.Duration {
	if p.SessionDuration == 0 {
		return DefaultSessionDuration
	}
	return p.SessionDuration
}

// User returns the named user.
func (d *Directory) User(username string) (User, bool) {
	u, ok := d.index().users[username]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// CheckPassword reports whether password is username's, and if so the user's
// TOTP secret ("" when the user has none), so the caller knows whether to ask
// for a second factor.
func (d *Directory) CheckPassword(username, password string) (totpSecret string, ok bool) {
	u, found := d.index().users[username]
	want := "\x00no such user"
	if found {
		want = u.Password
	}
	// Compare even for unknown users so timing does not reveal who exists.
	match := subtle.ConstantTimeCompare([]byte(want), []byte(password)) == 1
	if !found || !match || password == "" {
		return "", false
	}
	return u.TOTPSecret, true
}

// Assignments lists the accounts username can reach, sorted by account id,
// each with its roles sorted. The caller must not modify the result.
func (d *Directory) Assignments(username string) []AccountRoles {
	return d.index().assignments[username]
}

// Roles lists, sorted, the roles username can take in accountID; nil when
// the account is not assigned to them. The caller must not modify it.
func (d *Directory) Roles(username, accountID string) []string {
	return d.index().accountRoles[roleKey{username, accountID, ""}]
}

// CanAssume reports whether username may take role in accountID, and for how
// long the credentials last.
func (d *Directory) CanAssume(username, accountID, role string) (sessionDuration time.Duration, ok bool) {
	dur, ok := d.index().roles[roleKey{username, accountID, role}]
	return dur, ok
}

// Validate checks that every entry is well formed and every reference points
// at something that exists. Errors name the entry (e.g. `users[2] "bob"`).
func (d *Directory) Validate() error {
	var errs []string
	add := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	users := map[string]bool{}
	for i, u := range d.Users {
		where := fmt.Sprintf("users[%d] %q", i, u.Name)
		switch {
		case u.Name == "":
			add("users[%d]: name is empty", i)
		case !validName(u.Name):
			add("%s: name may only hold letters, digits and +=,.@_- (at most 64)", where)
		case users[u.Name]:
			add("%s: duplicate user name", where)
		}
		users[u.Name] = true
		if u.Password == "" {
			add("%s: password is empty", where)
		}
		if u.TOTPSecret != "" {
			if _, err := DecodeTOTPSecret(u.TOTPSecret); err != nil {
				add("%s: totp_secret: %v", where, err)
			}
		}
	}
	groups := map[string]bool{}
	for i, g := range d.Groups {
		where := fmt.Sprintf("groups[%d] %q", i, g.Name)
		switch {
		case g.Name == "":
			add("groups[%d]: name is empty", i)
		case groups[g.Name]:
			add("%s: duplicate group name", where)
		}
		groups[g.Name] = true
		for _, m := range g.Members {
			if !users[m] {
				add("%s: member %q is not a user", where, m)
			}
		}
	}
	accounts := map[string]bool{}
	for i, a := range d.Accounts {
		where := fmt.Sprintf("accounts[%d] %q", i, a.ID)
		switch {
		case !validAccountID(a.ID):
			add("%s: id must be 12 digits", where)
		case accounts[a.ID]:
			add("%s: duplicate account id", where)
		}
		accounts[a.ID] = true
		if a.Name == "" {
			add("%s: name is empty", where)
		}
		if len(a.Email) > 254 {
			add("%s: email is longer than 254 characters", where)
		}
	}
	sets := map[string]bool{}
	for i, p := range d.PermissionSets {
		where := fmt.Sprintf("permission_sets[%d] %q", i, p.Name)
		switch {
		case p.Name == "":
			add("permission_sets[%d]: name is empty", i)
		case !validName(p.Name) || len(p.Name) > 32:
			add("%s: name may only hold letters, digits and +=,.@_- (at most 32)", where)
		case sets[p.Name]:
			add("%s: duplicate permission set name", where)
		}
		sets[p.Name] = true
		if dur := p.Duration(); dur < MinSessionDuration || dur > MaxSessionDuration {
			add("%s: session_duration %s is outside %s..%s", where, dur, MinSessionDuration, MaxSessionDuration)
		}
	}
	for i, as := range d.AccountAssignments {
		where := fmt.Sprintf("assignments[%d]", i)
		if !accounts[as.Account] {
			add("%s: account %q is not in accounts", where, as.Account)
		}
		if !sets[as.PermissionSet] {
			add("%s: permission_set %q is not in permission_sets", where, as.PermissionSet)
		}
		switch {
		case (as.User == "") == (as.Group == ""):
			add("%s: set exactly one of user and group", where)
		case as.User != "" && !users[as.User]:
			add("%s: user %q is not in users", where, as.User)
		case as.Group != "" && !groups[as.Group]:
			add("%s: group %q is not in groups", where, as.Group)
		}
	}
	d.validateIAMRoles(add)
	if len(errs) > 0 {
		return &ValidationError{Problems: errs}
	}
	return nil
}

// ValidationError lists every problem found in a directory at once, so a
// hand-written file can be fixed in one go.
type ValidationError struct {
	File     string
	Problems []string
}

func (e *ValidationError) Error() string {
	prefix := "invalid directory"
	if e.File != "" {
		prefix = "invalid directory " + e.File
	}
	if len(e.Problems) == 1 {
		return prefix + ": " + e.Problems[0]
	}
	return prefix + ":\n  " + strings.Join(e.Problems, "\n  ")
}

// DecodeTOTPSecret decodes a base32 TOTP secret, tolerating lower case,
// spaces and missing padding as authenticator apps print them.
func DecodeTOTPSecret(s string) ([]byte, error) {
	clean := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	clean = strings.TrimRight(clean, "=")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("not base32: %w", err)
	}
	if len(key) < 10 {
		return nil, fmt.Errorf("secret is %d bytes, want at least 10", len(key))
	}
	return key, nil
}

// RandomPassword returns a password of n characters that is easy to read
// aloud and type (no 0/O or 1/l/I).
func RandomPassword(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	for i := range b {
		// crypto/rand.Reader cannot fail since Go 1.24 (it aborts the process instead).
		v, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

// YAML writes the directory in the form Load reads, e.g. to save a
// generated organisation for later runs.
func (d *Directory) YAML() ([]byte, error) {
	type plain struct {
		Users          []User          `yaml:"users"`
		Groups         []Group         `yaml:"groups,omitempty"`
		Accounts       []Account       `yaml:"accounts"`
		PermissionSets []PermissionSet `yaml:"permission_sets"`
		Assignments    []Assignment    `yaml:"assignments"`
		IAMRoles       []IAMRole       `yaml:"iam_roles,omitempty"`
	}
	return yaml.Marshal(plain{d.Users, d.Groups, d.Accounts, d.PermissionSets, d.AccountAssignments, d.IAMRoles})
}

// validAccountID reports whether id is 12 digits, as AWS account ids are.
func validAccountID(id string) bool {
	if len(id) != 12 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// validName reports whether name is 1 to 64 of the characters IAM allows in
// user and role names: letters, digits and +=,.@_-
func validName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+=,.@_-", c) >= 0) {
			return false
		}
	}
	return true
}
