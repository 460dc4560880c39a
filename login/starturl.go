package login

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/loopback"
)

// StartURL is a start URL as configured and as the service knows it.
type StartURL struct {
	// Configured is sso_start_url as written: it names the cached token and
	// client registration, as the AWS CLI names them.
	Configured string
	// Resolved is what RegisterClient (issuerUrl) and
	// StartDeviceAuthorization (startUrl) receive: Configured itself for a
	// portal on an AWS host, else where the organisation's own URL
	// redirects.
	Resolved string
	// Region is the portal's region when the resolved host names one
	// (ID.portal.REGION.app.aws, ID.REGION.portal.amazonaws.com, ...), else "".
	Region string
}

// StartURLError means a start URL cannot be used to sign in.
type StartURLError struct {
	URL    string
	Reason string
	Err    error // the request's failure, if one was made
}

func (e *StartURLError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("start URL %s: %s: %v", e.URL, e.Reason, e.Err)
	}
	return fmt.Sprintf("start URL %s: %s", e.URL, e.Reason)
}

func (e *StartURLError) Unwrap() error { return e.Err }

// awsPortalSuffixes and awsPortalHosts are the hosts of AWS's own access
// portals, used as they are (SSO-PROTOCOL.md §2.7.4).
var (
	awsPortalSuffixes = []string{".awsapps.com", ".awsapps.cn", ".app.aws", ".portal.amazonaws.com", ".portal.amazonaws.com.cn",
		".app.amazonwebservices.com.cn", ".portal.amazonaws.eu", ".api.amazonwebservices.eu"}
	awsPortalHosts = []string{"identitycenter.amazonaws.com", "identitycenter.amazonaws.com.cn", "identitycenter.amazonaws.eu",
		"identitycenter.us-gov.amazonaws.com"}
)

// IsAWSPortalHost reports whether host is one of AWS's own access-portal
// hosts, which need no resolving.
func IsAWSPortalHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, h := range awsPortalHosts {
		if host == h {
			return true
		}
	}
	for _, s := range awsPortalSuffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// portalRegionPatterns find the region in a portal's host name.
var portalRegionPatterns = sync.OnceValue(func() []*regexp.Regexp {
	var res []*regexp.Regexp
	for _, p := range []string{
		`^[^.]+\.portal\.([a-z0-9-]+)\.app\.aws$`,
		`^[^.]+\.portal\.([a-z0-9-]+)\.app\.amazonwebservices\.com\.cn$`,
		`^[^.]+\.portal\.([a-z0-9-]+)\.api\.amazonwebservices\.eu$`,
		`^[^.]+\.([a-z0-9-]+)\.portal\.amazonaws\.(?:com|com\.cn|eu)$`,
	} {
		res = append(res, regexp.MustCompile(p))
	}
	return res
})

// PortalRegion is the region an access portal's host names, or "".
func PortalRegion(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, re := range portalRegionPatterns() {
		if m := re.FindStringSubmatch(host); m != nil && config.IsRegion(m[1]) {
			return m[1]
		}
	}
	return ""
}

// ResolveStartURL finds what the session's start URL stands for, once per
// session, as the AWS CLI does since 2.35.13: a portal on an AWS host is
// used as it is, with no request; any other https URL (an organisation's
// own domain) gets a HEAD request (GET when HEAD is refused), whose one
// redirect must lead to an AWS portal over https. When the portal's host
// names a region other than sso_region, the session signs in there: its
// region and the endpoints the user did not set follow, and SSO reports
// it. Plain http is accepted only for a loopback host (an emulator).
func (s *Session) ResolveStartURL(ctx context.Context) (*StartURL, error) {
	s.mu.Lock()
	start, err := s.start, s.startErr
	s.mu.Unlock()
	if start != nil || err != nil {
		return start, err
	}
	start, err = s.resolveStartURL(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err // not kept: a later call may get through
		}
		s.mu.Lock()
		s.startErr = err
		s.mu.Unlock()
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.start = start
	if start.Region != "" && start.Region != s.sso.Region {
		s.sso.Region = start.Region
		s.sso.Endpoints = s.sso.Endpoints.ForSSORegion(start.Region)
		s.oidc, s.portal = nil, nil
	}
	return start, nil
}

// resolvedStartURL is what the service is sent as the start URL: the
// resolved one once ResolveStartURL succeeded, else the configured one.
func (s *Session) resolvedStartURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.start != nil {
		return s.start.Resolved
	}
	return s.sso.StartURL
}

func (s *Session) resolveStartURL(ctx context.Context) (*StartURL, error) {
	configured := s.sso.StartURL
	u, err := url.Parse(configured)
	if err != nil || u.Host == "" {
		return nil, &StartURLError{URL: configured, Reason: "not a URL with a host"}
	}
	switch {
	case u.Scheme == "http" && loopback.IsHost(u.Hostname()):
		return &StartURL{Configured: configured, Resolved: configured}, nil
	case u.Scheme != "https":
		return nil, &StartURLError{URL: configured, Reason: "the start URL must use https"}
	case IsAWSPortalHost(u.Hostname()):
		return &StartURL{Configured: configured, Resolved: configured}, nil
	}

	hc, err := s.http()
	if err != nil {
		return nil, err
	}
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := startURLRequest(ctx, &noFollow, http.MethodHead, configured)
	if err == nil && (resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode == http.StatusNotImplemented) {
		resp, err = startURLRequest(ctx, &noFollow, http.MethodGet, configured)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &StartURLError{URL: configured, Reason: "could not reach it to find the AWS access portal it leads to", Err: err}
	}
	loc := resp.Header.Get("Location")
	if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
		return nil, &StartURLError{URL: configured, Reason: fmt.Sprintf("it answered %s instead of redirecting to an AWS access portal (a start URL on your organisation's domain must redirect to the portal's URL)", resp.Status)}
	}
	target, err := u.Parse(loc)
	if err != nil {
		return nil, &StartURLError{URL: configured, Reason: fmt.Sprintf("it redirects to %q, which is not a URL", loc)}
	}
	if target.Scheme != "https" || !IsAWSPortalHost(target.Hostname()) {
		return nil, &StartURLError{URL: configured, Reason: fmt.Sprintf("it redirects to %s, which is not an AWS access portal over https", target.Redacted())}
	}
	return &StartURL{Configured: configured, Resolved: target.String(), Region: PortalRegion(target.Hostname())}, nil
}

func startURLRequest(ctx context.Context, c *http.Client, method, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}
