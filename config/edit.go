package config

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/ssokit/ssokit/internal/fileutil"
	"github.com/ssokit/ssokit/internal/redact"
)

// Edit changes the file at path in place: it takes the file's lock (so two
// processes editing at once lose nothing), reads it (a missing file is
// empty), runs fn, and writes the result back atomically only when fn
// changed something. Every line fn did not touch is written back as it was.
// An error from fn leaves the file as it was and is returned as is.
//
// A path that is a symbolic link (a config file kept in a dotfiles
// repository) is edited where the link points, and the link stays; a link
// that leads nowhere is a *fileutil.DanglingLinkError. A file that holds
// secret keys once edited ends readable by its owner alone (0600).
func Edit(ctx context.Context, path string, fn func(f *File) error) error {
	path, err := fileutil.Resolve(path)
	if err != nil {
		return err
	}
	unlock, err := fileutil.Lock(ctx, path)
	if err != nil {
		return err
	}
	defer unlock()
	// Every edit clears what interrupted ones left, changed or not.
	fileutil.RemoveLeftovers(filepath.Dir(path))

	data, f, err := apply(path, fn)
	if err != nil {
		return err
	}
	out := f.Bytes()
	if bytes.Equal(out, data) {
		return nil
	}
	var secret func(*fileutil.WriteOptions)
	if holdsSecrets(f) {
		secret = fileutil.Secret
	}
	if err := fileutil.WriteAtomic(path, out, secret); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// Preview runs fn on the file at path as Edit would, and returns the
// file's bytes before and after without writing anything: what a dry run
// shows. A missing file is empty.
func Preview(path string, fn func(f *File) error) (before, after []byte, err error) {
	before, f, err := apply(path, fn)
	if err != nil {
		return nil, nil, err
	}
	return before, f.Bytes(), nil
}

// apply reads and parses the file at path and runs fn on it: the file's
// bytes as read, and the file as fn left it.
func apply(path string, fn func(f *File) error) ([]byte, *File, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	if err := fn(f); err != nil {
		return nil, nil, err
	}
	return data, f, nil
}

// ProfileHeader returns the header of a profile's section: "default" or
// "profile NAME" in the config file (NAME quoted when it holds blanks, as
// the AWS CLI writes it), and NAME as is in the credentials file.
func ProfileHeader(name string, isCredentialsFile bool) string {
	if isCredentialsFile || name == DefaultProfile {
		return name
	}
	return "profile " + shellQuote(name)
}

// SSOSessionHeader returns the header of an sso-session's section.
func SSOSessionHeader(name string) string { return "sso-session " + shellQuote(name) }

// ValidateName checks a profile or sso-session name before it is written
// into a header: it must not be empty, hold a line break or other control
// character, or be DEFAULT, which Python's parser keeps for defaults.
func ValidateName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("a profile or sso-session name cannot be empty")
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("the name %s holds a line break or another control character; choose a name without one", redact.Quote(name))
	case name == "DEFAULT":
		return fmt.Errorf("the name DEFAULT is reserved by the AWS CLI's parser for defaults that apply to every section; choose another name")
	}
	return nil
}
