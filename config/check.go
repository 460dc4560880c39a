package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"sort"

	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/loopback"
	"github.com/ssokit/ssokit/internal/redact"
)

// Check reads both files as leniently as it can and lists everything wrong
// in them, each problem with its file and line and a fix, in file and line
// order: lines the AWS CLI cannot read, repeated sections and keys, headers
// in the wrong file or form, SSO profiles and sso-sessions that do not
// resolve, sso_start_url that is not https, sso_account_id that is not 12
// digits, static keys mixed with SSO keys, half a pair of static keys, and
// assume-role settings that cannot work (role_arn without a source, a
// source without role_arn, source_profile naming no profile or looping),
// and secret keys in a file other users can read. Nil means nothing is
// wrong.
func Check(paths Paths) []Problem {
	var (
		problems []Problem
		files    [2]*File
	)
	for i, path := range []string{paths.Config, paths.Credentials} {
		data, err := readFile(path)
		var re *fileutil.ReadError
		if errors.As(err, &re) {
			problems = append(problems, Problem{Location: Location{File: path}, Message: "cannot read the file: " + re.Reason, Fix: re.Fix})
		}
		files[i] = parse(path, data)
	}
	for _, f := range files {
		if holdsSecrets(f) {
			problems = append(problems, checkMode(f.path)...)
		}
	}
	problems = append(problems, checkFiles(paths, files)...)

	less := inFileOrder(paths)
	sort.SliceStable(problems, func(i, j int) bool { return less(problems[i].Location, problems[j].Location) })
	return problems
}

// LegacySSONote is a legacy SSO profile (see Config.LegacySSOProfiles):
// nothing is wrong with it, but its user signs in more often than needed.
// Location is its sso_start_url line.
type LegacySSONote struct {
	Profile string
	Problem
}

// LegacySSONotes lists the legacy SSO profiles of both files, read as
// leniently as Check reads them, in file and line order.
func LegacySSONotes(paths Paths) []LegacySSONote {
	var files [2]*File
	for i, path := range []string{paths.Config, paths.Credentials} {
		data, _ := readFile(path) // Check reports a file it cannot read
		files[i] = parse(path, data)
	}
	c := build(paths, files)
	var out []LegacySSONote
	for _, s := range c.LegacySSOProfiles() {
		loc, _ := c.profiles[s.Profile].KeyLocation(KeySSOStartURL)
		out = append(out, LegacySSONote{Profile: s.Profile, Problem: Problem{Location: loc,
			Message: fmt.Sprintf("profile %s holds sso_start_url itself instead of naming an [sso-session]: the AWS CLI signs it in with a device code and gets no refresh token, so its user signs in again each time the access token expires (typically after 8 hours)", redact.Quote(s.Profile)),
			Fix:     fmt.Sprintf("move sso_start_url and sso_region into an [sso-session NAME] section of %s and set sso_session = NAME in the profile; sign-in then goes through the browser (PKCE) and the token is refreshed without signing in again for as long as the Identity Center session lasts", paths.Config)}})
	}
	less := inFileOrder(paths)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i].Location, out[j].Location) })
	return out
}

// inFileOrder orders locations as doctor lists them: the config file
// first, then by line.
func inFileOrder(paths Paths) func(a, b Location) bool {
	order := map[string]int{paths.Config: 0, paths.Credentials: 1}
	return func(a, b Location) bool {
		if a.File != b.File {
			return order[a.File] < order[b.File]
		}
		return a.Line < b.Line
	}
}

// checkFiles finds the problems in what the files say, read leniently.
func checkFiles(paths Paths, files [2]*File) []Problem {
	var problems []Problem
	for _, f := range files {
		problems = append(problems, f.problems...)
	}
	c := build(paths, files)
	problems = append(problems, c.warnings...)

	seen := map[Location]bool{}
	for _, name := range c.SSOSessionNames() {
		if _, err := c.resolveSSOSession(name); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				problems = append(problems, ve.Problem)
				seen[ve.Location] = true
			}
		}
		// Resolving stops at the first bad setting; each one is reported.
		for _, ve := range c.readSessionSettings(name, name, c.sessions[name], &SSO{}) {
			if !seen[ve.Location] {
				problems = append(problems, ve.Problem)
				seen[ve.Location] = true
			}
		}
		if kv, ok := c.sessions[name].keys.lookup(KeySSOStartURL); ok {
			problems = append(problems, checkStartURL(kv)...)
		}
	}
	for _, p := range c.Profiles() {
		problems = append(problems, c.checkProfile(p, seen)...)
	}
	for i, f := range files {
		problems = append(problems, checkStaticPairs(f, i == 1)...)
	}
	return problems
}

func (c *Config) checkProfile(p *Profile, seen map[Location]bool) []Problem {
	var out []Problem
	hasSSO := false
	for _, k := range ssoProfileKeys {
		hasSSO = hasSSO || p.has(k)
	}
	// A misplaced [sso-session X] in the credentials file reads as a profile
	// named "sso-session X"; it is reported as misplaced, not as a profile.
	if isMisplacedSession(p.Name) {
		hasSSO = false
	}
	for _, k := range []string{KeySSOKitUseDeviceCode, KeySSOKitCallbackPort, KeySSOKitTokenStorage} {
		if kv, ok := p.keys.lookup(k); ok {
			out = append(out, Problem{Location: kv.loc,
				Message: fmt.Sprintf("%s in [%s] has no effect: ssokit reads it from an [sso-session] section only", k, redact.Cut(p.title)),
				Fix:     fmt.Sprintf("move %s to the [sso-session NAME] section the profile's sso_session names", k)})
		}
	}
	if hasSSO {
		if _, err := c.resolveSSO(p.Name); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) && !seen[ve.Location] {
				out = append(out, ve.Problem)
			}
		}
		if kv, ok := p.keys.lookup(KeySSOStartURL); ok {
			out = append(out, checkStartURL(kv)...)
		}
		if p.has(KeyAccessKeyID) || p.has(KeySecretAccessKey) {
			loc, ok := p.KeyLocation(KeyAccessKeyID)
			if !ok {
				loc, _ = p.KeyLocation(KeySecretAccessKey)
			}
			out = append(out, Problem{Location: loc,
				Message: fmt.Sprintf("profile %s has both static keys and SSO keys: the AWS CLI uses SSO, the Go SDK uses the static keys", redact.Quote(p.Name)),
				Fix:     "keep one kind: remove aws_access_key_id, aws_secret_access_key and aws_session_token, or the sso_* keys"})
		}
		if kv, ok := p.keys.lookup(KeySSOAccountID); ok && kv.value != "" && !IsAccountID(kv.value) {
			out = append(out, Problem{Location: kv.loc,
				Message: fmt.Sprintf("sso_account_id %s is not a 12-digit AWS account ID", redact.Quote(kv.value)),
				Fix:     "copy the 12-digit account ID from the AWS access portal"})
		}
	}
	return append(out, c.checkAssumeRole(p)...)
}

// checkAssumeRole checks role_arn and where its credentials come from, as
// botocore's assume-role provider does: the profile's own settings, then
// the source_profile chain, which must not loop.
func (c *Config) checkAssumeRole(p *Profile) []Problem {
	out := c.roleSettingProblems(p)
	src, hasSrc := p.keys.lookup(KeySourceProfile)
	if !hasSrc || c.profiles[src.value] == nil {
		return out
	}
	// Follow the chain. A profile may name itself when it has static keys
	// (botocore then uses them to assume its role); any other loop never
	// ends. A loop that p only leads into is reported for its members.
	visited := map[string]bool{p.Name: true}
	for cur := p; ; {
		next, ok := cur.keys.lookup(KeySourceProfile)
		if !ok {
			return out
		}
		np := c.profiles[next.value]
		if np == nil {
			return out // reported for the profile that names it
		}
		if np == cur && hasStaticKeys(cur) {
			return out
		}
		if visited[np.Name] {
			if np == p {
				out = append(out, loopProblem(p))
			}
			return out
		}
		visited[np.Name] = true
		cur = np
	}
}

// roleSettingProblems is what is wrong with p's own assume-role settings:
// role_arn without a source, a source without role_arn, both kinds of
// source, a source_profile that does not exist, a duration_seconds that is
// not a number.
func (c *Config) roleSettingProblems(p *Profile) []Problem {
	var out []Problem
	role, hasRole := p.keys.lookup(KeyRoleARN)
	src, hasSrc := p.keys.lookup(KeySourceProfile)
	credSrc, hasCredSrc := p.keys.lookup(KeyCredentialSource)
	_, hasWebIdentity := p.keys.lookup(KeyWebIdentityTokenFile)
	switch {
	case hasRole && !hasSrc && !hasCredSrc && !hasWebIdentity:
		out = append(out, Problem{Location: role.loc,
			Message: fmt.Sprintf("profile %s has role_arn but nothing to assume it with", redact.Quote(p.Name)),
			Fix:     "add source_profile = PROFILE (or credential_source, or web_identity_token_file), or remove role_arn"})
	case !hasRole && (hasSrc || hasCredSrc):
		loc := src.loc
		if !hasSrc {
			loc = credSrc.loc
		}
		out = append(out, Problem{Location: loc,
			Message: fmt.Sprintf("profile %s has source_profile or credential_source but no role_arn, so there is no role to assume", redact.Quote(p.Name)),
			Fix:     "add role_arn = arn:aws:iam::ACCOUNT:role/NAME, or remove source_profile and credential_source"})
	case hasSrc && hasCredSrc:
		out = append(out, Problem{Location: credSrc.loc,
			Message: fmt.Sprintf("profile %s has both source_profile and credential_source", redact.Quote(p.Name)),
			Fix:     "keep one of the two"})
	}
	if hasRole && role.value == "" {
		out = append(out, Problem{Location: role.loc,
			Message: fmt.Sprintf("profile %q has an empty role_arn", p.Name),
			Fix:     "set role_arn = arn:aws:iam::ACCOUNT:role/NAME"})
	}
	if kv, ok := p.keys.lookup(KeyDurationSeconds); ok && hasRole {
		if _, err := durationSeconds(kv.value); err != nil {
			out = append(out, Problem{Location: kv.loc,
				Message: fmt.Sprintf("profile %q: duration_seconds %q %v", p.Name, kv.value, err),
				Fix:     "set duration_seconds to a number of seconds, such as 3600 for an hour, or remove it"})
		}
	}
	if hasSrc && c.profiles[src.value] == nil {
		out = append(out, Problem{Location: src.loc,
			Message: fmt.Sprintf("profile %s names source_profile %s, which is defined in neither file", redact.Quote(p.Name), redact.Quote(src.value)),
			Fix:     fmt.Sprintf("define profile %s, or point source_profile at an existing profile", redact.Quote(src.value))})
	}
	return out
}

// loopProblem is a source_profile chain that comes back to p.
func loopProblem(p *Profile) Problem {
	src, _ := p.keys.lookup(KeySourceProfile)
	return Problem{Location: src.loc,
		Message: fmt.Sprintf("the source_profile chain of profile %q comes back to it and never reaches credentials", p.Name),
		Fix:     "end the chain with a profile that has credentials of its own (SSO, static keys or a process)"}
}

func hasStaticKeys(p *Profile) bool { return p.has(KeyAccessKeyID) || p.has(KeySecretAccessKey) }

// IsAccountID reports whether s is an AWS account ID: exactly 12 digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkStartURL wants https, as IAM Identity Center serves it. Plain http
// is accepted on the loopback interface, where the local emulator runs.
func checkStartURL(kv keyVal) []Problem {
	if kv.value == "" {
		return nil // reported as missing
	}
	u, err := url.Parse(kv.value)
	if err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http" && loopback.IsHost(u.Hostname())) {
		return nil
	}
	return []Problem{{Location: kv.loc,
		Message: fmt.Sprintf("sso_start_url %s is not an https URL", redact.Quote(kv.value)),
		Fix:     "use the AWS access portal URL from IAM Identity Center, such as https://d-1234567890.awsapps.com/start"}}
}

// checkStaticPairs finds half a pair of static keys in one file's section:
// botocore refuses an access key without its secret (and ignores a lone
// secret), the Go SDK refuses both. Each file counts on its own, as each
// SDK's provider reads one file.
func checkStaticPairs(f *File, isCredentials bool) []Problem {
	var out []Problem
	for _, g := range groups(f, func(Problem) {}) {
		if !isCredentials {
			if kind, _, ok := configSection(g, func(Problem) {}); !ok || kind != "profile" {
				continue
			}
		}
		id, hasID := g.keys.lookup(KeyAccessKeyID)
		secret, hasSecret := g.keys.lookup(KeySecretAccessKey)
		switch {
		case hasID && !hasSecret:
			out = append(out, Problem{Location: id.loc,
				Message: fmt.Sprintf("[%s] has aws_access_key_id but no aws_secret_access_key", redact.Cut(g.header)),
				Fix:     fmt.Sprintf("add aws_secret_access_key to [%s] in this file, or remove aws_access_key_id", redact.Cut(g.header))})
		case hasSecret && !hasID:
			out = append(out, Problem{Location: secret.loc,
				Message: fmt.Sprintf("[%s] has aws_secret_access_key but no aws_access_key_id", redact.Cut(g.header)),
				Fix:     fmt.Sprintf("add aws_access_key_id to [%s] in this file, or remove aws_secret_access_key", redact.Cut(g.header))})
		}
	}
	return out
}

// checkMode wants a file with secrets readable by its owner alone, as the
// AWS CLI creates it. Windows keeps access in ACLs, not modes.
func checkMode(path string) []Problem {
	if runtime.GOOS == "windows" || path == "" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return []Problem{{Location: Location{File: path},
		Message: fmt.Sprintf("the file holds secret keys and other users can access it (mode %04o)", fi.Mode().Perm()),
		Fix:     "run: chmod 600 " + path}}
}

// holdsSecrets reports whether f has a secret key in it: a secret access
// key or a session token, also on a line the AWS CLI cannot read. An empty
// or key-free file (what an editor creates) holds none, whatever its mode.
func holdsSecrets(f *File) bool {
	secret := func(ln line) bool {
		switch ln.kind {
		case lineKey:
			return ln.key == KeySecretAccessKey || ln.key == KeySessionToken || ln.key == KeySecurityToken
		case lineInvalid:
			return redact.IsSecretKey(redact.KeyOf(ln.text))
		}
		return false
	}
	for _, ln := range f.preamble {
		if secret(ln) {
			return true
		}
	}
	for _, s := range f.sections {
		for _, ln := range s.lines {
			if secret(ln) {
				return true
			}
		}
	}
	return false
}
