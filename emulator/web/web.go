package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
)

// ErrNotFound is what an Authorizer returns for a user code or consent
// request that is unknown, expired or already used.
var ErrNotFound = errors.New("not found")

// Users is the directory as the pages need it.
type Users interface {
	// CheckPassword reports whether the password is right and, when it is,
	// the user's base32 TOTP secret ("" when the user has none).
	CheckPassword(username, password string) (totpSecret string, ok bool)
	// Assignments lists the accounts and roles the user can reach.
	Assignments(username string) []directory.AccountRoles
}

// DeviceRequest is a pending device authorization, found by its user code.
type DeviceRequest struct {
	UserCode, ClientName string
	ExpiresAt            time.Time
}

// ConsentRequest is a pending PKCE authorization request.
type ConsentRequest struct {
	ID, ClientName string
	Scopes         []string
	RedirectURI    string
	ExpiresAt      time.Time
}

// Authorizer approves or denies pending requests of the OIDC service.
type Authorizer interface {
	// LookupDevice finds a pending request; the match ignores case and the
	// hyphen. It returns ErrNotFound when the code is unknown, expired or used.
	LookupDevice(ctx context.Context, userCode string) (DeviceRequest, error)
	ApproveDevice(ctx context.Context, userCode, username string) error
	DenyDevice(ctx context.Context, userCode string) error
	LookupConsent(ctx context.Context, id string) (ConsentRequest, error)
	// ApproveConsent returns redirect_uri?code=...&state=...
	ApproveConsent(ctx context.Context, id, username string) (redirectURL string, err error)
	// DenyConsent returns redirect_uri?error=access_denied&...&state=...
	DenyConsent(ctx context.Context, id string) (redirectURL string, err error)
}

// Defaults of the Handler's optional fields.
const (
	DefaultMaxFailures     = 5
	DefaultFailureWindow   = 15 * time.Minute
	DefaultSessionLifetime = 8 * time.Hour
)

// Handler serves the pages. Set the fields, then call Mount once.
type Handler struct {
	Users Users
	Authz Authorizer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// StartURL and Region are shown on the portal page, for people
	// configuring a client.
	StartURL, Region string

	// MaxFailures wrong passwords, TOTP codes or user codes within
	// FailureWindow, per user or per browser session, and further attempts
	// are refused with 429 until the oldest failure leaves the window.
	MaxFailures   int
	FailureWindow time.Duration
	// SessionLifetime is how long a browser stays signed in.
	SessionLifetime time.Duration

	once     sync.Once
	sessions *sessionStore
	limits   *limiter
}

func (h *Handler) init() {
	h.once.Do(func() {
		if h.MaxFailures <= 0 {
			h.MaxFailures = DefaultMaxFailures
		}
		if h.FailureWindow <= 0 {
			h.FailureWindow = DefaultFailureWindow
		}
		if h.SessionLifetime <= 0 {
			h.SessionLifetime = DefaultSessionLifetime
		}
		h.sessions = newSessionStore(h.SessionLifetime)
		h.limits = newLimiter(h.MaxFailures, h.FailureWindow)
	})
}

// Mount registers the pages on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	h.init()
	mux.HandleFunc("GET /{$}", h.root)
	mux.HandleFunc("GET /start", h.start)
	mux.HandleFunc("GET /signin", h.signinPage)
	mux.HandleFunc("POST /signin", h.signin)
	mux.HandleFunc("POST /signout", h.signout)
	mux.HandleFunc("GET /device", h.devicePage)
	mux.HandleFunc("POST /device", h.device)
	mux.HandleFunc("GET /consent", h.consentPage)
	mux.HandleFunc("POST /consent", h.consent)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) root(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/start", http.StatusFound)
}

// requireUser returns the signed-in session, or sends the browser to the
// sign-in page with a way back here.
func (h *Handler) requireUser(w http.ResponseWriter, r *http.Request) (session, bool) {
	s := h.session(w, r)
	if s.user == "" {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
		return s, false
	}
	return s, true
}

func (h *Handler) start(w http.ResponseWriter, r *http.Request) {
	s, ok := h.requireUser(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "start.html", &page{
		Title:    "AWS access portal",
		Session:  s,
		Accounts: h.Users.Assignments(s.user),
	})
}

// --- sign-in ---

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	s := h.session(w, r)
	if s.user != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := &page{Title: "Sign in", Session: s, Next: next, Purpose: purpose(next)}
	if r.URL.Query().Has("signed_out") {
		p.Notice = "You have signed out."
	}
	h.render(w, r, http.StatusOK, "signin.html", p)
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	s, ok := h.postSession(w, r)
	if !ok {
		return
	}
	next := safeNext(r.PostFormValue("next"))
	if r.PostFormValue("step") == "totp" {
		h.signinTOTP(w, r, s, next)
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	p := &page{Title: "Sign in", Session: s, Next: next, Purpose: purpose(next), Username: username}
	if username == "" || password == "" {
		p.Error = "Enter your username and password."
		h.render(w, r, http.StatusBadRequest, "signin.html", p)
		return
	}
	keys := []string{"password user:" + username, "password session:" + s.id}
	if h.tooMany(w, r, keys...) {
		return
	}
	secret, ok := h.Users.CheckPassword(username, password)
	if !ok {
		h.limits.fail(h.now(), keys...)
		p.Error = "The username or password is not right. Check them and try again."
		h.render(w, r, http.StatusUnauthorized, "signin.html", p)
		return
	}
	if secret != "" {
		s.pendingUser, s.pendingSecret = username, secret
		h.sessions.put(s)
		h.render(w, r, http.StatusOK, "totp.html", &page{Title: "Enter your code", Session: s, Next: next, Username: username})
		return
	}
	h.completeSignin(w, r, s, username, next)
}

func (h *Handler) signinTOTP(w http.ResponseWriter, r *http.Request, s session, next string) {
	if s.pendingUser == "" {
		h.render(w, r, http.StatusBadRequest, "signin.html", &page{
			Title: "Sign in", Session: s, Next: next, Purpose: purpose(next),
			Error: "Your sign-in was interrupted. Enter your username and password again.",
		})
		return
	}
	keys := []string{"password user:" + s.pendingUser, "password session:" + s.id}
	if h.tooMany(w, r, keys...) {
		return
	}
	// People type codes the way apps show them, often "123 456".
	code := strings.Join(strings.Fields(r.PostFormValue("code")), "")
	if !directory.CheckTOTP(s.pendingSecret, code, h.now()) {
		h.limits.fail(h.now(), keys...)
		h.render(w, r, http.StatusUnauthorized, "totp.html", &page{
			Title: "Enter your code", Session: s, Next: next, Username: s.pendingUser,
			Error: "That code is not right. Enter the 6-digit code your authenticator app shows now.",
		})
		return
	}
	h.completeSignin(w, r, s, s.pendingUser, next)
}

func (h *Handler) completeSignin(w http.ResponseWriter, r *http.Request, old session, username, next string) {
	h.limits.reset("password user:"+username, "password session:"+old.id)
	h.sessions.delete(old.id)
	s := h.sessions.create(h.now())
	s.user = username
	h.sessions.put(s)
	h.setCookie(w, r, s)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	s, ok := h.postSession(w, r)
	if !ok {
		return
	}
	h.sessions.delete(s.id)
	h.clearCookie(w, r)
	http.Redirect(w, r, "/signin?signed_out=1", http.StatusSeeOther)
}

// tooMany answers 429 when any key has reached the failure limit.
func (h *Handler) tooMany(w http.ResponseWriter, r *http.Request, keys ...string) bool {
	wait, blocked := h.limits.blocked(h.now(), keys...)
	if !blocked {
		return false
	}
	minutes := int((wait + time.Minute - 1) / time.Minute)
	w.Header().Set("Retry-After", fmt.Sprint(int((wait+time.Second-1)/time.Second)))
	h.renderMessage(w, r, http.StatusTooManyRequests, message{
		Title:   "Too many attempts",
		Heading: "Too many failed attempts",
		Text:    fmt.Sprintf("To protect the account, this is paused after %d wrong entries in %s.", h.MaxFailures, humanDuration(h.FailureWindow)),
		Hint:    fmt.Sprintf("Try again in %s.", plural(minutes, "minute")),
	})
	return true
}

// --- device authorization ---

func (h *Handler) devicePage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.requireUser(w, r)
	if !ok {
		return
	}
	code := strings.TrimSpace(r.URL.Query().Get("user_code"))
	if code == "" {
		h.render(w, r, http.StatusOK, "device_code.html", &page{Title: "Authorize a device", Session: s})
		return
	}
	keys := []string{"usercode user:" + s.user, "usercode session:" + s.id}
	if h.tooMany(w, r, keys...) {
		return
	}
	req, err := h.Authz.LookupDevice(r.Context(), code)
	if errors.Is(err, ErrNotFound) {
		h.limits.fail(h.now(), keys...)
		h.render(w, r, http.StatusNotFound, "device_code.html", &page{
			Title: "Authorize a device", Session: s, UserCode: code,
			Error: "That code was not found. It may have expired or been used already. Check the code your application shows, or start the sign-in again there.",
		})
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	req.ClientName = clientName(req.ClientName)
	h.render(w, r, http.StatusOK, "device_confirm.html", &page{
		Title: "Authorize " + req.ClientName, Session: s, Device: req,
		ExpiresIn: h.until(req.ExpiresAt),
	})
}

func (h *Handler) device(w http.ResponseWriter, r *http.Request) {
	s, ok := h.postSession(w, r)
	if !ok {
		return
	}
	code := strings.TrimSpace(r.PostFormValue("user_code"))
	if s.user == "" {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/device?user_code="+url.QueryEscape(code)), http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	req, err := h.Authz.LookupDevice(ctx, code)
	req.ClientName = clientName(req.ClientName)
	if err == nil {
		switch r.PostFormValue("action") {
		case "allow":
			err = h.Authz.ApproveDevice(ctx, code, s.user)
		case "deny":
			err = h.Authz.DenyDevice(ctx, code)
		default:
			h.badAction(w, r)
			return
		}
	}
	if errors.Is(err, ErrNotFound) {
		h.renderMessage(w, r, http.StatusNotFound, message{
			Title:   "Request not found",
			Heading: "This request is no longer waiting",
			Text:    "The code has expired, or the request was already approved or denied.",
			Hint:    "Start the sign-in again in your application to get a new code.",
		})
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	if r.PostFormValue("action") == "allow" {
		h.renderMessage(w, r, http.StatusOK, message{
			Title:   "Request approved",
			Heading: "Request approved",
			Success: true,
			Text:    fmt.Sprintf("%s is now signed in as %s.", req.ClientName, s.user),
			Hint:    "You can close this window and return to the application.",
		})
		return
	}
	h.renderMessage(w, r, http.StatusOK, message{
		Title:   "Request denied",
		Heading: "Request denied",
		Text:    fmt.Sprintf("%s was not given access to your accounts.", req.ClientName),
		Hint:    "You can close this window. The application will report that sign-in was denied.",
	})
}

// --- PKCE consent ---

func (h *Handler) consentPage(w http.ResponseWriter, r *http.Request) {
	s, ok := h.requireUser(w, r)
	if !ok {
		return
	}
	req, err := h.Authz.LookupConsent(r.Context(), r.URL.Query().Get("request"))
	if errors.Is(err, ErrNotFound) {
		h.consentGone(w, r)
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	req.ClientName = clientName(req.ClientName)
	h.render(w, r, http.StatusOK, "consent.html", &page{
		Title: "Allow " + req.ClientName, Session: s, Consent: req,
		Scopes:    describeScopes(req.Scopes),
		ReturnTo:  returnTo(req.RedirectURI),
		ExpiresIn: h.until(req.ExpiresAt),
	})
}

func (h *Handler) consent(w http.ResponseWriter, r *http.Request) {
	s, ok := h.postSession(w, r)
	if !ok {
		return
	}
	id := r.PostFormValue("request")
	if s.user == "" {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/consent?request="+url.QueryEscape(id)), http.StatusSeeOther)
		return
	}
	var redirect string
	var err error
	switch r.PostFormValue("action") {
	case "allow":
		redirect, err = h.Authz.ApproveConsent(r.Context(), id, s.user)
	case "deny":
		redirect, err = h.Authz.DenyConsent(r.Context(), id)
	default:
		h.badAction(w, r)
		return
	}
	if errors.Is(err, ErrNotFound) {
		h.consentGone(w, r)
		return
	}
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	http.Redirect(w, r, redirect, http.StatusSeeOther)
}

func (h *Handler) consentGone(w http.ResponseWriter, r *http.Request) {
	h.renderMessage(w, r, http.StatusNotFound, message{
		Title:   "Request not found",
		Heading: "This sign-in request is no longer waiting",
		Text:    "It has expired, or it was already approved or denied.",
		Hint:    "Go back to the application and start the sign-in again.",
	})
}

func (h *Handler) badAction(w http.ResponseWriter, r *http.Request) {
	h.renderMessage(w, r, http.StatusBadRequest, message{
		Title:   "Choose Allow or Deny",
		Heading: "Nothing was chosen",
		Text:    "The form was sent without Allow or Deny, so nothing was changed.",
		Hint:    "Go back and press one of the buttons.",
	})
}

func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.renderMessage(w, r, http.StatusInternalServerError, message{
		Title:   "Something went wrong",
		Heading: "Something went wrong",
		Text:    "The emulator could not complete the request: " + err.Error(),
		Hint:    "Try again; if it keeps happening, check the emulator's log.",
	})
}

// purpose tells a person signing in what comes after, from where they go
// next.
func purpose(next string) string {
	switch {
	case strings.HasPrefix(next, "/device"):
		return "Sign in to approve an application that asked to use your account."
	case strings.HasPrefix(next, "/consent"):
		return "Sign in to answer an application's request to access your AWS accounts."
	default:
		return "Sign in to see your AWS accounts and roles."
	}
}

// safeNext keeps redirects after sign-in on this site: only a path is
// accepted, never "//host" or "/\host", which browsers treat as another site.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/start"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/start"
	}
	return next
}

func (h *Handler) until(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(h.now())
	if d <= 0 {
		return "now"
	}
	return "in " + humanDuration(d)
}

func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return plural(int((d+time.Second-1)/time.Second), "second")
	}
	if d < time.Hour {
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	}
	return plural(int((d+time.Hour-1)/time.Hour), "hour")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// clientName names the application on the pages; RegisterClient requires
// a name, but a page must still read well without one.
func clientName(name string) string {
	if strings.TrimSpace(name) == "" {
		return "An unnamed application"
	}
	return name
}

// returnTo is the address the browser goes back to after a choice, shown so
// a person can tell it is their own machine.
func returnTo(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Host == "" {
		return redirectURI
	}
	return u.Scheme + "://" + u.Host
}

type scopeView struct{ Name, Description string }

var scopeDescriptions = map[string]string{
	"sso:account:access": "See the AWS accounts and roles assigned to you, and get temporary credentials for them.",
}

func describeScopes(scopes []string) []scopeView {
	if len(scopes) == 0 {
		scopes = []string{"sso:account:access"}
	}
	out := make([]scopeView, 0, len(scopes))
	for _, s := range scopes {
		d, ok := scopeDescriptions[s]
		if !ok {
			d = "Act for you with the access this scope grants."
		}
		out = append(out, scopeView{Name: s, Description: d})
	}
	return out
}
