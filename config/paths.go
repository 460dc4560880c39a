package config

import (
	"path/filepath"
	"runtime"
	"strings"
)

// Paths are the locations of the two shared files.
type Paths struct {
	Config      string
	Credentials string
}

// DefaultPaths returns the files the AWS CLI would read: AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE when set (with a leading ~ and $VAR, ${VAR}
// and, on Windows, %VAR% expanded, as botocore does), else
// <home>/.aws/config and <home>/.aws/credentials. home is the user's home
// folder (%USERPROFILE% on Windows, as os.UserHomeDir returns).
func DefaultPaths(getenv func(string) string, home string) Paths {
	path := func(env, name string) string {
		if p := getenv(env); p != "" {
			return expandPath(p, getenv, home)
		}
		return filepath.Join(home, ".aws", name)
	}
	return Paths{Config: path(EnvConfigFile, "config"), Credentials: path(EnvSharedCredentialsFile, "credentials")}
}

// SelectProfile returns the profile to use: the flag, then AWS_PROFILE, then
// AWS_DEFAULT_PROFILE, then "default" (the AWS CLI v2 and Go SDK order; an
// empty variable counts as unset).
func SelectProfile(flag string, getenv func(string) string) string {
	name, _ := SelectProfileSource(flag, getenv)
	return name
}

// ProfileSource is what named the profile in use, so a message about it
// can say where to change it.
type ProfileSource string

// The sources of a profile name, in the order SelectProfile tries them.
const (
	// SourceCaller: the caller named it (a command-line flag).
	SourceCaller ProfileSource = ""
	// SourceEnvProfile: the AWS_PROFILE variable.
	SourceEnvProfile ProfileSource = EnvProfile
	// SourceEnvDefaultProfile: the AWS_DEFAULT_PROFILE variable.
	SourceEnvDefaultProfile ProfileSource = EnvDefaultProfile
	// SourceDefault: nothing named one, so it is "default".
	SourceDefault ProfileSource = "default"
)

// SelectProfileSource is SelectProfile, also saying what named the profile.
func SelectProfileSource(flag string, getenv func(string) string) (string, ProfileSource) {
	if flag != "" {
		return flag, SourceCaller
	}
	for _, env := range []ProfileSource{SourceEnvProfile, SourceEnvDefaultProfile} {
		if p := getenv(string(env)); p != "" {
			return p, env
		}
	}
	return DefaultProfile, SourceDefault
}

// describe is how a message names the source: "" for the caller, who knows.
func (s ProfileSource) describe() string {
	switch s {
	case SourceCaller:
		return ""
	case SourceDefault:
		return " (the default: no profile was named)"
	}
	return " (from " + string(s) + ")"
}

// expandPath expands variables first and then a leading ~, in the order of
// botocore's os.path.expanduser(os.path.expandvars(p)). Unknown variables
// are left as written, as Python does.
func expandPath(p string, getenv func(string) string, home string) string {
	p = expandVars(p, getenv)
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") || runtime.GOOS == "windows" && strings.HasPrefix(p, `~\`) {
		return filepath.Join(home, p[2:])
	}
	return p
}

func expandVars(p string, getenv func(string) string) string {
	if !strings.ContainsAny(p, "$%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '$' && i+1 < len(p) && p[i+1] == '{':
			if j := strings.IndexByte(p[i+2:], '}'); j > 0 {
				if v := getenv(p[i+2 : i+2+j]); v != "" {
					b.WriteString(v)
					i += j + 2
					continue
				}
			}
		case c == '$':
			j := i + 1
			for j < len(p) && isVarChar(p[j]) {
				j++
			}
			if j > i+1 {
				if v := getenv(p[i+1 : j]); v != "" {
					b.WriteString(v)
					i = j - 1
					continue
				}
			}
		case c == '%' && runtime.GOOS == "windows":
			if j := strings.IndexByte(p[i+1:], '%'); j > 0 {
				if v := getenv(p[i+1 : i+1+j]); v != "" {
					b.WriteString(v)
					i += j + 1
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isVarChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
