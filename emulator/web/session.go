package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ssokit/ssokit/emulator/internal/wire"
)

// session is one browser's state. Values are copied in and out of the
// store, so a handler never races another request of the same browser.
type session struct {
	id   string
	csrf string
	// user is set once the person has signed in.
	user string
	// pendingUser and pendingSecret hold a user whose password was right
	// while the TOTP step is outstanding.
	pendingUser   string
	pendingSecret string
	expires       time.Time
}

// maxFormBytes bounds a POSTed form.
const maxFormBytes = 64 << 10

// maxSessions bounds memory when something opens pages without keeping
// cookies; the oldest session is dropped first.
const maxSessions = 10000

type sessionStore struct {
	mu       sync.Mutex
	lifetime time.Duration
	m        map[string]session
}

func newSessionStore(lifetime time.Duration) *sessionStore {
	return &sessionStore{lifetime: lifetime, m: make(map[string]session)}
}

func (st *sessionStore) get(id string, now time.Time) (session, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[id]
	if !ok || now.After(s.expires) {
		delete(st.m, id)
		return session{}, false
	}
	return s, true
}

// create starts a fresh session; signing in calls it again so the ID a
// browser had before signing in is worthless afterwards (session fixation).
func (st *sessionStore) create(now time.Time) session {
	s := session{id: randomToken(), csrf: randomToken(), expires: now.Add(st.lifetime)}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) >= maxSessions {
		st.evict(now)
	}
	st.m[s.id] = s
	return s
}

func (st *sessionStore) put(s session) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.m[s.id]; ok {
		st.m[s.id] = s
	}
}

func (st *sessionStore) delete(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.m, id)
}

// evict drops expired sessions, or the one closest to expiry when none
// has expired.
func (st *sessionStore) evict(now time.Time) {
	var oldest string
	var oldestExp time.Time
	for id, s := range st.m {
		if now.After(s.expires) {
			delete(st.m, id)
			continue
		}
		if oldest == "" || s.expires.Before(oldestExp) {
			oldest, oldestExp = id, s.expires
		}
	}
	if len(st.m) >= maxSessions {
		delete(st.m, oldest)
	}
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// cookieName includes the port: cookies are not isolated by port, so two
// emulators on 127.0.0.1 in one browser would otherwise sign each other out.
func cookieName(r *http.Request) string {
	name := "ssokit_emulator_session"
	if _, port, err := net.SplitHostPort(r.Host); err == nil && port != "" {
		name += "_" + port
	}
	return name
}

// session returns the browser's session, starting one (and setting its
// cookie) when it has none, so every page can carry a CSRF token.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) session {
	if s, ok := h.existingSession(r); ok {
		return s
	}
	s := h.sessions.create(h.now())
	h.setCookie(w, r, s)
	return s
}

func (h *Handler) existingSession(r *http.Request) (session, bool) {
	c, err := r.Cookie(cookieName(r))
	if err != nil {
		return session{}, false
	}
	return h.sessions.get(c.Value, h.now())
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, s session) {
	http.SetCookie(w, &http.Cookie{
		Name:  cookieName(r),
		Value: s.id,
		Path:  "/",
		// No Expires: the server ends sessions on its own clock, and a
		// browser cookie lasting until the browser closes is what a
		// person expects of a sign-in.
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   wire.Secure(r),
	})
}

func (h *Handler) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName(r),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// postSession returns the session of a form submission whose CSRF token
// matches; otherwise it answers 403 and returns false.
func (h *Handler) postSession(w http.ResponseWriter, r *http.Request) (session, bool) {
	// The forms are a few short fields; a bigger body is not a person.
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.renderMessage(w, r, http.StatusBadRequest, message{
			Title:   "The form could not be read",
			Heading: "The form could not be read",
			Text:    "What was sent is too large or not a form, so nothing was changed.",
			Hint:    "Go back, reload the page and try again.",
		})
		return session{}, false
	}
	s, ok := h.existingSession(r)
	token := r.PostFormValue("csrf")
	if !ok || token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) != 1 {
		h.renderMessage(w, r, http.StatusForbidden, message{
			Title:   "This form has expired",
			Heading: "This form has expired",
			Text:    "The page you submitted is too old, was opened in another browser, or came from another site. Nothing was changed.",
			Hint:    "Go back, reload the page and try again; if it came from an application, start the sign-in there again.",
		})
		return session{}, false
	}
	return s, true
}
