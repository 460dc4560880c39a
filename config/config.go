package config

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/redact"
)

// Config is the merged, read-only view of the two files, as botocore builds
// it: profiles from the config file ([default], [profile NAME]), with the
// credentials file's sections ([NAME]) merged in key by key, credentials
// values winning; sso-sessions and services from the config file only.
type Config struct {
	paths    Paths
	profiles map[string]*Profile
	sessions map[string]*group
	services map[string]*group
	warnings []Problem // what reading let through but botocore would not
	// nearMiss maps a name to a section that looks meant as that profile
	// but is not one, for ProfileNotFoundError.
	nearMiss map[string]Problem
}

// Kind is how a profile gets credentials, decided in the order of botocore's
// provider chain: a role to assume first, then SSO, static keys, a process.
type Kind int

const (
	KindOther      Kind = iota // none of the below (e.g. only region and output)
	KindSSO                    // legacy SSO: sso_start_url and sso_region in the profile
	KindSSOSession             // SSO through sso_session = NAME
	KindStatic                 // aws_access_key_id and aws_secret_access_key
	KindProcess                // credential_process
	KindAssumeRole             // role_arn (with source_profile or credential_source)
)

// String returns the kind as `ssokit profiles` shows it.
func (k Kind) String() string {
	switch k {
	case KindSSO:
		return "sso"
	case KindSSOSession:
		return "sso-session"
	case KindStatic:
		return "static"
	case KindProcess:
		return "process"
	case KindAssumeRole:
		return "assume-role"
	}
	return "other"
}

func (k Kind) describe() string {
	switch k {
	case KindStatic:
		return "a static-keys profile"
	case KindProcess:
		return "a credential_process profile"
	case KindAssumeRole:
		return "an assume-role profile"
	case KindSSO, KindSSOSession:
		return "an SSO profile"
	}
	return "a profile without credentials"
}

// Profile is one profile with its keys merged from both files.
type Profile struct {
	Name string
	Kind Kind

	header Location // the defining section's header: in the config file when there is one
	also   Location // the credentials file's section header when both files have one
	title  string   // that header as written, without brackets
	keys   keyList
}

type keyVal struct {
	value string
	loc   Location
}

// keyList is a section's keys in order of first appearance. Sections hold
// a handful of keys, where a slice beats a map and keeps the order; a map
// index is added once a list grows long, so that no file makes reading it
// quadratic.
type keyList struct {
	entries []keyEntry
	idx     map[string]int
}

type keyEntry struct {
	key string
	keyVal
}

const keyIndexAt = 16

func (l *keyList) find(key string) int {
	if l.idx != nil {
		if i, ok := l.idx[key]; ok {
			return i
		}
		return -1
	}
	for i := range l.entries {
		if l.entries[i].key == key {
			return i
		}
	}
	return -1
}

func (l *keyList) lookup(key string) (keyVal, bool) {
	if i := l.find(key); i >= 0 {
		return l.entries[i].keyVal, true
	}
	return keyVal{}, false
}

// set replaces key's value where it is, or appends it.
func (l *keyList) set(key string, kv keyVal) {
	if i := l.find(key); i >= 0 {
		l.entries[i].keyVal = kv
		return
	}
	l.entries = append(l.entries, keyEntry{key, kv})
	switch {
	case l.idx != nil:
		l.idx[key] = len(l.entries) - 1
	case len(l.entries) > keyIndexAt:
		l.idx = make(map[string]int, 2*len(l.entries))
		for i, e := range l.entries {
			l.idx[e.key] = i
		}
	}
}

// clone copies the list, so that merging into the copy leaves l alone.
func (l *keyList) clone() keyList {
	c := keyList{entries: append([]keyEntry(nil), l.entries...)}
	if l.idx != nil {
		c.idx = make(map[string]int, len(l.idx))
		for k, v := range l.idx {
			c.idx[k] = v
		}
	}
	return c
}

// Get returns the merged value of key (case-insensitive): the credentials
// file's value when both files set it (SSO-PROTOCOL.md §5.3).
func (p *Profile) Get(key string) (string, bool) {
	kv, ok := p.keys.lookup(lowerKey(key))
	return kv.value, ok
}

// Location is where the profile is defined: its header in the config file,
// or in the credentials file when the config file does not have it.
func (p *Profile) Location() Location { return p.header }

// Locations lists every section that defines the profile: the config
// file's, then the credentials file's.
func (p *Profile) Locations() []Location {
	if p.also.File == "" {
		return []Location{p.header}
	}
	return []Location{p.header, p.also}
}

// KeyLocation is the line that sets key's merged value.
func (p *Profile) KeyLocation(key string) (Location, bool) {
	kv, ok := p.keys.lookup(lowerKey(key))
	return kv.loc, ok
}

// Keys lists the profile's keys, lower-cased: the config file's in file
// order, then keys only the credentials file has.
func (p *Profile) Keys() []string {
	keys := make([]string, len(p.keys.entries))
	for i, e := range p.keys.entries {
		keys[i] = e.key
	}
	return keys
}

// Nested returns a nested setting ("s3 =" followed by indented "name =
// value" lines) as a map, and false when key is absent or not nested.
func (p *Profile) Nested(key string) (map[string]string, bool) {
	v, ok := p.Get(key)
	if !ok {
		return nil, false
	}
	return parseNested(v)
}

func (p *Profile) has(key string) bool { _, ok := p.keys.lookup(key); return ok }

// Load reads both files. A missing file is read as empty; a file the AWS CLI
// could not read either is refused with a *ParseError naming its lines.
func Load(paths Paths) (*Config, error) {
	var files [2]*File
	for i, path := range []string{paths.Config, paths.Credentials} {
		data, err := readFile(path)
		if err != nil {
			return nil, err
		}
		if files[i], err = Parse(path, data); err != nil {
			return nil, err
		}
	}
	return build(paths, files), nil
}

func readFile(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	data, err := fileutil.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fileutil.NewReadError(path, err)
	}
	return data, nil
}

// Profile returns the named profile, or a *ProfileNotFoundError.
func (c *Config) Profile(name string) (*Profile, error) {
	if p, ok := c.profiles[name]; ok {
		return p, nil
	}
	err := &ProfileNotFoundError{Profile: name, Paths: c.paths}
	if p, ok := c.nearMiss[name]; ok {
		err.NearMiss = &p
	}
	return nil, err
}

// Profiles lists every profile, sorted by name.
func (c *Config) Profiles() []*Profile {
	ps := make([]*Profile, 0, len(c.profiles))
	for _, p := range c.profiles {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

// SSOSessionNames lists the [sso-session NAME] sections, sorted.
func (c *Config) SSOSessionNames() []string {
	names := make([]string, 0, len(c.sessions))
	for n := range c.sessions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// SSOSessionLocation is where [sso-session name] is defined.
func (c *Config) SSOSessionLocation(name string) (Location, bool) {
	g, ok := c.sessions[name]
	if !ok {
		return Location{}, false
	}
	return g.loc, true
}

// Paths returns the files the view was read from.
func (c *Config) Paths() Paths { return c.paths }

// Warnings lists what was read leniently although the AWS CLI would refuse
// or ignore it: duplicate sections and keys, unreadable headers, sections
// that replace others. `ssokit doctor` reports them with the rest.
func (c *Config) Warnings() []Problem { return append([]Problem(nil), c.warnings...) }

// group is one section header's keys in one file: every section written
// with exactly that header, merged, the later keys winning.
type group struct {
	header string
	loc    Location // the first section's header
	keys   keyList
}

func (g *group) get(key string) (string, bool) {
	kv, ok := g.keys.lookup(key)
	return kv.value, ok
}

// groups merges each file's sections by header, in order of first
// appearance (the order of Python's dict of sections), and reports repeats.
// [DEFAULT] is Python's section of defaults: its keys appear in every other
// section of the same file, as botocore reads it.
func groups(f *File, warn func(Problem)) []*group {
	// One allocation each for the groups and their keys, however many.
	nkeys := 0
	for _, s := range f.sections {
		nkeys += len(s.lines) - 1
	}
	var (
		out      = make([]*group, 0, len(f.sections))
		slab     = make([]group, len(f.sections))
		entries  = make([]keyEntry, 0, nkeys)
		byHeader = make(map[string]*group, len(f.sections))
		defaults *group
	)
	for i, s := range f.sections {
		g := byHeader[s.header]
		loc := Location{File: f.path, Line: int(s.lines[0].num)}
		if g == nil {
			n := len(entries)
			g = &slab[i]
			*g = group{header: s.header, loc: loc, keys: keyList{entries: entries[n : n : n+len(s.lines)-1]}}
			entries = entries[:n+len(s.lines)-1]
			byHeader[s.header] = g
			if s.header == "DEFAULT" {
				defaults = g
			} else {
				out = append(out, g)
			}
		} else if s.header != "DEFAULT" {
			warn(Problem{Location: loc,
				Message: fmt.Sprintf("[%s] appears again (first at line %d); its keys are merged into the first, but the AWS CLI refuses a file with a repeated section", redact.Cut(s.header), g.loc.Line),
				Fix:     fmt.Sprintf("move these keys into the [%s] section at line %d and delete this one", redact.Cut(s.header), g.loc.Line)})
		}
		for i, ln := range s.lines {
			if ln.kind != lineKey {
				continue
			}
			// A value set below this header is a repeat in this very section;
			// one from above comes from an earlier copy of the section.
			if prev, ok := g.keys.lookup(ln.key); ok && prev.loc.Line > int(s.lines[0].num) {
				warn(Problem{Location: Location{File: f.path, Line: int(ln.num)},
					Message: fmt.Sprintf("%s is set again in [%s] (first at line %d); this later value wins, but the AWS CLI refuses a file with a repeated key", redact.Cut(ln.key), redact.Cut(s.header), prev.loc.Line),
					Fix:     fmt.Sprintf("keep one %s line in [%s]", redact.Cut(ln.key), redact.Cut(s.header))})
			}
			g.keys.set(ln.key, keyVal{value: s.value(i), loc: Location{File: f.path, Line: int(ln.num)}})
		}
	}
	if defaults != nil {
		for _, g := range out {
			for _, e := range defaults.keys.entries {
				if _, ok := g.keys.lookup(e.key); !ok {
					g.keys.set(e.key, e.keyVal)
				}
			}
		}
	}
	return out
}

// Sections the AWS CLI reads from the config file besides profiles
// ([plugins] for CLI plugins, [preview] for preview commands); any other
// section there is ignored and reported by doctor.
var knownConfigSections = map[string]bool{"plugins": true, "preview": true}

func build(paths Paths, files [2]*File) *Config {
	c := &Config{
		paths:    paths,
		profiles: make(map[string]*Profile, len(files[0].sections)+len(files[1].sections)),
		sessions: map[string]*group{},
		services: map[string]*group{},
		nearMiss: map[string]Problem{},
	}
	warn := func(p Problem) { c.warnings = append(c.warnings, p) }
	cfg, creds := files[0], files[1]

	// The config file, as botocore's build_profile_map: a later header for
	// the same name replaces the earlier section entirely (this is how
	// [profile default] and [default] interact).
	profileGroups := make(map[string]*group, len(cfg.sections))
	for _, g := range groups(cfg, warn) {
		n := len(c.warnings)
		kind, name, ok := configSection(g, warn)
		if !ok {
			if len(c.warnings) > n && !strings.ContainsAny(g.header, " \t") {
				c.nearMiss[g.header] = c.warnings[n] // [NAME] written for [profile NAME]
			}
			continue
		}
		var m map[string]*group
		switch kind {
		case "profile":
			m = profileGroups
		case "sso-session":
			m = c.sessions
		case "services":
			m = c.services
		}
		if old, dup := m[name]; dup {
			warn(Problem{Location: g.loc,
				Message: fmt.Sprintf("[%s] and [%s] at line %d both define %s %s; the AWS CLI uses only this later one, entirely", redact.Cut(g.header), redact.Cut(old.header), old.loc.Line, kind, redact.Quote(name)),
				Fix:     "merge the two into one section and delete the other"})
		}
		m[name] = g
	}
	slab := make([]Profile, 0, len(profileGroups))
	for name, g := range profileGroups {
		slab = append(slab, Profile{Name: name, header: g.loc, title: g.header, keys: g.keys})
		c.profiles[name] = &slab[len(slab)-1]
	}

	// The credentials file: every section is a profile named exactly as its
	// header, merged key by key over the config file's (botocore's
	// Session.full_config).
	for _, g := range groups(creds, warn) {
		if p, ok := credentialsHeader(g, warn); ok {
			if words, _ := shellSplit(g.header); words[0] == "profile" {
				c.nearMiss[words[1]] = p
			}
		}
		p := c.profiles[g.header]
		if p == nil {
			p = &Profile{Name: g.header, header: g.loc, title: g.header}
			c.profiles[g.header] = p
		} else {
			// The config file's key list is shared with its group; copy it
			// before merging into it.
			p.keys = p.keys.clone()
			p.also = g.loc
		}
		for _, e := range g.keys.entries {
			p.keys.set(e.key, e.keyVal)
		}
	}
	for _, p := range c.profiles {
		p.Kind = kindOf(p, creds.path)
	}
	return c
}

// configSection reads a config-file header as botocore does: a header that
// starts with "profile", "sso-session" or "services" is split with shell
// rules and must give exactly two words; "default" is the default profile.
func configSection(g *group, warn func(Problem)) (kind, name string, ok bool) {
	h := g.header
	for _, kind := range []string{"profile", "sso-session", "services"} {
		if !strings.HasPrefix(h, kind) {
			continue
		}
		words, err := shellSplit(h)
		switch {
		case err != nil:
			warn(Problem{Location: g.loc,
				Message: fmt.Sprintf("the header [%s] has an unclosed quote; the AWS CLI ignores this section", redact.Cut(h)),
				Fix:     fmt.Sprintf("write it as [%s NAME], quoting NAME only if it contains blanks", kind)})
			return "", "", false
		case len(words) != 2:
			warn(Problem{Location: g.loc,
				Message: fmt.Sprintf("the header [%s] is not \"%s NAME\"; the AWS CLI ignores this section", redact.Cut(h), kind),
				Fix:     fmt.Sprintf("write it as [%s NAME], in quotes if NAME contains blanks", kind)})
			return "", "", false
		case words[0] != kind:
			warn(Problem{Location: g.loc,
				Message: fmt.Sprintf("the header [%s] is read by the AWS CLI as %s %s, but only because it starts with %q", redact.Cut(h), kind, redact.Quote(words[1]), kind),
				Fix:     fmt.Sprintf("write it as [%s %s]", kind, shellQuote(words[1]))})
		}
		return kind, words[1], true
	}
	if h == DefaultProfile {
		return "profile", DefaultProfile, true
	}
	if !knownConfigSections[h] {
		warn(Problem{Location: g.loc,
			Message: fmt.Sprintf("[%s] in the config file is not a profile: there, profiles are written [profile NAME]", redact.Cut(h)),
			Fix:     fmt.Sprintf("rename it to [profile %s], or move it to the credentials file, where profiles are written [NAME]", shellQuote(h))})
	}
	return "", "", false
}

// ProfileName returns the profile a section header names, as botocore
// reads it: in the config file "default", or NAME in "profile NAME" (split
// with shell rules, so quotes may hold blanks); in the credentials file the
// header itself. ok is false for a header that names no profile. It is the
// inverse of ProfileHeader.
func ProfileName(header string, isCredentialsFile bool) (name string, ok bool) {
	if isCredentialsFile {
		return header, header != "DEFAULT"
	}
	kind, name, ok := configSection(&group{header: header}, func(Problem) {})
	return name, ok && kind == "profile"
}

// SSOSessionName returns the sso-session a config-file header names, the
// inverse of SSOSessionHeader; ok is false for any other header.
func SSOSessionName(header string) (name string, ok bool) {
	kind, name, ok := configSection(&group{header: header}, func(Problem) {})
	return name, ok && kind == "sso-session"
}

// credentialsHeader reports headers written in the config file's style:
// botocore reads every credentials section as a profile named exactly as its
// header, so [profile dev] there is a profile called "profile dev", and the
// Go SDK drops it.
func credentialsHeader(g *group, warn func(Problem)) (Problem, bool) {
	words, err := shellSplit(g.header)
	if err != nil || len(words) != 2 {
		return Problem{}, false
	}
	var p Problem
	switch words[0] {
	case "profile":
		p = Problem{Location: g.loc,
			Message: fmt.Sprintf("[%s] in the credentials file: the word profile does not belong there, so the AWS CLI reads a profile named %s and the Go SDK ignores the section", redact.Cut(g.header), redact.Quote(g.header)),
			Fix:     fmt.Sprintf("rename the section to [%s]", redact.Cut(words[1]))}
	case "sso-session":
		p = Problem{Location: g.loc,
			Message: fmt.Sprintf("[%s] in the credentials file: the AWS CLI reads sso-session sections only from the config file", redact.Cut(g.header)),
			Fix:     "move the section to the config file"}
	default:
		return Problem{}, false
	}
	warn(p)
	return p, true
}

// kindOf follows botocore's provider order: assume-role, SSO, static keys
// from the credentials file, credential_process, static keys from the
// config file. (The Go SDK puts static keys before SSO and before
// credential_process wherever they are written.)
func kindOf(p *Profile, credentialsPath string) Kind {
	staticIn := func(inCredentials bool) bool {
		kv, ok := p.keys.lookup(KeyAccessKeyID)
		return ok && (kv.loc.File == credentialsPath) == inCredentials
	}
	switch {
	case p.has(KeyRoleARN):
		return KindAssumeRole
	case p.has(KeySSOSession):
		return KindSSOSession
	case p.has(KeySSOStartURL) || p.has(KeySSORegion) || p.has(KeySSOAccountID) || p.has(KeySSORoleName):
		return KindSSO
	case staticIn(true):
		return KindStatic
	case p.has(KeyCredentialProcess):
		return KindProcess
	case staticIn(false) || p.has(KeySecretAccessKey):
		return KindStatic
	}
	return KindOther
}

// parseNested reads a nested value the way botocore does: it must start
// with a line break, and each further non-empty line is "name = value"
// (split at the first '='; names are kept as written).
func parseNested(v string) (map[string]string, bool) {
	if !strings.HasPrefix(v, "\n") {
		return nil, false
	}
	m := map[string]string{}
	for _, l := range strings.Split(v[1:], "\n") {
		if l = trim(l); l == "" {
			continue
		}
		k, val, ok := strings.Cut(l, "=")
		if !ok {
			return nil, false
		}
		m[trim(k)] = trim(val)
	}
	return m, true
}

// SSOSessionValue returns a key of [sso-session name] as written.
func (c *Config) SSOSessionValue(name, key string) (string, bool) {
	g, ok := c.sessions[name]
	if !ok {
		return "", false
	}
	return g.get(lowerKey(key))
}
