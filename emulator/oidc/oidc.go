package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
)

// Grant types, as sent in grantType and registered in grantTypes.
const (
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
)

// Defaults of the Handler's lifetimes.
const (
	// DefaultAccessTokenTTL is the real service's lifetime of an access
	// token that comes with a refresh token.
	DefaultAccessTokenTTL = time.Hour
	// DefaultSessionDuration is Identity Center's default session length.
	DefaultSessionDuration = 8 * time.Hour
	DefaultClientTTL       = 90 * 24 * time.Hour
	DefaultDeviceCodeTTL   = 10 * time.Minute
	DefaultPollInterval    = time.Second
	DefaultAuthRequestTTL  = 10 * time.Minute
	DefaultAuthCodeTTL     = 5 * time.Minute
)

// Handler serves the OIDC API. Set the fields, then Mount it.
type Handler struct {
	Store storage.Storage
	Now   func() time.Time
	// StartURL is the organisation's start URL: the only startUrl
	// StartDeviceAuthorization and issuerUrl RegisterClient accept.
	StartURL string
	// AutoApprove, when set, approves every device authorization and every
	// /authorize request as this user at once, with no pages.
	AutoApprove string
	// Wrap wraps each operation (request ids, counting, faults).
	Wrap wire.Middleware

	// AccessTokenTTL is the lifetime of an access token that comes with a
	// refresh token; it never outlives the session.
	AccessTokenTTL time.Duration
	// SessionDuration is how long a sign-in lasts: refresh tokens stop
	// working at its end, and an access token issued without a refresh
	// token (a legacy, scope-less registration) lives this long.
	SessionDuration time.Duration
	ClientTTL       time.Duration
	DeviceCodeTTL   time.Duration
	PollInterval    time.Duration
	AuthRequestTTL  time.Duration
	AuthCodeTTL     time.Duration
}

// Mount registers the OIDC routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("POST /client/register", h.Wrap.Wrap(wire.Op{Name: "RegisterClient", API: wire.OIDC}, h.registerClient))
	mux.Handle("POST /device_authorization", h.Wrap.Wrap(wire.Op{Name: "StartDeviceAuthorization", API: wire.OIDC}, h.startDeviceAuthorization))
	mux.Handle("POST /token", h.Wrap.Wrap(wire.Op{Name: "CreateToken", API: wire.OIDC}, h.createToken))
	mux.Handle("GET /authorize", h.Wrap.Wrap(wire.Op{Name: "Authorize", API: wire.OIDC}, h.authorize))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func oidcError(status int, typ, format string, a ...any) *wire.Error {
	return wire.Errorf(status, typ, format, a...)
}

func invalidRequest(format string, a ...any) *wire.Error {
	return oidcError(http.StatusBadRequest, "InvalidRequestException", format, a...)
}

func invalidGrant(format string, a ...any) *wire.Error {
	return oidcError(http.StatusBadRequest, "InvalidGrantException", format, a...)
}

func invalidClient(format string, a ...any) *wire.Error {
	return oidcError(http.StatusUnauthorized, "InvalidClientException", format, a...)
}

// randomToken returns n random bytes, base64url without padding, after prefix.
func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// ---- RegisterClient ----

type registerClientRequest struct {
	ClientName             string   `json:"clientName"`
	ClientType             string   `json:"clientType"`
	Scopes                 []string `json:"scopes"`
	RedirectURIs           []string `json:"redirectUris"`
	GrantTypes             []string `json:"grantTypes"`
	IssuerURL              string   `json:"issuerUrl"`
	EntitledApplicationArn string   `json:"entitledApplicationArn"`
}

type registerClientResponse struct {
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	ClientIDIssuedAt      int64  `json:"clientIdIssuedAt"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
	AuthorizationEndpoint string `json:"authorizationEndpoint,omitempty"`
	TokenEndpoint         string `json:"tokenEndpoint,omitempty"`
}

// validate checks the request; it is separate from the handler so the fuzz
// target exercises exactly what the handler would accept.
func (req *registerClientRequest) validate() error {
	if req.ClientName == "" {
		return invalidRequest("clientName is required")
	}
	if len(req.ClientName) > 1024 {
		return invalidRequest("clientName is longer than 1024 characters")
	}
	if req.ClientType == "" {
		return invalidRequest("clientType is required")
	}
	if req.ClientType != "public" {
		return oidcError(http.StatusBadRequest, "InvalidClientMetadataException", "clientType %q is not supported; use \"public\"", req.ClientType)
	}
	for _, s := range req.Scopes {
		if s == "" || strings.ContainsAny(s, " ,\t\n") || len(s) > 256 {
			return oidcError(http.StatusBadRequest, "InvalidScopeException", "scope %q is not valid", s)
		}
	}
	for _, g := range req.GrantTypes {
		switch g {
		case GrantDeviceCode, GrantAuthorizationCode, GrantRefreshToken:
		default:
			return oidcError(http.StatusBadRequest, "UnsupportedGrantTypeException", "grant type %q is not supported", g)
		}
	}
	for _, u := range req.RedirectURIs {
		if err := checkRedirectURI(u); err != nil {
			return oidcError(http.StatusBadRequest, "InvalidRedirectUriException", "redirect URI %q: %v", u, err)
		}
	}
	if slices.Contains(req.GrantTypes, GrantAuthorizationCode) && slices.Contains(req.GrantTypes, GrantDeviceCode) {
		// The real service refuses the mix, and with this exception.
		return oidcError(http.StatusBadRequest, "InvalidScopeException", "the authorization_code and device_code grants cannot be registered together")
	}
	if slices.Contains(req.GrantTypes, GrantAuthorizationCode) && len(req.RedirectURIs) == 0 {
		return oidcError(http.StatusBadRequest, "InvalidRedirectUriException", "the authorization_code grant needs at least one redirect URI")
	}
	return nil
}

func checkRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Fragment != "" {
		return errors.New("a redirect URI cannot have a fragment")
	}
	switch {
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return errors.New("plain http is only allowed for loopback hosts (127.0.0.1, localhost, [::1])")
	default:
		return errors.New("want an absolute https URL or an http loopback URL")
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *Handler) registerClient(w http.ResponseWriter, r *http.Request) {
	var req registerClientRequest
	if err := wire.DecodeJSON(r, wire.OIDC, &req); err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	if err := req.validate(); err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	if req.IssuerURL != "" && h.StartURL != "" && !sameStartURL(req.IssuerURL, h.StartURL) {
		wire.WriteError(w, wire.OIDC, invalidRequest("issuerUrl %q is not this Identity Center's issuer URL (%s)", req.IssuerURL, h.StartURL))
		return
	}
	now := h.now()
	c := storage.Client{
		ID:           randomToken("", 16),
		Secret:       randomToken("", 48),
		Name:         req.ClientName,
		Type:         req.ClientType,
		Scopes:       req.Scopes,
		RedirectURIs: req.RedirectURIs,
		GrantTypes:   req.GrantTypes,
		IssuerURL:    req.IssuerURL,
		IssuedAt:     now,
		ExpiresAt:    now.Add(or(h.ClientTTL, DefaultClientTTL)),
	}
	if err := h.Store.CreateClient(r.Context(), c); err != nil {
		wire.WriteError(w, wire.OIDC, fmt.Errorf("store client: %w", err))
		return
	}
	base := wire.Origin(r)
	wire.WriteJSON(w, http.StatusOK, registerClientResponse{
		ClientID:              c.ID,
		ClientSecret:          c.Secret,
		ClientIDIssuedAt:      c.IssuedAt.Unix(),
		ClientSecretExpiresAt: c.ExpiresAt.Unix(),
		AuthorizationEndpoint: base + "/authorize",
		TokenEndpoint:         base + "/token",
	})
}

// authenticateClient checks a client id and secret as CreateToken and
// StartDeviceAuthorization receive them.
func (h *Handler) authenticateClient(ctx context.Context, id, secret string) (storage.Client, error) {
	if id == "" || secret == "" {
		return storage.Client{}, invalidRequest("clientId and clientSecret are required")
	}
	c, err := h.Store.GetClient(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Client{}, invalidClient("client %q is not registered (or its registration expired); register again", id)
	}
	if err != nil {
		return storage.Client{}, fmt.Errorf("load client: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return storage.Client{}, invalidClient("the client secret of %q is wrong", id)
	}
	if !h.now().Before(c.ExpiresAt) {
		return storage.Client{}, invalidClient("the registration of client %q expired at %s; register again", id, c.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return c, nil
}

// allowsGrant reports whether c may use grant. The real service is lenient
// where clients depend on it: a registration without grantTypes (the AWS
// CLI's device flow) or with refresh_token alone (aws-sso-cli) signs in with
// a device code. Only a client registered for authorization_code may use
// it, and such a client cannot use a device code (RegisterClient refuses
// the mix).
func allowsGrant(c storage.Client, grant string) bool {
	switch grant {
	case GrantDeviceCode:
		return !slices.Contains(c.GrantTypes, GrantAuthorizationCode)
	case GrantRefreshToken:
		return len(c.GrantTypes) == 0 || slices.Contains(c.GrantTypes, GrantRefreshToken)
	default:
		return slices.Contains(c.GrantTypes, grant)
	}
}

// ---- StartDeviceAuthorization ----

type startDeviceAuthorizationRequest struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	StartURL     string `json:"startUrl"`
}

type startDeviceAuthorizationResponse struct {
	DeviceCode              string `json:"deviceCode"`
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
	ExpiresIn               int64  `json:"expiresIn"`
	Interval                int64  `json:"interval"`
}

func (h *Handler) startDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	var req startDeviceAuthorizationRequest
	if err := wire.DecodeJSON(r, wire.OIDC, &req); err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	resp, err := h.startDevice(r, req)
	if err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	wire.WriteJSON(w, http.StatusOK, resp)
}

func (h *Handler) startDevice(r *http.Request, req startDeviceAuthorizationRequest) (startDeviceAuthorizationResponse, error) {
	ctx := r.Context()
	if req.StartURL == "" {
		return startDeviceAuthorizationResponse{}, invalidRequest("startUrl is required")
	}
	c, err := h.authenticateClient(ctx, req.ClientID, req.ClientSecret)
	if err != nil {
		return startDeviceAuthorizationResponse{}, err
	}
	if !allowsGrant(c, GrantDeviceCode) {
		return startDeviceAuthorizationResponse{}, oidcError(http.StatusBadRequest, "UnauthorizedClientException",
			"client %q was registered for the authorization_code grant, which excludes the device_code grant", c.ID)
	}
	if h.StartURL != "" && !sameStartURL(req.StartURL, h.StartURL) {
		return startDeviceAuthorizationResponse{}, invalidRequest("startUrl %q is not this Identity Center's start URL (%s)", req.StartURL, h.StartURL)
	}
	now := h.now()
	ttl := or(h.DeviceCodeTTL, DefaultDeviceCodeTTL)
	interval := or(h.PollInterval, DefaultPollInterval)
	d := storage.DeviceAuth{
		ClientID:  c.ID,
		StartURL:  req.StartURL,
		Scopes:    c.Scopes,
		Interval:  interval,
		ExpiresAt: now.Add(ttl),
		Status:    storage.DevicePending,
	}
	if h.AutoApprove != "" {
		d.Status, d.Username = storage.DeviceApproved, h.AutoApprove
	}
	var deviceCode string
	// A clash of random user codes is rare but possible: try a few.
	for attempt := 0; ; attempt++ {
		deviceCode = randomToken("", 32)
		d.DeviceCodeKey = storage.Key(deviceCode)
		d.UserCode = newUserCode()
		err = h.Store.CreateDeviceAuth(ctx, d)
		if !errors.Is(err, storage.ErrAlreadyExists) || attempt == 5 {
			break
		}
	}
	if err != nil {
		return startDeviceAuthorizationResponse{}, fmt.Errorf("store device authorization: %w", err)
	}
	code := FormatUserCode(d.UserCode)
	verify := wire.Origin(r) + "/device"
	return startDeviceAuthorizationResponse{
		DeviceCode:              deviceCode,
		UserCode:                code,
		VerificationURI:         verify,
		VerificationURIComplete: verify + "?user_code=" + url.QueryEscape(code),
		ExpiresIn:               int64(ttl / time.Second),
		Interval:                int64(interval / time.Second),
	}, nil
}

func sameStartURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/#"), strings.TrimRight(b, "/#"))
}

// userCodeAlphabet has no vowels (no accidental words) and no look-alikes.
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

func newUserCode() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
	}
	return string(b[:])
}

// NormalizeUserCode turns what a person typed ("bcdf-ghjk ") into the stored
// form ("BCDFGHJK").
func NormalizeUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// FormatUserCode shows a stored user code as people see it: "BCDF-GHJK".
func FormatUserCode(code string) string {
	if len(code) != 8 {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// ---- CreateToken ----

type createTokenRequest struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	GrantType    string   `json:"grantType"`
	DeviceCode   string   `json:"deviceCode"`
	Code         string   `json:"code"`
	RefreshToken string   `json:"refreshToken"`
	Scope        []string `json:"scope"`
	RedirectURI  string   `json:"redirectUri"`
	CodeVerifier string   `json:"codeVerifier"`
}

type createTokenResponse struct {
	AccessToken  string `json:"accessToken"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int64  `json:"expiresIn"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	var req createTokenRequest
	if err := wire.DecodeJSON(r, wire.OIDC, &req); err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	resp, err := h.token(r.Context(), req)
	if err != nil {
		wire.WriteError(w, wire.OIDC, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteJSON(w, http.StatusOK, resp)
}

func (h *Handler) token(ctx context.Context, req createTokenRequest) (createTokenResponse, error) {
	if req.GrantType == "" {
		return createTokenResponse{}, invalidRequest("grantType is required")
	}
	c, err := h.authenticateClient(ctx, req.ClientID, req.ClientSecret)
	if err != nil {
		return createTokenResponse{}, err
	}
	switch req.GrantType {
	case GrantDeviceCode, GrantAuthorizationCode, GrantRefreshToken:
	default:
		return createTokenResponse{}, oidcError(http.StatusBadRequest, "UnsupportedGrantTypeException", "grant type %q is not supported", req.GrantType)
	}
	if !allowsGrant(c, req.GrantType) {
		return createTokenResponse{}, oidcError(http.StatusBadRequest, "UnauthorizedClientException",
			"client %q was not registered for the %s grant", c.ID, req.GrantType)
	}
	switch req.GrantType {
	case GrantDeviceCode:
		return h.deviceToken(ctx, c, req)
	case GrantAuthorizationCode:
		return h.codeToken(ctx, c, req)
	default:
		return h.refreshToken(ctx, c, req)
	}
}

// deviceToken advances the device state machine in one atomic update, so a
// poll and an approval racing each other cannot both lose, and records the
// poll time that slow_down is judged by.
func (h *Handler) deviceToken(ctx context.Context, c storage.Client, req createTokenRequest) (createTokenResponse, error) {
	if req.DeviceCode == "" {
		return createTokenResponse{}, invalidRequest("deviceCode is required for the device_code grant")
	}
	now := h.now()
	var username string
	var outcome error
	err := h.Store.UpdateDeviceAuth(ctx, storage.Key(req.DeviceCode), func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		if d.ClientID != c.ID {
			return d, invalidGrant("the device code was issued to another client")
		}
		if !now.Before(d.ExpiresAt) {
			return d, oidcError(http.StatusBadRequest, "ExpiredTokenException", "the device code expired; start the device authorization again")
		}
		last := d.LastPolledAt
		d.LastPolledAt = now
		switch d.Status {
		case storage.DeviceUsed:
			return d, invalidGrant("the device code was already exchanged for a token")
		case storage.DeviceDenied:
			outcome = oidcError(http.StatusBadRequest, "AccessDeniedException", "the user denied the authorization request")
		case storage.DeviceApproved:
			d.Status, username = storage.DeviceUsed, d.Username
		default:
			// Polls closer than the interval (with some slack for network
			// jitter) slow the client down, and the interval grows by 5 s as
			// RFC 8628 §3.5 asks.
			if !last.IsZero() && now.Sub(last) < d.Interval*4/5 {
				d.Interval += 5 * time.Second
				outcome = oidcError(http.StatusBadRequest, "SlowDownException", "polling too fast; wait %s between requests", d.Interval)
			} else {
				outcome = oidcError(http.StatusBadRequest, "AuthorizationPendingException", "authorization is still pending")
			}
		}
		return d, nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return createTokenResponse{}, invalidGrant("the device code is not known (or expired long ago)")
	}
	if err != nil {
		return createTokenResponse{}, err
	}
	if outcome != nil {
		return createTokenResponse{}, outcome
	}
	return h.issue(ctx, c, username, c.Scopes, time.Time{})
}

func (h *Handler) codeToken(ctx context.Context, c storage.Client, req createTokenRequest) (createTokenResponse, error) {
	switch {
	case req.Code == "":
		return createTokenResponse{}, invalidRequest("code is required for the authorization_code grant")
	case req.RedirectURI == "":
		return createTokenResponse{}, invalidRequest("redirectUri is required for the authorization_code grant")
	case req.CodeVerifier == "":
		return createTokenResponse{}, invalidRequest("codeVerifier is required for the authorization_code grant")
	}
	key := storage.Key(req.Code)
	code, err := h.Store.GetAuthCode(ctx, key)
	if err == nil {
		// Taking the code first makes it single-use even when the checks
		// below fail: a guessed verifier does not get a second try.
		err = h.Store.DeleteAuthCode(ctx, key)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return createTokenResponse{}, invalidGrant("the authorization code is not known or was already used")
	}
	if err != nil {
		return createTokenResponse{}, err
	}
	switch {
	case code.ClientID != c.ID:
		return createTokenResponse{}, invalidGrant("the authorization code was issued to another client")
	case !h.now().Before(code.ExpiresAt):
		return createTokenResponse{}, oidcError(http.StatusBadRequest, "ExpiredTokenException", "the authorization code expired; sign in again")
	case code.RedirectURI != req.RedirectURI:
		return createTokenResponse{}, invalidGrant("redirectUri %q is not the one the code was issued for", req.RedirectURI)
	case !VerifyPKCE(req.CodeVerifier, code.CodeChallenge):
		return createTokenResponse{}, invalidGrant("the code verifier does not match the code challenge")
	}
	return h.issue(ctx, c, code.Username, code.Scopes, time.Time{})
}

// VerifyPKCE checks an RFC 7636 S256 code verifier against its challenge.
func VerifyPKCE(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (h *Handler) refreshToken(ctx context.Context, c storage.Client, req createTokenRequest) (createTokenResponse, error) {
	if req.RefreshToken == "" {
		return createTokenResponse{}, invalidRequest("refreshToken is required for the refresh_token grant")
	}
	key := storage.Key(req.RefreshToken)
	rt, err := h.Store.GetRefreshToken(ctx, key)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return createTokenResponse{}, invalidGrant("the refresh token is not valid (used, signed out or unknown); sign in again")
	case err != nil:
		return createTokenResponse{}, err
	case rt.ClientID != c.ID:
		return createTokenResponse{}, invalidGrant("the refresh token was issued to another client")
	case !h.now().Before(rt.ExpiresAt):
		return createTokenResponse{}, invalidGrant("the session ended at %s; sign in again", rt.ExpiresAt.UTC().Format(time.RFC3339))
	}
	// Rotation: the old refresh token is spent. Of two concurrent refreshes
	// with one token only one wins.
	if err := h.Store.DeleteRefreshToken(ctx, key); errors.Is(err, storage.ErrNotFound) {
		return createTokenResponse{}, invalidGrant("the refresh token was already used; sign in again")
	} else if err != nil {
		return createTokenResponse{}, err
	}
	return h.issue(ctx, c, rt.Username, rt.Scopes, rt.ExpiresAt)
}

// issue stores and returns a new access token, and a refresh token when the
// client registered scopes (legacy scope-less registrations get none, as on
// the real service). A sign-in starts a session (sessionEnd is zero); a
// refresh continues one, and nothing it issues outlives the session's end.
// A refreshable access token lives an hour, one without a refresh token the
// whole session.
func (h *Handler) issue(ctx context.Context, c storage.Client, username string, scopes []string, sessionEnd time.Time) (createTokenResponse, error) {
	now := h.now()
	if sessionEnd.IsZero() {
		sessionEnd = now.Add(or(h.SessionDuration, DefaultSessionDuration))
	}
	refreshable := len(c.Scopes) > 0 && allowsGrant(c, GrantRefreshToken)
	expires := sessionEnd
	if refreshable {
		expires = minTime(now.Add(or(h.AccessTokenTTL, DefaultAccessTokenTTL)), sessionEnd)
	}
	resp := createTokenResponse{
		AccessToken: randomToken("aoa", 48),
		TokenType:   "Bearer",
		ExpiresIn:   int64(expires.Sub(now) / time.Second),
	}
	at := storage.AccessToken{
		Key:       storage.Key(resp.AccessToken),
		ClientID:  c.ID,
		Username:  username,
		Scopes:    scopes,
		ExpiresAt: expires,
	}
	if refreshable {
		resp.RefreshToken = randomToken("aor", 48)
		at.RefreshTokenKey = storage.Key(resp.RefreshToken)
		rt := storage.RefreshToken{
			Key:       at.RefreshTokenKey,
			ClientID:  c.ID,
			Username:  username,
			Scopes:    scopes,
			ExpiresAt: sessionEnd,
		}
		if err := h.Store.CreateRefreshToken(ctx, rt); err != nil {
			return createTokenResponse{}, fmt.Errorf("store refresh token: %w", err)
		}
	}
	if err := h.Store.CreateAccessToken(ctx, at); err != nil {
		return createTokenResponse{}, fmt.Errorf("store access token: %w", err)
	}
	return resp, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
