package sync

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ssokit/ssokit/config"
)

// checkSectionName refuses names no INI reader would read back as written.
func checkSectionName(name string) error {
	switch {
	case strings.TrimSpace(name) != name || name == "":
		return fmt.Errorf("section name %q has blanks at either end", name)
	case strings.ContainsAny(name, "[]\r\n#;"):
		return fmt.Errorf("section name %q holds one of [ ] # ; or a line break", name)
	case strings.HasPrefix(name, "profile ") || strings.HasPrefix(name, "sso-session "):
		return fmt.Errorf("section name %q would not be read as a profile in the credentials file", name)
	}
	return nil
}

// ConflictError is a credentials-file section sync will not overwrite
// without --force.
type ConflictError struct {
	File    string
	Line    int
	Section string
	// Reason says what the section holds.
	Reason string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s:%d: [%s] holds %s; writing short-term keys there would replace or shadow them. "+
		"Choose another section with --as NAME, or overwrite it with --force", e.File, e.Line, e.Section, e.Reason)
}

// ssoKeys are the settings of an SSO profile; in the credentials file they
// make the section itself an SSO profile (the layout some IDE toolkits
// write).
var ssoKeys = []string{config.KeySSOSession, config.KeySSOStartURL, config.KeySSORegion, config.KeySSOAccountID, config.KeySSORoleName}

// writeSection sets the keys of creds in the credentials-file section name,
// creating it at the end of the file when missing.
func writeSection(f *config.File, name string, creds aws.Credentials, force bool) error {
	header := config.ProfileHeader(name, true)
	s := f.Section(header)
	if s == nil {
		s = f.AddSection(header)
	} else if !force {
		var found []string
		for _, k := range ssoKeys {
			if _, ok := s.Get(k); ok {
				found = append(found, k)
			}
		}
		if len(found) > 0 {
			return &ConflictError{File: f.Path(), Line: s.Line(), Section: name, Reason: "SSO settings (" + strings.Join(found, ", ") + ")"}
		}
		_, hasKey := s.Get(config.KeyAccessKeyID)
		_, hasToken := s.Get(config.KeySessionToken)
		_, hasOldToken := s.Get(config.KeySecurityToken)
		if hasKey && !hasToken && !hasOldToken {
			return &ConflictError{File: f.Path(), Line: s.Line(), Section: name, Reason: "long-term access keys (aws_access_key_id without a session token)"}
		}
	}
	s.Set(config.KeyAccessKeyID, creds.AccessKeyID)
	s.Set(config.KeySecretAccessKey, creds.SecretAccessKey)
	if creds.SessionToken != "" {
		s.Set(config.KeySessionToken, creds.SessionToken)
	} else {
		s.Unset(config.KeySessionToken)
	}
	// An older token under the legacy name would belong to other keys.
	s.Unset(config.KeySecurityToken)
	return nil
}
