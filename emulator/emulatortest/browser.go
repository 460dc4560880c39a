package emulatortest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/htmlform"
)

// Browser plays a person on the emulator's pages: it keeps cookies, signs
// in when asked (typing the current TOTP code when the user has a secret),
// and presses Allow or Deny. Use it wherever a test needs a browser:
//
//	b := srv.Browser(t, "demo", password)
//	f.Browser = &browserstub.Stub{Follow: b.Follow}
//
// Its methods are safe to call from the goroutine a login flow opens URLs
// on; calls are handled one at a time.
type Browser struct {
	// Now is the clock TOTP codes are computed on; set it to the
	// emulator's clock when the test runs the server on a fake one.
	Now func() time.Time
	// Transport sends the browser's requests; it starts as one trusting
	// the server's CA. Replace it to browse through a proxy.
	Transport http.RoundTripper

	username, password, secret string

	client *http.Client
	mu     sync.Mutex
	// hosts are the hosts that serve the emulator's pages: the server's
	// own, and the host of each URL Follow was given (a proxy may answer
	// for the emulator under another name).
	hosts map[string]bool
}

// maxSteps bounds the pages one Follow walks through (sign-in, code,
// approval, result), so a page loop ends in an error instead of hanging.
const maxSteps = 8

// Browser returns a browser signed in as nobody yet that will sign in as
// username with password when a page asks.
func (s *Server) Browser(t testing.TB, username, password string) *Browser {
	t.Helper()
	base, err := url.Parse(s.URL)
	if err != nil {
		t.Fatalf("emulatortest: server URL %q: %v", s.URL, err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A wrong password gives no secret; the sign-in page then says so and
	// Follow returns that as its error.
	secret, _ := s.Directory.CheckPassword(username, password)
	tr := s.transport()
	b := &Browser{
		username: username, password: password, secret: secret,
		client:    &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: tr},
		Now:       time.Now,
		Transport: tr,
		hosts:     map[string]bool{base.Host: true},
	}
	t.Cleanup(b.client.CloseIdleConnections)
	return b
}

// Follow opens rawURL (a device verificationUriComplete or an /authorize
// URL), signs in if asked, and presses Allow. For PKCE the emulator then
// redirects to the client's loopback listener, which Follow opens too, as a
// browser would; it returns an error if that redirect carries an error.
func (b *Browser) Follow(rawURL string) error { return b.answer(rawURL, "allow") }

// Deny is Follow pressing Deny instead.
func (b *Browser) Deny(rawURL string) error { return b.answer(rawURL, "deny") }

func (b *Browser) answer(rawURL, choice string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.client.Transport = b.Transport
	if u, err := url.Parse(rawURL); err == nil {
		b.hosts[u.Host] = true
	}
	resp, err := b.client.Get(rawURL)
	if err != nil {
		return fmt.Errorf("browser: open %s: %w", rawURL, err)
	}
	decided := false
	for range maxSteps {
		next, done, err := b.step(resp, choice, &decided)
		if done || err != nil {
			return err
		}
		resp = next
	}
	return fmt.Errorf("browser: %s: still on the emulator's pages after %d steps", rawURL, maxSteps)
}

// step reads one page and does what a person would do on it.
func (b *Browser) step(resp *http.Response, choice string, decided *bool) (next *http.Response, done bool, err error) {
	defer resp.Body.Close()
	at := resp.Request.URL
	if !b.hosts[at.Host] {
		// Redirected off the emulator: the client's loopback listener.
		_, _ = io.Copy(io.Discard, resp.Body)
		if e := at.Query().Get("error"); e != "" && choice == "allow" {
			return nil, true, fmt.Errorf("browser: the emulator sent the client an error: %s: %s", e, at.Query().Get("error_description"))
		}
		if resp.StatusCode >= 400 {
			return nil, true, fmt.Errorf("browser: the client's listener at %s answered %s", at.Redacted(), resp.Status)
		}
		return nil, true, nil
	}
	page, err := htmlform.Parse(resp.Body)
	if err != nil {
		return nil, true, fmt.Errorf("browser: %s: %w", at, err)
	}
	if resp.StatusCode >= 400 {
		return nil, true, &PageError{URL: at.String(), Status: resp.StatusCode, Heading: page.Heading, Text: pageMessage(page)}
	}
	submit := func(form htmlform.Form, button string, set map[string]string) (*http.Response, bool, error) {
		var btn htmlform.Button
		if button != "" {
			var ok bool
			if btn, ok = form.Button(button); !ok {
				return nil, true, fmt.Errorf("browser: %s: form %q has no %s button", at, form.ID, button)
			}
		}
		action, err := at.Parse(form.Action)
		if err != nil {
			return nil, true, fmt.Errorf("browser: %s: form action %q: %w", at, form.Action, err)
		}
		values := form.Submit(btn, set)
		var r *http.Response
		if form.Method == http.MethodPost {
			r, err = b.client.PostForm(action.String(), values)
		} else {
			action.RawQuery = values.Encode()
			r, err = b.client.Get(action.String())
		}
		if err != nil {
			return nil, true, fmt.Errorf("browser: submit %s: %w", action, err)
		}
		return r, false, nil
	}
	if f, ok := page.Form("signin"); ok {
		return submit(f, "", map[string]string{"username": b.username, "password": b.password})
	}
	if f, ok := page.Form("totp"); ok {
		if b.secret == "" {
			return nil, true, fmt.Errorf("browser: %s asks for a TOTP code but user %q has no secret in the directory", at, b.username)
		}
		code, err := directory.TOTP(b.secret, b.Now())
		if err != nil {
			return nil, true, fmt.Errorf("browser: user %q: %w", b.username, err)
		}
		return submit(f, "", map[string]string{"code": code})
	}
	for _, id := range []string{"device", "consent"} {
		if f, ok := page.Form(id); ok {
			*decided = true
			return submit(f, choice, nil)
		}
	}
	if _, ok := page.Form("device-code"); ok {
		return nil, true, fmt.Errorf("browser: %s asks for a user code; open the verificationUriComplete URL, which carries it", at)
	}
	if *decided {
		return nil, true, nil
	}
	return nil, true, fmt.Errorf("browser: %s (%q) has nothing to approve", at, page.Heading)
}

// PageError is an error page the emulator showed (403, 404, 429, ...).
type PageError struct {
	URL     string
	Status  int
	Heading string
	Text    string
}

func (e *PageError) Error() string {
	return fmt.Sprintf("browser: %s answered %d %s: %s", e.URL, e.Status, e.Heading, e.Text)
}

// pageMessage is the alert on a page, or its main text without the frame.
func pageMessage(p *htmlform.Page) string {
	if p.Alert != "" {
		return p.Alert
	}
	return p.Main
}
