package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
)

// ConsentPath is where /authorize sends the browser for the person's consent.
const ConsentPath = "/consent"

// authorize is the browser entry of the PKCE flow. Until the client and the
// redirect URI are known good it answers with an error itself (redirecting
// to an unchecked URI would make it an open redirector); after that, errors
// go back to the client as ?error=...&state=... on its redirect URI.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctx := r.Context()
	clientID, redirectURI, state := q.Get("client_id"), q.Get("redirect_uri"), q.Get("state")
	if clientID == "" || redirectURI == "" {
		wire.WriteError(w, wire.OIDC, invalidRequest("client_id and redirect_uri are required"))
		return
	}
	c, err := h.Store.GetClient(ctx, clientID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		wire.WriteError(w, wire.OIDC, invalidClient("client %q is not registered", clientID))
		return
	case err != nil:
		wire.WriteError(w, wire.OIDC, err)
		return
	case !h.now().Before(c.ExpiresAt):
		wire.WriteError(w, wire.OIDC, invalidClient("the registration of client %q expired; register again", clientID))
		return
	case !RedirectURIAllowed(c.RedirectURIs, redirectURI):
		wire.WriteError(w, wire.OIDC, invalidRequest("redirect_uri %q is not registered for client %q", redirectURI, clientID))
		return
	}

	fail := func(code, desc string) {
		http.Redirect(w, r, withQuery(redirectURI, url.Values{"error": {code}, "error_description": {desc}, "state": {state}}), http.StatusFound)
	}
	scopes := splitScopes(q.Get("scopes"))
	if len(scopes) == 0 {
		scopes = splitScopes(q.Get("scope"))
	}
	if len(scopes) == 0 {
		scopes = c.Scopes
	}
	challenge := q.Get("code_challenge")
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	case !allowsGrant(c, GrantAuthorizationCode):
		fail("unauthorized_client", "the client was not registered for the authorization_code grant")
		return
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
		return
	case len(challenge) != 43 || strings.Trim(challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		fail("invalid_request", "code_challenge must be the 43-character base64url SHA-256 of the code verifier")
		return
	case state == "":
		fail("invalid_request", "state is required")
		return
	}
	for _, s := range scopes {
		if len(c.Scopes) > 0 && !slices.Contains(c.Scopes, s) {
			fail("invalid_scope", fmt.Sprintf("scope %q was not registered for the client", s))
			return
		}
	}
	req := storage.AuthRequest{
		ID:            randomToken("", 24),
		ClientID:      c.ID,
		RedirectURI:   redirectURI,
		State:         state,
		CodeChallenge: challenge,
		Scopes:        scopes,
		ExpiresAt:     h.now().Add(or(h.AuthRequestTTL, DefaultAuthRequestTTL)),
	}
	if h.AutoApprove != "" {
		target, err := h.grantCode(ctx, req, h.AutoApprove)
		if err != nil {
			wire.WriteError(w, wire.OIDC, err)
			return
		}
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	if err := h.Store.CreateAuthRequest(ctx, req); err != nil {
		wire.WriteError(w, wire.OIDC, fmt.Errorf("store authorization request: %w", err))
		return
	}
	http.Redirect(w, r, ConsentPath+"?request="+url.QueryEscape(req.ID), http.StatusFound)
}

// splitScopes accepts the CLI's space-separated and the VS Code toolkit's
// comma-separated forms.
func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}

// RedirectURIAllowed reports whether uri matches one of the registered
// redirect URIs. Loopback http URIs match on any port (RFC 8252 §7.3): the
// CLI registers http://127.0.0.1/oauth/callback and then listens on a random
// port. Everything else must match exactly.
func RedirectURIAllowed(registered []string, uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Fragment != "" {
		return false
	}
	for _, reg := range registered {
		if reg == uri {
			return true
		}
		r, err := url.Parse(reg)
		if err != nil {
			continue
		}
		if u.Scheme == "http" && r.Scheme == "http" && isLoopback(u.Hostname()) &&
			strings.EqualFold(u.Hostname(), r.Hostname()) && u.Path == r.Path && u.RawQuery == r.RawQuery {
			return true
		}
	}
	return false
}

func withQuery(base string, add url.Values) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for k, vs := range add {
		if len(vs) > 0 && vs[0] != "" {
			q[k] = vs
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// grantCode turns an authorization request into a single-use code and
// returns the redirect URI that delivers it.
func (h *Handler) grantCode(ctx context.Context, req storage.AuthRequest, username string) (string, error) {
	code := randomToken("", 32)
	err := h.Store.CreateAuthCode(ctx, storage.AuthCode{
		Key:           storage.Key(code),
		ClientID:      req.ClientID,
		RedirectURI:   req.RedirectURI,
		CodeChallenge: req.CodeChallenge,
		Scopes:        req.Scopes,
		Username:      username,
		ExpiresAt:     h.now().Add(or(h.AuthCodeTTL, DefaultAuthCodeTTL)),
	})
	if err != nil {
		return "", fmt.Errorf("store authorization code: %w", err)
	}
	return withQuery(req.RedirectURI, url.Values{"code": {code}, "state": {req.State}}), nil
}

// DeviceInfo is what the verification page shows about a pending device
// authorization.
type DeviceInfo struct {
	UserCode   string // formatted, e.g. "BCDF-GHJK"
	ClientName string
	ExpiresAt  time.Time
}

// LookupDevice finds the pending device authorization a person typed the
// user code of; case, spaces and the hyphen do not matter. Unknown, expired
// and already decided codes are storage.ErrNotFound.
func (h *Handler) LookupDevice(ctx context.Context, userCode string) (DeviceInfo, error) {
	d, err := h.pendingDevice(ctx, userCode)
	if err != nil {
		return DeviceInfo{}, err
	}
	info := DeviceInfo{UserCode: FormatUserCode(d.UserCode), ExpiresAt: d.ExpiresAt}
	if c, err := h.Store.GetClient(ctx, d.ClientID); err == nil {
		info.ClientName = c.Name
	}
	return info, nil
}

func (h *Handler) pendingDevice(ctx context.Context, userCode string) (storage.DeviceAuth, error) {
	code := NormalizeUserCode(userCode)
	if code == "" {
		return storage.DeviceAuth{}, fmt.Errorf("empty user code: %w", storage.ErrNotFound)
	}
	d, err := h.Store.GetDeviceAuthByUserCode(ctx, code)
	if err != nil {
		return storage.DeviceAuth{}, fmt.Errorf("user code %s: %w", FormatUserCode(code), err)
	}
	if d.Status != storage.DevicePending || !h.now().Before(d.ExpiresAt) {
		return storage.DeviceAuth{}, fmt.Errorf("user code %s is expired or already used: %w", FormatUserCode(code), storage.ErrNotFound)
	}
	return d, nil
}

// ApproveDevice lets the device authorization's client have a token for
// username on its next poll.
func (h *Handler) ApproveDevice(ctx context.Context, userCode, username string) error {
	return h.decideDevice(ctx, userCode, storage.DeviceApproved, username)
}

// DenyDevice makes the client's next poll fail with access_denied.
func (h *Handler) DenyDevice(ctx context.Context, userCode string) error {
	return h.decideDevice(ctx, userCode, storage.DeviceDenied, "")
}

func (h *Handler) decideDevice(ctx context.Context, userCode string, status storage.DeviceStatus, username string) error {
	d, err := h.pendingDevice(ctx, userCode)
	if err != nil {
		return err
	}
	now := h.now()
	return h.Store.UpdateDeviceAuth(ctx, d.DeviceCodeKey, func(d storage.DeviceAuth) (storage.DeviceAuth, error) {
		// Checked again inside the update: the first decision wins.
		if d.Status != storage.DevicePending || !now.Before(d.ExpiresAt) {
			return d, fmt.Errorf("user code %s was decided meanwhile: %w", FormatUserCode(d.UserCode), storage.ErrNotFound)
		}
		d.Status, d.Username = status, username
		return d, nil
	})
}

// ConsentInfo is what the consent page shows about a pending /authorize.
type ConsentInfo struct {
	ID          string
	ClientName  string
	Scopes      []string
	RedirectURI string
	ExpiresAt   time.Time
}

// LookupConsent finds a pending authorization request; unknown, expired or
// decided requests are storage.ErrNotFound.
func (h *Handler) LookupConsent(ctx context.Context, id string) (ConsentInfo, error) {
	req, err := h.Store.GetAuthRequest(ctx, id)
	if err != nil {
		return ConsentInfo{}, fmt.Errorf("authorization request %q: %w", id, err)
	}
	if !h.now().Before(req.ExpiresAt) {
		return ConsentInfo{}, fmt.Errorf("authorization request %q expired: %w", id, storage.ErrNotFound)
	}
	info := ConsentInfo{ID: req.ID, Scopes: req.Scopes, RedirectURI: req.RedirectURI, ExpiresAt: req.ExpiresAt}
	if c, err := h.Store.GetClient(ctx, req.ClientID); err == nil {
		info.ClientName = c.Name
	}
	return info, nil
}

// takeRequest removes a pending request so it is decided exactly once.
func (h *Handler) takeRequest(ctx context.Context, id string) (storage.AuthRequest, error) {
	req, err := h.Store.GetAuthRequest(ctx, id)
	if err == nil {
		err = h.Store.DeleteAuthRequest(ctx, id)
	}
	if err != nil {
		return storage.AuthRequest{}, fmt.Errorf("authorization request %q: %w", id, err)
	}
	if !h.now().Before(req.ExpiresAt) {
		return storage.AuthRequest{}, fmt.Errorf("authorization request %q expired: %w", id, storage.ErrNotFound)
	}
	return req, nil
}

// ApproveConsent issues the authorization code for username and returns the
// client's redirect URI carrying code and state.
func (h *Handler) ApproveConsent(ctx context.Context, id, username string) (string, error) {
	req, err := h.takeRequest(ctx, id)
	if err != nil {
		return "", err
	}
	return h.grantCode(ctx, req, username)
}

// DenyConsent returns the client's redirect URI carrying
// error=access_denied and the state.
func (h *Handler) DenyConsent(ctx context.Context, id string) (string, error) {
	req, err := h.takeRequest(ctx, id)
	if err != nil {
		return "", err
	}
	return withQuery(req.RedirectURI, url.Values{
		"error":             {"access_denied"},
		"error_description": {"The user denied the authorization request."},
		"state":             {req.State},
	}), nil
}
