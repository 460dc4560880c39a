package portal

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
)

// BearerHeader carries the access token. The underscore is real; Go
// canonicalises it to X-Amz-Sso_bearer_token on both sides.
const BearerHeader = "X-Amz-Sso_bearer_token"

// Page sizes of ListAccounts and ListAccountRoles.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Handler serves the portal API.
type Handler struct {
	Store     storage.Storage
	Directory *directory.Directory
	Now       func() time.Time
	Wrap      wire.Middleware
}

// Mount registers the portal routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET /federation/credentials", h.Wrap.Wrap(wire.Op{Name: "GetRoleCredentials", API: wire.Portal}, h.getRoleCredentials))
	mux.Handle("GET /assignment/accounts", h.Wrap.Wrap(wire.Op{Name: "ListAccounts", API: wire.Portal}, h.listAccounts))
	mux.Handle("GET /assignment/roles", h.Wrap.Wrap(wire.Op{Name: "ListAccountRoles", API: wire.Portal}, h.listAccountRoles))
	mux.Handle("POST /logout", h.Wrap.Wrap(wire.Op{Name: "Logout", API: wire.Portal}, h.logout))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

var errUnauthorized = wire.Errorf(http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")

func invalidRequest(format string, a ...any) *wire.Error {
	return wire.Errorf(http.StatusBadRequest, "InvalidRequestException", format, a...)
}

// session resolves the bearer token; anything but a live token is the one
// 401 the real service gives, whatever the reason.
func (h *Handler) session(r *http.Request) (storage.AccessToken, error) {
	token := r.Header.Get(BearerHeader)
	if token == "" {
		return storage.AccessToken{}, errUnauthorized
	}
	at, err := h.Store.GetAccessToken(r.Context(), storage.Key(token))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return storage.AccessToken{}, errUnauthorized
	case err != nil:
		return storage.AccessToken{}, err
	case !h.now().Before(at.ExpiresAt):
		return storage.AccessToken{}, errUnauthorized
	}
	return at, nil
}

type roleCredentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      int64  `json:"expiration"` // epoch milliseconds
}

func (h *Handler) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	creds, err := h.roleCredentials(r)
	if err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteJSON(w, http.StatusOK, struct {
		RoleCredentials roleCredentials `json:"roleCredentials"`
	}{creds})
}

func (h *Handler) roleCredentials(r *http.Request) (roleCredentials, error) {
	at, err := h.session(r)
	if err != nil {
		return roleCredentials{}, err
	}
	q := r.URL.Query()
	role, account := q.Get("role_name"), q.Get("account_id")
	if role == "" || account == "" {
		return roleCredentials{}, invalidRequest("role_name and account_id are required")
	}
	dur, ok := h.Directory.CanAssume(at.Username, account, role)
	if !ok {
		// The real service answers an unassigned role with this unmodeled
		// 403; SDKs surface it as a generic API error.
		return roleCredentials{}, wire.Errorf(http.StatusForbidden, "ForbiddenException",
			"No access: user %s is not assigned role %s in account %s", at.Username, role, account)
	}
	c := storage.RoleCredentials{
		AccessKeyID:     NewAccessKeyID(),
		SecretAccessKey: randomString(30),
		SessionToken:    randomString(96),
		AccountID:       account,
		RoleName:        role,
		Username:        at.Username,
		// Whole milliseconds, so what the client is told is exactly what
		// STS will enforce.
		Expiration: h.now().Add(dur).Truncate(time.Millisecond),
	}
	if err := h.Store.CreateRoleCredentials(r.Context(), c); err != nil {
		return roleCredentials{}, fmt.Errorf("store role credentials: %w", err)
	}
	return roleCredentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expiration:      c.Expiration.UnixMilli(),
	}, nil
}

// NewAccessKeyID returns a temporary access key id: "ASIA" and 16 base32
// characters, the shape of STS-issued keys.
func NewAccessKeyID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return "ASIA" + base32.StdEncoding.EncodeToString(b[:])
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// page reads next_token and max_result and returns the slice bounds.
func page(r *http.Request, total int) (start, end int, next string, err error) {
	q := r.URL.Query()
	size := DefaultPageSize
	if s := q.Get("max_result"); s != "" {
		size, err = strconv.Atoi(s)
		if err != nil {
			return 0, 0, "", invalidRequest("max_result must be an integer, not %q", s)
		}
		if size < 1 || size > MaxPageSize {
			// The real service's words, since May 2026.
			return 0, 0, "", invalidRequest("ResultSize parameter must be within the valid limits of: 1-%d", MaxPageSize)
		}
	}
	if tok := q.Get("next_token"); tok != "" {
		start, err = decodeToken(tok)
		if err != nil || start > total {
			return 0, 0, "", invalidRequest("next_token %q is not a token this API returned", tok)
		}
	}
	end = min(start+size, total)
	if end < total {
		next = encodeToken(end)
	}
	return start, end, next, nil
}

// Page tokens are opaque to clients; inside they are an offset.
func encodeToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeToken(tok string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) < 3 || string(raw[:2]) != "o:" {
		return 0, errors.New("malformed token")
	}
	n, err := strconv.Atoi(string(raw[2:]))
	if err != nil || n < 0 {
		return 0, errors.New("malformed token")
	}
	return n, nil
}

type accountInfo struct {
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName"`
	EmailAddress string `json:"emailAddress,omitempty"`
}

type listAccountsResponse struct {
	NextToken   string        `json:"nextToken,omitempty"`
	AccountList []accountInfo `json:"accountList"`
}

func (h *Handler) listAccounts(w http.ResponseWriter, r *http.Request) {
	at, err := h.session(r)
	if err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	all := h.Directory.Assignments(at.Username)
	start, end, next, err := page(r, len(all))
	if err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	resp := listAccountsResponse{NextToken: next, AccountList: make([]accountInfo, 0, end-start)}
	for _, a := range all[start:end] {
		resp.AccountList = append(resp.AccountList, accountInfo{AccountID: a.AccountID, AccountName: a.AccountName, EmailAddress: a.Email})
	}
	wire.WriteJSON(w, http.StatusOK, resp)
}

type roleInfo struct {
	RoleName  string `json:"roleName"`
	AccountID string `json:"accountId"`
}

type listAccountRolesResponse struct {
	NextToken string     `json:"nextToken,omitempty"`
	RoleList  []roleInfo `json:"roleList"`
}

func (h *Handler) listAccountRoles(w http.ResponseWriter, r *http.Request) {
	at, err := h.session(r)
	if err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	account := r.URL.Query().Get("account_id")
	if account == "" {
		wire.WriteError(w, wire.Portal, invalidRequest("account_id is required"))
		return
	}
	roles := h.Directory.Roles(at.Username, account)
	start, end, next, err := page(r, len(roles))
	if err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	resp := listAccountRolesResponse{NextToken: next, RoleList: make([]roleInfo, 0, end-start)}
	for _, role := range roles[start:end] {
		resp.RoleList = append(resp.RoleList, roleInfo{RoleName: role, AccountID: account})
	}
	wire.WriteJSON(w, http.StatusOK, resp)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.signOut(r.Context(), r); err != nil {
		wire.WriteError(w, wire.Portal, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// signOut kills the access token and the refresh token issued with it, so
// the session cannot be revived by a refresh. Role credentials already
// handed out stay valid until they expire, as on the real service.
func (h *Handler) signOut(ctx context.Context, r *http.Request) error {
	at, err := h.session(r)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteAccessToken(ctx, at.Key); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if at.RefreshTokenKey != "" {
		if err := h.Store.DeleteRefreshToken(ctx, at.RefreshTokenKey); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
	}
	return nil
}
