package populate

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"unicode"

	"github.com/ssokit/ssokit/accounts"
)

// DefaultTemplate names a profile after its account and role, e.g.
// "prod-payments.AdministratorAccess". When two accounts share a name, the
// colliding profiles get the account id appended to the account part.
const DefaultTemplate = `{{safe .AccountName}}.{{safe .RoleName}}`

// maxNameLen keeps names usable as file names on every system.
const maxNameLen = 128

// Role is one account+role pair to write a profile for; its exported
// fields are what a --template sees.
type Role struct {
	AccountID    string
	AccountName  string
	AccountEmail string
	RoleName     string
	Session      string
}

func (r Role) String() string {
	return fmt.Sprintf("role %s in account %s (%s)", r.RoleName, r.AccountID, r.AccountName)
}

// roles flattens a listing into one Role per account and role.
func roles(session string, accts []accounts.Account) []Role {
	var out []Role
	for _, a := range accts {
		for _, role := range a.Roles {
			out = append(out, Role{AccountID: a.ID, AccountName: a.Name, AccountEmail: a.Email, RoleName: role, Session: session})
		}
	}
	return out
}

var funcs = template.FuncMap{
	"safe":  safe,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"replace": func(old, new, s string) string {
		return strings.ReplaceAll(s, old, new)
	},
}

// parseTemplate parses the template of a flag (--template, say), so a
// syntax error is reported before anything is listed.
func parseTemplate(flag, text string) (*template.Template, error) {
	t, err := template.New(flag).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", flag, text, err)
	}
	return t, nil
}

// render executes the template of a flag for every item.
func render[T fmt.Stringer](flag, text string, items []T) ([]string, error) {
	tmpl, err := parseTemplate(flag, text)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, it); err != nil {
			return nil, fmt.Errorf("%s %q for %s: %w", flag, text, it, err)
		}
		out[i] = buf.String()
	}
	return out, nil
}

// NameError lists every problem with the names a template produced: names
// that are not file-safe and names shared by several roles.
type NameError struct {
	Template  string
	Unsafe    []string // one line per offending role
	Duplicate []string // one line per shared name
}

func (e *NameError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the profile name template %q ", e.Template)
	switch {
	case len(e.Unsafe) > 0 && len(e.Duplicate) > 0:
		b.WriteString("gives unsafe and duplicate names")
	case len(e.Unsafe) > 0:
		b.WriteString("gives unsafe names")
	default:
		b.WriteString("gives the same name to several roles")
	}
	b.WriteString("; nothing was written:")
	for _, l := range e.Unsafe {
		b.WriteString("\n  ")
		b.WriteString(l)
	}
	for _, l := range e.Duplicate {
		b.WriteString("\n  ")
		b.WriteString(l)
	}
	b.WriteString("\nNames may hold letters, digits, '.', '-' and '_', start with a letter or digit, and differ by more than letter case; " +
		"use {{safe .AccountName}} to clean a field and add {{.AccountID}} to tell accounts apart.")
	return b.String()
}

// names gives every role its profile name, in the order of rs. It checks
// all of them before returning, so one error lists every problem.
func names(tmplText string, rs []Role) ([]string, error) {
	out, err := render("--template", tmplText, rs)
	if err != nil {
		return nil, err
	}
	if tmplText == DefaultTemplate {
		disambiguate(out, rs)
	}
	who := make([]fmt.Stringer, len(rs))
	for i, r := range rs {
		who[i] = r
	}
	if err := checkNames(tmplText, out, who, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// checkNames reports, for the template tmplText, every unsafe name among
// names[from:] and every name shared by several, who[i] being what
// names[i] is for. The names before from were checked already.
func checkNames(tmplText string, names []string, who []fmt.Stringer, from int) error {
	nerr := &NameError{Template: tmplText}
	for i := from; i < len(names); i++ {
		if why := unsafeName(names[i]); why != "" {
			nerr.Unsafe = append(nerr.Unsafe, fmt.Sprintf("%q for %s: %s", names[i], who[i], why))
		}
	}
	if len(nerr.Unsafe) > 0 {
		return nerr
	}
	for _, group := range duplicates(names) {
		var whose []string
		for _, i := range group {
			whose = append(whose, who[i].String())
		}
		nerr.Duplicate = append(nerr.Duplicate, fmt.Sprintf("%q for %s", names[group[0]], strings.Join(whose, " and ")))
	}
	if len(nerr.Duplicate) > 0 {
		return nerr
	}
	return nil
}

// duplicates groups the indexes of names equal up to letter case (two such
// profiles would clash wherever names become file names on a
// case-insensitive file system), in order of first appearance.
func duplicates(names []string) [][]int {
	byKey := map[string][]int{}
	var order []string
	for i, n := range names {
		k := strings.ToLower(n)
		if len(byKey[k]) == 0 {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], i)
	}
	var out [][]int
	for _, k := range order {
		if len(byKey[k]) > 1 {
			out = append(out, byKey[k])
		}
	}
	return out
}

// disambiguate appends the account id to the account part of default names
// that collide (accounts may share a name within an organisation).
func disambiguate(out []string, rs []Role) {
	for _, group := range duplicates(out) {
		for _, i := range group {
			out[i] = safe(rs[i].AccountName) + "-" + rs[i].AccountID + "." + safe(rs[i].RoleName)
		}
	}
}

// safe turns s into a file-safe name part: every run of other characters
// than letters, digits, '.', '-' and '_' becomes one '-', and separators at
// either end are dropped.
func safe(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if isNameRune(r) {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_'
}

// unsafeName says what is wrong with a profile name, or "" when nothing is.
// Names go into "[profile NAME]" headers read by several INI parsers and are
// used as file names by other tools, so only a plain alphabet is allowed.
func unsafeName(n string) string {
	switch {
	case n == "":
		return "empty"
	case n == "default":
		return `"default" is the default profile, which populate never writes`
	case len(n) > maxNameLen:
		return fmt.Sprintf("longer than %d bytes", maxNameLen)
	}
	first := []rune(n)[0]
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		return fmt.Sprintf("starts with %q", first)
	}
	for _, r := range n {
		if !isNameRune(r) {
			return fmt.Sprintf("contains %q", r)
		}
	}
	return ""
}
