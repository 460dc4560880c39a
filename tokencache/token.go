package tokencache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ssokit/ssokit/internal/redact"
)

// Token is one cached SSO access token, as the AWS CLI stores it.
type Token struct {
	StartURL    string
	Region      string // the sso_region
	AccessToken string
	ExpiresAt   time.Time
	// ClientID and ClientSecret are the client registration the token was
	// issued to; a refresh needs them.
	ClientID, ClientSecret string
	RegistrationExpiresAt  time.Time // zero when absent
	RefreshToken           string

	// extra holds the fields ssokit does not know (e.g. the VS Code
	// toolkit's scopes and tokenType), written back unchanged.
	extra map[string]json.RawMessage
}

// Remaining is how long the access token stays valid after now; negative
// once it has expired.
func (t *Token) Remaining(now time.Time) time.Duration { return t.ExpiresAt.Sub(now) }

// CanRefresh reports whether the token can be renewed without a sign-in: it
// carries a refresh token and the client registration that goes with it,
// and that registration has not expired. A registration without a known
// expiry (written by a tool that does not record it) is given the benefit of
// the doubt: the service has the last word.
func (t *Token) CanRefresh(now time.Time) bool {
	if t.RefreshToken == "" || t.ClientID == "" || t.ClientSecret == "" {
		return false
	}
	return t.RegistrationExpiresAt.IsZero() || now.Before(t.RegistrationExpiresAt)
}

// Names of the fields of a token file, in the order the AWS CLI writes them.
const (
	fieldStartURL              = "startUrl"
	fieldRegion                = "region"
	fieldAccessToken           = "accessToken"
	fieldExpiresAt             = "expiresAt"
	fieldClientID              = "clientId"
	fieldClientSecret          = "clientSecret"
	fieldRegistrationExpiresAt = "registrationExpiresAt"
	fieldRefreshToken          = "refreshToken"
)

// errInvalid marks a file that is JSON but not a usable token or
// registration.
var errInvalid = errors.New("invalid")

// decodeObject parses data as one JSON object, keeping each member raw.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	if _, err := d.Token(); err == nil {
		return nil, fmt.Errorf("unexpected data after the JSON object")
	}
	return m, nil
}

// takeString removes name from m and returns its string value; absent and
// null give "".
func takeString(m map[string]json.RawMessage, name string) (string, error) {
	raw, ok := m[name]
	if !ok {
		return "", nil
	}
	delete(m, name)
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("field %q is not a string", name)
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// takeTime removes name from m and parses it; absent, null and "" give the
// zero time.
func takeTime(m map[string]json.RawMessage, name string) (time.Time, error) {
	s, err := takeString(m, name)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := parseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("field %q: %w", name, err)
	}
	return t, nil
}

// parseToken reads a token file. A file without accessToken is not a token
// (errInvalid, e.g. a client registration); strict also requires a valid
// expiresAt, as every SDK does before using a token.
func parseToken(data []byte, strict bool) (*Token, error) {
	m, err := decodeObject(data)
	if err != nil {
		return nil, err
	}
	t := &Token{}
	var errs []error
	str := func(dst *string, name string) {
		v, err := takeString(m, name)
		*dst = v
		errs = append(errs, err)
	}
	tim := func(dst *time.Time, name string) {
		v, err := takeTime(m, name)
		*dst = v
		errs = append(errs, err)
	}
	str(&t.StartURL, fieldStartURL)
	str(&t.Region, fieldRegion)
	str(&t.AccessToken, fieldAccessToken)
	str(&t.ClientID, fieldClientID)
	str(&t.ClientSecret, fieldClientSecret)
	str(&t.RefreshToken, fieldRefreshToken)
	tim(&t.RegistrationExpiresAt, fieldRegistrationExpiresAt)
	rawExpiry := string(m[fieldExpiresAt])
	var expErr error
	t.ExpiresAt, expErr = takeTime(m, fieldExpiresAt)
	if t.AccessToken == "" {
		return nil, fmt.Errorf("%w: no accessToken", errInvalid)
	}
	if strict {
		if err := errors.Join(errs...); err != nil {
			return nil, fmt.Errorf("%w: %w", errInvalid, err)
		}
		switch {
		case expErr != nil:
			return nil, fmt.Errorf("%w: %w", errInvalid, expErr)
		case rawExpiry == "" || rawExpiry == "null" || rawExpiry == `""`:
			return nil, fmt.Errorf("%w: no expiresAt", errInvalid)
		case t.ExpiresAt.Year() < 1970:
			return nil, fmt.Errorf("%w: expiresAt %s is not a real expiry", errInvalid, formatTime(t.ExpiresAt))
		}
	}
	if len(m) > 0 {
		t.extra = m
	}
	return t, nil
}

// marshal renders t as the AWS CLI writes a token file: its field order,
// Python's separators, times as YYYY-MM-DDTHH:MM:SSZ; then the unknown
// fields, sorted by name.
func (t *Token) marshal() ([]byte, error) {
	var ms []member
	add := func(name, v string) {
		if v != "" {
			ms = append(ms, member{name, v})
		}
	}
	add(fieldStartURL, t.StartURL)
	add(fieldRegion, t.Region)
	ms = append(ms, member{fieldAccessToken, t.AccessToken}, member{fieldExpiresAt, formatTime(t.ExpiresAt)})
	add(fieldClientID, t.ClientID)
	add(fieldClientSecret, t.ClientSecret)
	if !t.RegistrationExpiresAt.IsZero() {
		add(fieldRegistrationExpiresAt, formatTime(t.RegistrationExpiresAt))
	}
	add(fieldRefreshToken, t.RefreshToken)
	ms = appendExtra(ms, t.extra)
	return pyDumps(ms)
}

// appendExtra appends the unknown fields, skipping any that a known field
// now owns.
func appendExtra(ms []member, extra map[string]json.RawMessage) []member {
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	taken := make(map[string]bool, len(ms))
	for _, m := range ms {
		taken[m.name] = true
	}
	for _, k := range names {
		if !taken[k] {
			ms = append(ms, member{k, extra[k]})
		}
	}
	return ms
}

// timeFormat is what the AWS CLI writes: strftime %Y-%m-%dT%H:%M:%SZ in UTC.
const timeFormat = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTime accepts every timestamp format found in token caches: RFC 3339
// with or without fractional seconds or a numeric offset (Go, CLI, VS Code
// toolkit), the "UTC" suffix of old CLI releases, a "+0000" offset without
// colon, and no zone at all (read as UTC, as botocore does).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	v := s
	if rest, ok := strings.CutSuffix(v, "UTC"); ok {
		v = strings.TrimSpace(rest)
	}
	for _, layout := range []string{
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04:05-0700",
		"2006-01-02 15:04:05-0700",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %s", redact.Quote(s))
}
