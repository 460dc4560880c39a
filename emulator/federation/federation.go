package federation

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ssokit/ssokit/emulator/internal/wire"
	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/sts"
)

// Lifetimes and bounds, as documented for the real endpoint.
const (
	TokenTTL               = 15 * time.Minute
	DefaultSessionDuration = 12 * time.Hour
	MinSessionDuration     = 15 * time.Minute
	MaxSessionDuration     = 12 * time.Hour
)

// CookieName holds the console session after a login to the emulator.
const CookieName = "ssokit_console"

// keyName is the store key of the signing secret.
const keyName = "federation-signin"

// Handler serves the console federation endpoint and the /console page.
type Handler struct {
	Store storage.Storage
	Now   func() time.Time
	Wrap  wire.Middleware
}

// Mount registers /federation and /console on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	signin := h.Wrap.Wrap(wire.Op{Name: "GetSigninToken", API: wire.Federation}, h.getSigninToken)
	login := h.Wrap.Wrap(wire.Op{Name: "Login", API: wire.Federation}, h.login)
	mux.HandleFunc("GET /federation", func(w http.ResponseWriter, r *http.Request) {
		switch action := r.URL.Query().Get("Action"); action {
		case "getSigninToken":
			signin.ServeHTTP(w, r)
		case "login":
			login.ServeHTTP(w, r)
		default:
			wire.WriteError(w, wire.Federation, wire.BadRequest(wire.Federation, "Action %q is not supported; use getSigninToken or login", action))
		}
	})
	mux.Handle("GET /console", h.Wrap.Wrap(wire.Op{Name: "Console", API: wire.Federation}, h.console))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) key(ctx context.Context) ([]byte, error) {
	return h.Store.GetOrCreateKey(ctx, keyName, func() ([]byte, error) {
		k := make([]byte, 32)
		_, err := rand.Read(k)
		return k, err
	})
}

// claims is what a sign-in token (and the console cookie) vouches for.
type claims struct {
	// Use keeps the two kinds apart: a console cookie is no sign-in token.
	Use         string `json:"u"`
	AccessKeyID string `json:"k"`
	Expires     int64  `json:"e"` // unix seconds
	Session     int64  `json:"s"` // console session length, seconds
}

func (h *Handler) sign(ctx context.Context, c claims) (string, error) {
	key, err := h.key(ctx)
	if err != nil {
		return "", err
	}
	payload, _ := json.Marshal(c)
	mac := hmac.New(sha256.New, key)
	mac.Write(payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), nil
}

var errBadToken = errors.New("the sign-in token is not valid or has expired; get a new one with Action=getSigninToken")

// Uses of a signed claims value.
const (
	useSignin  = "signin"
	useConsole = "console"
)

func (h *Handler) verify(ctx context.Context, token, use string) (claims, storage.RoleCredentials, error) {
	var c claims
	payloadB64, macB64, ok := strings.Cut(token, ".")
	if !ok {
		return c, storage.RoleCredentials{}, errBadToken
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(payloadB64)
	got, err2 := base64.RawURLEncoding.DecodeString(macB64)
	if err1 != nil || err2 != nil {
		return c, storage.RoleCredentials{}, errBadToken
	}
	key, err := h.key(ctx)
	if err != nil {
		return c, storage.RoleCredentials{}, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(payload)
	if !hmac.Equal(mac.Sum(nil), got) || json.Unmarshal(payload, &c) != nil {
		return c, storage.RoleCredentials{}, errBadToken
	}
	if c.Use != use || h.now().Unix() >= c.Expires {
		return c, storage.RoleCredentials{}, errBadToken
	}
	creds, err := h.Store.GetRoleCredentials(ctx, c.AccessKeyID)
	if err != nil {
		return c, storage.RoleCredentials{}, errBadToken
	}
	return c, creds, nil
}

type sessionJSON struct {
	SessionID    string `json:"sessionId"`
	SessionKey   string `json:"sessionKey"`
	SessionToken string `json:"sessionToken"`
}

func badRequest(format string, a ...any) *wire.Error {
	return wire.BadRequest(wire.Federation, format, a...)
}

func (h *Handler) getSigninToken(w http.ResponseWriter, r *http.Request) {
	token, err := h.signinToken(r)
	if err != nil {
		wire.WriteError(w, wire.Federation, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	wire.WriteJSON(w, http.StatusOK, map[string]string{"SigninToken": token})
}

func (h *Handler) signinToken(r *http.Request) (string, error) {
	q := r.URL.Query()
	raw := q.Get("Session")
	if raw == "" {
		return "", badRequest("the Session parameter is required: JSON with sessionId, sessionKey and sessionToken")
	}
	if len(raw) > wire.MaxBodyBytes {
		return "", badRequest("the Session parameter is too long")
	}
	var s sessionJSON
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return "", badRequest("the Session parameter is not JSON: %v", err)
	}
	if s.SessionID == "" || s.SessionKey == "" || s.SessionToken == "" {
		return "", badRequest("the Session JSON needs sessionId, sessionKey and sessionToken (temporary credentials)")
	}
	session := DefaultSessionDuration
	if d := q.Get("SessionDuration"); d != "" {
		secs, err := strconv.Atoi(d)
		if err != nil || time.Duration(secs)*time.Second < MinSessionDuration || time.Duration(secs)*time.Second > MaxSessionDuration {
			return "", badRequest("SessionDuration %q must be whole seconds from 900 to 43200", d)
		}
		session = time.Duration(secs) * time.Second
	}
	creds, err := h.Store.GetRoleCredentials(r.Context(), s.SessionID)
	denied := wire.Errorf(http.StatusForbidden, "AccessDenied", "the credentials in Session are not valid")
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return "", denied
	case err != nil:
		return "", err
	case subtle.ConstantTimeCompare([]byte(s.SessionKey), []byte(creds.SecretAccessKey)) != 1,
		subtle.ConstantTimeCompare([]byte(s.SessionToken), []byte(creds.SessionToken)) != 1:
		return "", denied
	case !h.now().Before(creds.Expiration):
		return "", wire.Errorf(http.StatusForbidden, "ExpiredToken", "the credentials in Session expired at %s", creds.Expiration.UTC().Format(time.RFC3339))
	}
	return h.sign(r.Context(), claims{
		Use:         useSignin,
		AccessKeyID: creds.AccessKeyID,
		Expires:     h.now().Add(TokenTTL).Unix(),
		Session:     int64(session / time.Second),
	})
}

// consoleHost reports whether host is an AWS console host, where login may
// send the browser.
func consoleHost(host string) bool {
	for _, h := range []string{"console.aws.amazon.com", "console.amazonaws-us-gov.com", "console.amazonaws.cn"} {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c, _, err := h.verify(r.Context(), q.Get("SigninToken"), useSignin)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	dest, err := url.Parse(q.Get("Destination"))
	if err != nil || q.Get("Destination") == "" || dest.Host == "" {
		http.Error(w, "Destination must be an absolute URL", http.StatusBadRequest)
		return
	}
	local := dest.Host == r.Host
	if !local && !(dest.Scheme == "https" && consoleHost(dest.Hostname())) {
		http.Error(w, fmt.Sprintf("Destination %q is neither this emulator nor an AWS console host", dest.Host), http.StatusBadRequest)
		return
	}
	if local {
		cookie, err := h.sign(r.Context(), claims{
			Use:         useConsole,
			AccessKeyID: c.AccessKeyID,
			Expires:     h.now().Add(time.Duration(c.Session) * time.Second).Unix(),
			Session:     c.Session,
		})
		if err != nil {
			http.Error(w, "could not sign the console session", http.StatusInternalServerError)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: cookie, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, MaxAge: int(c.Session)})
	}
	http.Redirect(w, r, dest.String(), http.StatusFound)
}

var consolePage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("console").Parse(consolePageHTML))
})

const consolePageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AWS console (emulated)</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;color:#16191f}
dt{font-weight:600;margin-top:.8rem}code{background:#f2f3f3;padding:.1rem .3rem}</style></head>
<body><h1>AWS console (emulated)</h1>
<p>You are signed in to the console of this local Identity Center.</p>
<dl>
<dt>Account</dt><dd id="account"><code>{{.Account}}</code></dd>
<dt>Role</dt><dd id="role"><code>{{.Role}}</code></dd>
<dt>User</dt><dd id="user"><code>{{.User}}</code></dd>
<dt>Assumed role ARN</dt><dd id="arn"><code>{{.ARN}}</code></dd>
<dt>Session ends</dt><dd id="expires">{{.Expires}}</dd>
</dl></body></html>
`

func (h *Handler) console(w http.ResponseWriter, r *http.Request) {
	cookie, err := r.Cookie(CookieName)
	if err != nil {
		http.Error(w, "not signed in to the console: open a federation sign-in URL (Action=login) first", http.StatusUnauthorized)
		return
	}
	c, creds, err := h.verify(r.Context(), cookie.Value, useConsole)
	if err != nil {
		http.Error(w, "the console session is not valid or has ended: sign in again", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = consolePage().Execute(w, map[string]string{
		"Account": creds.AccountID,
		"Role":    creds.RoleName,
		"User":    creds.Username,
		"ARN":     sts.CallerARN(creds),
		"Expires": time.Unix(c.Expires, 0).UTC().Format(time.RFC1123),
	})
}
