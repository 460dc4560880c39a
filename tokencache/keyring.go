package tokencache

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// KeyringService is the service name of every keyring entry ssokit makes.
// The account of an entry is the path of the session's token file followed
// by " refreshToken" (the refresh token) or " client" (the client
// registration as JSON: clientId, clientSecret, expiresAt, scopes,
// grantTypes and the name of the registration file it stands for).
const KeyringService = "ssokit"

// Keyring is the OS credential store: macOS Keychain, Windows Credential
// Manager, the Secret Service on Linux. Get of a missing entry returns
// ErrNotFound; so does Delete.
type Keyring interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
	Delete(service, account string) error
}

// OSKeyring is the system's credential store. Each call gives up after
// timeout (a Secret Service that never answers, or waits for a prompt no
// one can see), returning an error that wraps ErrKeyringTimeout.
func OSKeyring(timeout time.Duration) Keyring { return osKeyring{timeout: timeout} }

// DefaultKeyringTimeout bounds one keyring call: unlocking a keyring at a
// prompt takes a person a few seconds.
const DefaultKeyringTimeout = 20 * time.Second

// ErrKeyringTimeout means the keyring did not answer in time.
var ErrKeyringTimeout = errors.New("the keyring did not answer in time")

type osKeyring struct{ timeout time.Duration }

// call runs fn with the timeout: the libraries underneath take no context,
// so a call that hangs is left behind (the process ends soon after).
func (k osKeyring) call(fn func() (string, error)) (string, error) {
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		if errors.Is(r.err, gokeyring.ErrNotFound) {
			return "", ErrNotFound
		}
		return r.v, r.err
	case <-t.C:
		return "", fmt.Errorf("%w (%s)", ErrKeyringTimeout, k.timeout)
	}
}

func (k osKeyring) Get(service, account string) (string, error) {
	return k.call(func() (string, error) { return gokeyring.Get(service, account) })
}

func (k osKeyring) Set(service, account, secret string) error {
	_, err := k.call(func() (string, error) { return "", gokeyring.Set(service, account, secret) })
	return err
}

func (k osKeyring) Delete(service, account string) error {
	_, err := k.call(func() (string, error) { return "", gokeyring.Delete(service, account) })
	return err
}

// KeyringError means the keyring could not be used for a session: it is
// not reachable (no Secret Service, no D-Bus session), locked with no way
// to prompt, or it refused the entry.
type KeyringError struct {
	Op      string // "read", "save" or "delete"
	Key     string // the session's cache key
	Account string
	Err     error
}

func (e *KeyringError) Error() string {
	return fmt.Sprintf("%s the secrets of SSO session %q in the OS keyring (service %q, account \"%s\"): %v",
		e.Op, e.Key, KeyringService, e.Account, e.Err)
}

func (e *KeyringError) Unwrap() error { return e.Err }

// Secrets are what keyring storage keeps out of the files: the refresh
// token, and the client registration that issued it.
type Secrets struct {
	RefreshToken string
	// Registration is the client registration; RegistrationFile is the name
	// the AWS CLI would give its file (RegistrationKey.FileName), so that
	// one made for another configuration is not reused.
	Registration     *Registration
	RegistrationFile string
}

// keyringAccounts are the accounts of key's two entries.
func (c *Cache) keyringAccounts(key string) (refresh, client string) {
	p := c.TokenPath(key)
	return p + " refreshToken", p + " client"
}

// keyringClient is the JSON of the client entry.
type keyringClient struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	ExpiresAt    string   `json:"expiresAt"`
	Scopes       []string `json:"scopes,omitempty"`
	GrantTypes   []string `json:"grantTypes,omitempty"`
	File         string   `json:"registrationFile"`
}

// LoadSecrets reads key's secrets from the keyring. No entry at all gives
// ErrNotFound; a keyring that cannot be used gives a *KeyringError. Either
// entry may be missing (a registration without a sign-in yet).
func (c *Cache) LoadSecrets(key string) (*Secrets, error) {
	refreshAcct, clientAcct := c.keyringAccounts(key)
	kr := c.keyring()
	s := &Secrets{}
	found := false
	rt, err := kr.Get(KeyringService, refreshAcct)
	switch {
	case err == nil:
		s.RefreshToken, found = rt, true
	case !errors.Is(err, ErrNotFound):
		return nil, &KeyringError{Op: "read", Key: key, Account: refreshAcct, Err: err}
	}
	raw, err := kr.Get(KeyringService, clientAcct)
	switch {
	case err == nil:
		var kc keyringClient
		exp, perr := time.Time{}, json.Unmarshal([]byte(raw), &kc)
		if perr == nil {
			exp, perr = parseTime(kc.ExpiresAt)
		}
		if perr != nil || kc.ClientID == "" || kc.ClientSecret == "" {
			c.opts.Warn("ignoring the client registration in the OS keyring (account %q): not a registration ssokit wrote", clientAcct)
			break
		}
		s.Registration = &Registration{ClientID: kc.ClientID, ClientSecret: kc.ClientSecret, ExpiresAt: exp, Scopes: kc.Scopes, GrantTypes: kc.GrantTypes}
		s.RegistrationFile, found = kc.File, true
	case !errors.Is(err, ErrNotFound):
		return nil, &KeyringError{Op: "read", Key: key, Account: clientAcct, Err: err}
	}
	if !found {
		return nil, ErrNotFound
	}
	return s, nil
}

// SaveRefreshToken keeps rt as key's refresh token in the keyring; ""
// deletes the entry.
func (c *Cache) SaveRefreshToken(key, rt string) error {
	acct, _ := c.keyringAccounts(key)
	if rt == "" {
		return c.deleteEntry(key, acct)
	}
	if err := c.keyring().Set(KeyringService, acct, rt); err != nil {
		return &KeyringError{Op: "save", Key: key, Account: acct, Err: err}
	}
	return nil
}

// SaveKeyringRegistration keeps r, the registration for k, as key's client
// entry in the keyring.
func (c *Cache) SaveKeyringRegistration(key string, k RegistrationKey, r *Registration) error {
	if err := r.checkSavable(k); err != nil {
		return err
	}
	_, acct := c.keyringAccounts(key)
	data, err := json.Marshal(keyringClient{
		ClientID: r.ClientID, ClientSecret: r.ClientSecret, ExpiresAt: formatTime(r.ExpiresAt),
		Scopes: r.Scopes, GrantTypes: r.GrantTypes, File: k.FileName(),
	})
	if err != nil {
		return err
	}
	if err := c.keyring().Set(KeyringService, acct, string(data)); err != nil {
		return &KeyringError{Op: "save", Key: key, Account: acct, Err: err}
	}
	return nil
}

// DeleteSecrets removes key's keyring entries; missing ones are not an
// error.
func (c *Cache) DeleteSecrets(key string) error {
	refreshAcct, clientAcct := c.keyringAccounts(key)
	return errors.Join(c.deleteEntry(key, refreshAcct), c.deleteEntry(key, clientAcct))
}

func (c *Cache) deleteEntry(key, acct string) error {
	if err := c.keyring().Delete(KeyringService, acct); err != nil && !errors.Is(err, ErrNotFound) {
		return &KeyringError{Op: "delete", Key: key, Account: acct, Err: err}
	}
	return nil
}

// DeleteRegistration removes the registration file for k; a missing file
// is not an error.
func (c *Cache) DeleteRegistration(k RegistrationKey) error {
	return c.DeletePath(c.RegistrationPath(k))
}

// RegistrationPath is the file of the registration for k.
func (c *Cache) RegistrationPath(k RegistrationKey) string {
	return filepath.Join(c.dir, k.FileName())
}

func (c *Cache) keyring() Keyring {
	if c.opts.Keyring != nil {
		return c.opts.Keyring
	}
	return OSKeyring(DefaultKeyringTimeout)
}

// HasSecrets reports whether t carries a refresh token or a client secret,
// which keyring storage keeps out of the file.
func (t *Token) HasSecrets() bool { return t.RefreshToken != "" || t.ClientSecret != "" }

// WithoutSecrets is t as keyring storage writes its file: startUrl, region,
// accessToken and expiresAt, nothing else (not even fields other tools
// added, which might be secrets too).
func (t *Token) WithoutSecrets() *Token {
	return &Token{StartURL: t.StartURL, Region: t.Region, AccessToken: t.AccessToken, ExpiresAt: t.ExpiresAt}
}

// WithSecrets is a copy of t carrying the refresh token and client
// registration of s, as the file of file storage holds them.
func (t *Token) WithSecrets(s *Secrets) *Token {
	full := *t
	full.RefreshToken = s.RefreshToken
	if r := s.Registration; r != nil {
		full.ClientID, full.ClientSecret, full.RegistrationExpiresAt = r.ClientID, r.ClientSecret, r.ExpiresAt
	}
	return &full
}
