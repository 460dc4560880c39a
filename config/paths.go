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
	for _, p := range []string{flag, getenv(EnvProfile), getenv(EnvDefaultProfile)} {
		if p != "" {
			return p
		}
	}
	return DefaultProfile
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
