package tokencache

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// RegistrationKey identifies a cached client registration, as the AWS CLI
// names it.
type RegistrationKey struct {
	Region string
	// Scopes as configured in sso_registration_scopes; nil (not configured)
	// is written as JSON null, which is what the CLI does even when it sends
	// a default scope.
	Scopes []string
	// SessionName is "" for legacy profiles (JSON null).
	SessionName string
	StartURL    string
}

// FileName is the name of the registration file: the SHA-1 of the key as
// Python's json.dumps(sort_keys=True) writes it, plus ".json".
func (k RegistrationKey) FileName() string {
	var session any
	if k.SessionName != "" {
		session = k.SessionName
	}
	// The members are already in sorted order, as sort_keys wants.
	text, err := pyDumps([]member{
		{"region", k.Region},
		{"scopes", k.Scopes},
		{"session_name", session},
		{"startUrl", k.StartURL},
		{"tool", "botocore"},
	})
	if err != nil {
		panic(err) // only strings and string slices: cannot fail
	}
	sum := sha1.Sum(text)
	return hex.EncodeToString(sum[:]) + ".json"
}

// Registration is an OIDC client registration: the client id and secret a
// sign-in and later refreshes use.
type Registration struct {
	ClientID, ClientSecret string
	ExpiresAt              time.Time
	// Scopes is present only when scopes were registered; GrantTypes only
	// for authorization-code (PKCE) clients.
	Scopes, GrantTypes []string

	extra map[string]json.RawMessage
}

// IsPKCE reports whether the client was registered for the authorization
// code flow, so the device flow must not reuse it and the other way round.
func (r *Registration) IsPKCE() bool { return slices.Contains(r.GrantTypes, "authorization_code") }

// checkSavable refuses a registration, for k, that no one could use: one
// without a client id, secret or expiry.
func (r *Registration) checkSavable(k RegistrationKey) error {
	if r.ClientID == "" || r.ClientSecret == "" || r.ExpiresAt.IsZero() {
		return fmt.Errorf("save the client registration for %s: no client id, secret or expiry", k.StartURL)
	}
	return nil
}

func parseRegistration(data []byte) (*Registration, error) {
	m, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	if _, ok := m[fieldAccessToken]; ok {
		return nil, fmt.Errorf("%w: a token, not a client registration", errInvalid)
	}
	r := &Registration{}
	if r.ClientID, err = takeString(m, "clientId"); err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalid, err)
	}
	if r.ClientSecret, err = takeString(m, "clientSecret"); err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalid, err)
	}
	if r.ExpiresAt, err = takeTime(m, "expiresAt"); err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalid, err)
	}
	for name, dst := range map[string]*[]string{"scopes": &r.Scopes, "grantTypes": &r.GrantTypes} {
		raw, ok := m[name]
		if !ok {
			continue
		}
		delete(m, name)
		if err := json.Unmarshal(raw, dst); err != nil {
			return nil, fmt.Errorf("%w: field %q is not a list of strings", errInvalid, name)
		}
	}
	switch {
	case r.ClientID == "" || r.ClientSecret == "":
		return nil, fmt.Errorf("%w: no clientId or clientSecret", errInvalid)
	case r.ExpiresAt.IsZero():
		return nil, fmt.Errorf("%w: no expiresAt", errInvalid)
	}
	if len(m) > 0 {
		r.extra = m
	}
	return r, nil
}

func (r *Registration) marshal() ([]byte, error) {
	ms := []member{
		{"clientId", r.ClientID},
		{"clientSecret", r.ClientSecret},
		{"expiresAt", formatTime(r.ExpiresAt)},
	}
	if len(r.Scopes) > 0 {
		ms = append(ms, member{"scopes", r.Scopes})
	}
	if len(r.GrantTypes) > 0 {
		ms = append(ms, member{"grantTypes", r.GrantTypes})
	}
	return pyDumps(appendExtra(ms, r.extra))
}
