package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"sync"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/internal/wire"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages maps a template file name to the page built from it on top of the
// shared layout; parsed once, at start-up, so a broken template fails every
// test rather than one request.
// pages are parsed on first use: every ssokit command links this package,
// and start-up time matters for credential_process.
var pages = sync.OnceValue(parsePages)

func parsePages() map[string]*template.Template {
	layout := template.Must(template.ParseFS(templateFS, "templates/layout.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	m := make(map[string]*template.Template, len(names))
	for _, n := range names {
		base := n[len("templates/"):]
		if base == "layout.html" {
			continue
		}
		m[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, n))
	}
	return m
}

// page is what every template sees; each page uses the fields it needs.
type page struct {
	Title   string
	Session session
	Error   string
	Notice  string

	StartURL, Region string
	// BaseURL is this emulator's origin as the browser reached it.
	BaseURL string

	Next string
	// Purpose says on the sign-in page what signing in is for.
	Purpose  string
	Username string
	UserCode string

	Device    DeviceRequest
	Consent   ConsentRequest
	Scopes    []scopeView
	ReturnTo  string
	ExpiresIn string

	Accounts []directory.AccountRoles

	Message message
}

// User and CSRF let the layout show who is signed in and a sign-out button.
func (p *page) User() string { return p.Session.user }
func (p *page) CSRF() string { return p.Session.csrf }

// message is the content of a page that only tells the person something:
// success, denial or an error.
type message struct {
	Title, Heading, Text, Hint string
	Success                    bool
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	p.StartURL, p.Region = h.StartURL, h.Region
	p.BaseURL = wire.Origin(r)
	var buf bytes.Buffer
	if err := pages()[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	// Pages carry per-session tokens: never cache them. No scripts, no
	// framing, no outside assets. form-action is left open on purpose: the
	// consent form's answer redirects to the client's loopback address.
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderMessage shows m, keeping the header of a signed-in person.
func (h *Handler) renderMessage(w http.ResponseWriter, r *http.Request, status int, m message) {
	s, _ := h.existingSession(r)
	h.render(w, r, status, "message.html", &page{Title: m.Title, Session: s, Message: m})
}
