package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ssokit/ssokit/internal/redact"
)

// Location is a place in a file: a 1-based line, or 0 when the whole file is
// meant.
type Location struct {
	File string
	Line int
}

// String returns "file:line", or just the file when Line is 0.
func (l Location) String() string {
	if l.Line <= 0 {
		return l.File
	}
	return l.File + ":" + strconv.Itoa(l.Line)
}

// Problem is one thing wrong in the files: where, what, and what to do.
type Problem struct {
	Location Location
	Message  string // what is wrong, lower case, no trailing period
	Fix      string // what the user should do
}

func (p Problem) String() string {
	return p.Location.String() + ": " + p.Message + " (fix: " + p.Fix + ")"
}

// ParseError is returned for a file botocore and the AWS CLI refuse to read.
type ParseError struct {
	Path     string
	Problems []Problem // in line order, at least one
}

func (e *ParseError) Error() string {
	p := e.Problems[0]
	msg := fmt.Sprintf("cannot read %s: %s; %s", p.Location, p.Message, p.Fix)
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more problem%s in the file)", n, plural(n))
	}
	return msg
}

// ValidationError is a profile or sso-session that cannot be used as written.
type ValidationError struct {
	Profile string // the profile (or sso-session) it is about
	Problem
}

func (e *ValidationError) Error() string {
	return e.Location.String() + ": " + e.Message + "; " + e.Fix
}

// ProfileNotFoundError is a profile defined in neither file.
type ProfileNotFoundError struct {
	Profile string
	Paths   Paths
	// Source is what named the profile, when the caller knows it (see
	// SelectProfileSource); the message mentions a variable or the default.
	Source ProfileSource
	// NearMiss is a section that looks meant for this profile but is written
	// so that the AWS CLI does not read it as one ([NAME] in the config file,
	// [profile NAME] in the credentials file); nil when there is none.
	NearMiss *Problem
	// Similar are defined profiles whose names are a small edit away from
	// Profile, nearest first. ResolveSSO fills them; the plain lookup
	// Config.Profile does not.
	Similar []string
}

func (e *ProfileNotFoundError) Error() string {
	if e.NearMiss != nil {
		return fmt.Sprintf("profile %s%s is not defined: %s: %s; %s", redact.Quote(e.Profile), e.Source.describe(), e.NearMiss.Location, e.NearMiss.Message, e.NearMiss.Fix)
	}
	var files []string
	for _, p := range []string{e.Paths.Config, e.Paths.Credentials} {
		if p != "" {
			files = append(files, p)
		}
	}
	return fmt.Sprintf("profile %s%s is not defined in %s",
		redact.Quote(e.Profile), e.Source.describe(), strings.Join(files, " or "))
}

// SSOSessionNotFoundError is an [sso-session NAME] section that does not exist.
type SSOSessionNotFoundError struct {
	Session string
	Path    string // the config file
}

func (e *SSOSessionNotFoundError) Error() string {
	return fmt.Sprintf("the specified sso-session does not exist: %s; add an [sso-session %s] section with sso_start_url and sso_region to %s",
		redact.Quote(e.Session), redact.Cut(shellQuote(e.Session)), e.Path)
}

// NotSSOProfileError is a profile that has no SSO settings at all.
type NotSSOProfileError struct {
	Profile  string
	Location Location // the profile's header
	Kind     Kind
	// Source is what named the profile, as in ProfileNotFoundError.
	Source ProfileSource
}

func (e *NotSSOProfileError) Error() string {
	return fmt.Sprintf("%s: profile %s%s is not an SSO profile: it is %s, missing the following required SSO configuration: sso_session, or sso_start_url and sso_region",
		e.Location, redact.Quote(e.Profile), e.Source.describe(), e.Kind.describe())
}

// UnsupportedSourceError is an assume-role profile whose source_profile
// chain ends in credentials other than SSO: static keys, a
// credential_process, a credential_source or a web identity token. The AWS
// CLI and SDKs can assume such roles; an SSO tool has nothing to start the
// chain with.
type UnsupportedSourceError struct {
	Profile string // the profile asked for
	// Chain lists the profiles followed, from Profile to the one that ends
	// the chain.
	Chain []string
	// Source is what the chain ends in, as a phrase: "a static-keys
	// profile", "credential_source = Ec2InstanceMetadata", ...
	Source   string
	Location Location // where the chain's end is defined
}

func (e *UnsupportedSourceError) Error() string {
	last := e.Chain[len(e.Chain)-1]
	if last == e.Profile && len(e.Chain) == 1 {
		return fmt.Sprintf("%s: profile %q assumes its role with %s, not with SSO credentials", e.Location, e.Profile, e.Source)
	}
	if !strings.HasPrefix(e.Source, "a ") {
		return fmt.Sprintf("%s: profile %q assumes its role through profile %q (%s), which uses %s, not SSO credentials",
			e.Location, e.Profile, last, strings.Join(e.Chain, " -> "), e.Source)
	}
	return fmt.Sprintf("%s: profile %q assumes its role with the credentials of profile %q (%s), which is %s, not an SSO profile",
		e.Location, e.Profile, last, strings.Join(e.Chain, " -> "), e.Source)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
