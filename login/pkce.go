package login

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/google/uuid"

	"github.com/ssokit/ssokit/internal/loopback"
	"github.com/ssokit/ssokit/tokencache"
)

// pkce runs the authorization code flow: a loopback listener receives the
// code from the browser, and CreateToken trades it with the verifier that
// only this process knows.
func (s *Session) pkce(ctx context.Context) (*tokencache.Token, error) {
	reg, _, err := s.registration(ctx, true, false)
	if err != nil {
		return nil, err
	}
	want, setting := s.o.Port, ""
	if want == 0 && s.sso.CallbackPort != 0 {
		want = s.sso.CallbackPort
		setting = fmt.Sprintf("ssokit_callback_port of sso-session %q", s.sso.SessionName)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", want))
	if err != nil {
		return nil, &ListenError{Port: want, Setting: setting, Session: s.sso.SessionName, Err: err}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirectURI := fmt.Sprintf("http://127.0.0.1:%d/oauth/callback", port)
	verifier, err := newVerifier()
	if err != nil {
		ln.Close()
		return nil, err
	}
	state := uuid.NewString()
	authURL := authorizeURL(s.OIDCEndpoint(), reg.ClientID, redirectURI, state, s.scopes(), challenge(verifier))

	cb := serveCallback(ln, state)
	defer cb.close()

	if s.o.NoBrowser || s.o.Browser == nil {
		fmt.Fprintf(s.o.Messages, "Open this URL in a browser on this computer to sign in (it returns to 127.0.0.1:%d):\n\n  %s\n\n", port, authURL)
	} else {
		fmt.Fprintf(s.o.Messages, "Opening the sign-in page in your browser. If it does not open, open this URL:\n\n  %s\n\n", authURL)
		if err := s.o.Browser.Open(authURL); err != nil {
			// Nothing will come back to the listener from a browser that did
			// not start: the device code works from any device instead.
			fmt.Fprintf(s.o.Messages, "Could not open a browser (%v); signing in with a code instead.\n\n", err)
			cb.close()
			return s.deviceCode(ctx, true)
		}
	}

	s.o.startSpinner("Waiting for you to sign in in the browser (Ctrl-C to cancel)")
	code, err := cb.wait(ctx, s.o.AuthorizationTimeout)
	s.o.stopSpinner()
	if err != nil {
		return nil, err
	}
	out, err := s.client().CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(reg.ClientID),
		ClientSecret: aws.String(reg.ClientSecret),
		GrantType:    aws.String(grantAuthCode),
		Code:         aws.String(code),
		RedirectUri:  aws.String(redirectURI),
		CodeVerifier: aws.String(verifier),
	}, signInCall)
	if err != nil {
		return nil, apiError("sign in", "SSO OIDC", s.OIDCEndpoint(), err)
	}
	return s.finish(reg, out)
}

// verifierChars is RFC 7636's unreserved set.
const verifierChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// newVerifier returns 64 characters drawn uniformly from verifierChars.
func newVerifier() (string, error) {
	const n = 64
	// Bytes at or above the largest multiple of len(verifierChars) are
	// dropped so that every character is equally likely.
	limit := byte(256 - 256%len(verifierChars))
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("generate the PKCE verifier: %w", err)
		}
		for _, b := range buf {
			if b < limit && len(out) < n {
				out = append(out, verifierChars[int(b)%len(verifierChars)])
			}
		}
	}
	return string(out), nil
}

// challenge is the S256 code challenge: base64url without padding.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeURL builds the /authorize URL exactly as the AWS CLI does: on
// the scheme and host of the OIDC endpoint (a path is dropped), parameters
// in the CLI's order, RFC 3986 encoding, scopes space-separated, and the
// challenge last.
func authorizeURL(endpoint, clientID, redirectURI, state string, scopes []string, codeChallenge string) string {
	base := endpoint
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		base = u.Scheme + "://" + u.Host
	}
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("/authorize?")
	for i, kv := range [][2]string{
		{"response_type", "code"},
		{"client_id", clientID},
		{"redirect_uri", redirectURI},
		{"state", state},
		{"code_challenge_method", "S256"},
		{"scopes", strings.Join(scopes, " ")},
	} {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[0])
		b.WriteByte('=')
		b.WriteString(escape(kv[1]))
	}
	b.WriteString("&code_challenge=")
	b.WriteString(codeChallenge)
	return b.String()
}

// escape percent-encodes all but the unreserved characters. QueryEscape
// does that except for turning a space into '+' (and '+' itself into %2B,
// so every '+' left stands for a space).
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// callback is the one-shot loopback listener of the PKCE flow.
type callback struct {
	srv    *http.Server
	done   chan callbackResult
	once   sync.Once
	closed sync.Once
}

type callbackResult struct {
	code string
	err  error
}

func serveCallback(ln net.Listener, state string) *callback {
	cb := &callback{done: make(chan callbackResult, 1)}
	cb.srv = &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cb.handle(w, r, state) }),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = cb.srv.Serve(ln) }()
	return cb
}

// handle answers every request with a page. Only the answer to this
// sign-in (its state) ends the wait: a stray request (the favicon, a
// reload of an old sign-in's page, another program's guess) is answered
// with a page saying so, and the wait goes on. Requests whose Host header
// is not a loopback name (a page reaching the port by DNS rebinding) are
// refused.
func (cb *callback) handle(w http.ResponseWriter, r *http.Request, state string) {
	if !loopback.HostHeader(r.Host) {
		http.Error(w, "this address answers only to 127.0.0.1 and localhost", http.StatusMisdirectedRequest)
		return
	}
	q := r.URL.Query()
	code, oauthErr := q.Get("code"), q.Get("error")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if code == "" && oauthErr == "" {
		if r.URL.Path != "/oauth/callback" {
			http.NotFound(w, r)
			return
		}
		writePage(w, http.StatusBadRequest, page{Title: "Waiting for sign-in", Text: "This address only receives the answer of the AWS sign-in page. Finish signing in in the other tab."})
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		writePage(w, http.StatusBadRequest, page{Title: "Not this sign-in", Failed: true,
			Text: "This answer belongs to another sign-in (its state does not match), so it was ignored. Finish signing in in the tab ssokit opened for this one: ssokit is still waiting for it."})
		return
	}
	var res callbackResult
	switch {
	case oauthErr == "access_denied":
		res.err = ErrDenied
	case oauthErr != "":
		msg := oauthErr
		if d := q.Get("error_description"); d != "" {
			msg += ": " + d
		}
		res.err = fmt.Errorf("the sign-in failed in the browser: %s; run the command again", msg)
	default:
		res.code = code
	}
	if res.err != nil {
		writePage(w, http.StatusOK, page{Title: "Sign-in failed", Text: strings.ToUpper(res.err.Error()[:1]) + res.err.Error()[1:] + ". You can close this window.", Failed: true})
	} else {
		writePage(w, http.StatusOK, page{Title: "Signed in to AWS", Text: "You can close this window and go back to the terminal."})
	}
	cb.once.Do(func() { cb.done <- res })
}

// wait blocks until the browser comes back, the timeout passes or ctx ends.
func (cb *callback) wait(ctx context.Context, timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case res := <-cb.done:
		return res.code, res.err
	case <-t.C:
		return "", ErrAuthorizationExpired
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// close stops the listener, giving the last page a moment to be sent.
func (cb *callback) close() {
	cb.closed.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if cb.srv.Shutdown(ctx) != nil {
			cb.srv.Close()
		}
	})
}

type page struct {
	Title, Text string
	Failed      bool
}

// pageTmpl is parsed on first use: ssokit links this package into every
// command, and start-up time matters for credential_process.
var pageTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageHTML))
})

const pageHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · ssokit</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f6f8;color:#16191f;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2.5rem 3rem;max-width:32rem;text-align:center}
h1{font-size:1.4rem;margin:.5rem 0 1rem}.mark{font-size:2.5rem;color:{{if .Failed}}#d13212{{else}}#1d8102{{end}}}
p{line-height:1.5;color:#414750}
</style></head>
<body><main><div class="mark">{{if .Failed}}&#10007;{{else}}&#10003;{{end}}</div><h1>{{.Title}}</h1><p>{{.Text}}</p></main></body></html>
`

func writePage(w http.ResponseWriter, status int, p page) {
	w.WriteHeader(status)
	_ = pageTmpl().Execute(w, p)
}
