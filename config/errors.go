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
	// NearMiss is a section that looks meant for this profile but is written
	// so that the AWS CLI does not read it as one ([NAME] in the config file,
	// [profile NAME] in the credentials file); nil when there is none.
	NearMiss *Problem
}

func (e *ProfileNotFoundError) Error() string {
	if e.NearMiss != nil {
		return fmt.Sprintf("profile %s is not defined: %s: %s; %s", redact.Quote(e.Profile), e.NearMiss.Location, e.NearMiss.Message, e.NearMiss.Fix)
	}
	var files []string
	for _, p := range []string{e.Paths.Config, e.Paths.Credentials} {
		if p != "" {
			files = append(files, p)
		}
	}
	return fmt.Sprintf("profile %s is not defined in %s",
		redact.Quote(e.Profile), strings.Join(files, " or "))
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
}

func (e *NotSSOProfileError) Error() string {
	return fmt.Sprintf("%s: profile %s is not an SSO profile: it is %s, missing the following required SSO configuration: sso_session, or sso_start_url and sso_region",
		e.Location, redact.Quote(e.Profile), e.Kind.describe())
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
