package tokencache

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ssokit/ssokit/internal/fileutil"
)

// ErrNotFound means there is no usable cached token or registration: the
// file is missing, or it was corrupt and has been ignored.
var ErrNotFound = errors.New("no cached token")

// DefaultDir is where the AWS CLI and SDKs keep SSO tokens.
func DefaultDir(home string) string { return filepath.Join(home, ".aws", "sso", "cache") }

// Options are the optional settings of a Cache.
type Options struct {
	// Now is the clock; time.Now by default.
	Now func() time.Time
	// Warn is told about files that are ignored, e.g. a corrupt token file
	// treated as absent. Nothing is said by default.
	Warn func(format string, args ...any)
	// Keyring is where keyring storage keeps secrets; nil means the OS
	// keyring (OSKeyring with DefaultKeyringTimeout).
	Keyring Keyring
}

// Cache is one token-cache folder.
type Cache struct {
	dir  string
	opts Options
}

// New returns the cache kept in dir (usually DefaultDir(home)). Nothing is
// created until something is saved.
func New(dir string, optFns ...func(*Options)) *Cache {
	o := Options{Now: time.Now, Warn: func(string, ...any) {}}
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Warn == nil {
		o.Warn = func(string, ...any) {}
	}
	return &Cache{dir: dir, opts: o}
}

// Dir is the cache folder.
func (c *Cache) Dir() string { return c.dir }

// TokenPath is the file holding the token for key: the sso-session name, or
// the start URL exactly as configured for legacy profiles.
func (c *Cache) TokenPath(key string) string {
	sum := sha1.Sum([]byte(key))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:])+".json")
}

// LoadToken returns the token cached for key. A missing file gives
// ErrNotFound; so does a file that is corrupt, truncated or lacks
// accessToken or expiresAt, after a warning: a new sign-in replaces it.
// An expired token is returned as is: the caller decides what to do.
func (c *Cache) LoadToken(key string) (*Token, error) {
	path := c.TokenPath(key)
	data, err := fileutil.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotFound
		}
		return nil, fileutil.NewReadError(path, err)
	}
	t, err := parseToken(data, true)
	if err != nil {
		c.opts.Warn("ignoring the cached SSO token %s (%v); a new sign-in will replace it", path, err)
		return nil, ErrNotFound
	}
	return t, nil
}

// TokenModTime is when the token for key was last written, as the file
// system records it; ErrNotFound when there is no file.
func (c *Cache) TokenModTime(key string) (time.Time, error) {
	fi, err := os.Stat(c.TokenPath(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return time.Time{}, ErrNotFound
		}
		return time.Time{}, fileutil.NewReadError(c.TokenPath(key), err)
	}
	return fi.ModTime(), nil
}

// SaveToken writes t as the token for key, atomically and readable by the
// owner only. Fields of the previous file that ssokit does not know are kept
// when t was loaded from it.
func (c *Cache) SaveToken(key string, t *Token) error {
	if t.AccessToken == "" || t.ExpiresAt.IsZero() {
		return fmt.Errorf("save the SSO token for %q: the token has no access token or expiry", key)
	}
	data, err := t.marshal()
	if err != nil {
		return fmt.Errorf("save the SSO token for %q: %w", key, err)
	}
	return c.write(c.TokenPath(key), data, "SSO token")
}

// DeleteToken removes the token for key; a missing token is not an error.
func (c *Cache) DeleteToken(key string) error { return c.DeletePath(c.TokenPath(key)) }

// DeletePath removes a file of this cache, e.g. one listed by Tokens; a
// missing file is not an error. Paths outside the cache folder are refused.
// Temp files that interrupted writes left in the folder go too: they may
// hold a copy of the token.
func (c *Cache) DeletePath(path string) error {
	if filepath.Dir(filepath.Clean(path)) != filepath.Clean(c.dir) {
		return fmt.Errorf("refusing to delete %s: not in the SSO cache folder %s", path, c.dir)
	}
	fileutil.RemoveLeftovers(c.dir)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete the cached SSO token %s: %w", path, fileutil.Cause(err))
	}
	return nil
}

// Lock takes the cross-process lock for key, held while signing in or
// refreshing so that concurrent processes share one sign-in. It waits until
// ctx is done. The lock file sits beside the token (TokenPath(key)+".lock");
// a lock held by a process that died is released by the OS.
func (c *Cache) Lock(ctx context.Context, key string) (unlock func(), err error) {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, unwritableError(c.dir, err)
	}
	return fileutil.Lock(ctx, c.TokenPath(key))
}

// LoadRegistration returns the client registration cached for k;
// ErrNotFound when there is none or the file is unusable (with a warning).
// An expired registration is returned as is.
func (c *Cache) LoadRegistration(k RegistrationKey) (*Registration, error) {
	path := c.RegistrationPath(k)
	data, err := fileutil.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotFound
		}
		return nil, fileutil.NewReadError(path, err)
	}
	r, err := parseRegistration(data)
	if err != nil {
		c.opts.Warn("ignoring the cached client registration %s (%v); a new one will be registered", path, err)
		return nil, ErrNotFound
	}
	return r, nil
}

// SaveRegistration writes r as the registration for k.
func (c *Cache) SaveRegistration(k RegistrationKey, r *Registration) error {
	if err := r.checkSavable(k); err != nil {
		return err
	}
	data, err := r.marshal()
	if err != nil {
		return fmt.Errorf("save the client registration for %s: %w", k.StartURL, err)
	}
	return c.write(c.RegistrationPath(k), data, "client registration")
}

// Entry is a token found in the cache folder.
type Entry struct {
	Path  string
	Token *Token
}

// Tokens lists every token in the cache folder, whoever wrote it, sorted by
// path. Files that are not tokens (registrations, other tools' files, junk)
// are skipped silently, as `aws sso logout` does. A token whose expiry
// cannot be read is listed with a zero ExpiresAt, so logout still removes it.
// A missing folder holds no tokens.
func (c *Cache) Tokens() ([]Entry, error) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("list the SSO cache folder %s: %w", c.dir, err)
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		if !de.Type().IsRegular() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(c.dir, name)
		data, err := fileutil.ReadFile(path)
		if err != nil {
			c.opts.Warn("skipping %s: %v", path, err)
			continue
		}
		t, err := parseToken(data, false)
		if err != nil {
			continue
		}
		out = append(out, Entry{Path: path, Token: t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// write saves data to path atomically; the file ends mode 0600 even when
// another tool left it readable by others: it holds secrets.
func (c *Cache) write(path string, data []byte, what string) error {
	if err := fileutil.WriteAtomic(path, data, fileutil.Secret); err != nil {
		return fmt.Errorf("save the %s: %w", what, unwritableError(c.dir, err))
	}
	return nil
}

// CheckWritable reports whether the token for key could be saved now (the
// folder can be created and written, and no folder stands where the file
// belongs), so that no one signs in only to find the token cannot be kept.
func (c *Cache) CheckWritable(key string) error {
	if err := fileutil.CheckWritable(c.TokenPath(key)); err != nil {
		return unwritableError(c.dir, err)
	}
	return nil
}

// UnwritableError means the cache folder cannot be created or written, or
// a folder stands where a file of it belongs.
type UnwritableError struct {
	Dir string
	Err error
}

func (e *UnwritableError) Error() string {
	var held *fileutil.HeldError
	if errors.As(e.Err, &held) {
		return fmt.Sprintf("cannot write to the SSO cache folder %s: %v", e.Dir, e.Err)
	}
	if errors.Is(e.Err, fileutil.ErrIsFolder) {
		return fmt.Sprintf("cannot write to the SSO cache folder %s: %v; remove that folder", e.Dir, e.Err)
	}
	if fi, err := os.Stat(e.Dir); err == nil && !fi.IsDir() {
		return fmt.Sprintf("cannot write to the SSO cache folder %s: it is a file, not a folder; move it away, so that the folder can be created", e.Dir)
	}
	return fmt.Sprintf("cannot write to the SSO cache folder %s: %v; make sure it is a folder you own and can write to (%s), or remove it so it is created again", e.Dir, fileutil.Cause(e.Err), fileutil.AccessFix(e.Dir, true))
}

func (e *UnwritableError) Unwrap() error { return e.Err }

func unwritableError(dir string, err error) error { return &UnwritableError{Dir: dir, Err: err} }
