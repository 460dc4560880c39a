package login

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// ErrDenied means the person pressed Deny on the approval page.
var ErrDenied = errors.New("the sign-in was denied in the browser")

// ErrAuthorizationExpired means nobody approved the sign-in before the
// request expired.
var ErrAuthorizationExpired = errors.New("the sign-in was not completed in time; run the command again to start a new one")

// ErrNotRefreshable means a token has no refresh token, or its client
// registration has expired, or it belongs to a legacy profile (whose tokens
// the AWS CLI never refreshes): only signing in again gives a new one.
var ErrNotRefreshable = errors.New("the token cannot be refreshed")

// SignInRequiredError means there is no usable token and signing in needs a
// person. Profile and Session say which sign-in would fix it.
type SignInRequiredError struct {
	// Session is the sso-session name, or the start URL for a legacy
	// profile (then Legacy is set).
	Session string
	Legacy  bool
	// ExpiredAt is when the cached token expired; zero if there was none.
	ExpiredAt time.Time
	// Profile is the profile being resolved; "" when working on a session.
	Profile string
	// Err is why a refresh failed, when one was tried.
	Err error
	// OtherSignIn: another process held the session's lock, signing in,
	// and this caller does not sign in itself, so it did not wait.
	OtherSignIn bool
}

func (e *SignInRequiredError) Error() string {
	var b strings.Builder
	if e.ExpiredAt.IsZero() {
		fmt.Fprintf(&b, "no SSO token for %s", e.what())
	} else {
		fmt.Fprintf(&b, "the SSO %s expired at %s", e.what(), e.ExpiredAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " and could not be refreshed: %v", e.Err)
	}
	if e.OtherSignIn {
		b.WriteString(" (another process is signing in to it right now)")
	}
	return b.String()
}

func (e *SignInRequiredError) what() string {
	if e.Legacy {
		return "sign-in for " + e.Session
	}
	return fmt.Sprintf("session %q", e.Session)
}

func (e *SignInRequiredError) Unwrap() error { return e.Err }

// EndpointError means a service could not be reached at all.
type EndpointError struct {
	Service string // "SSO OIDC" or "SSO portal"
	URL     string
	Err     error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("cannot reach the %s service at %s: %v; check the network and any endpoint override (AWS_ENDPOINT_URL_*, endpoint_url)", e.Service, e.URL, e.Err)
}

func (e *EndpointError) Unwrap() error { return e.Err }

// apiError turns an SDK error into one that names the operation and URL,
// keeping cancellation recognisable to the caller.
func apiError(op, service, url string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) {
		cause := sendErr.Err
		var opErr *net.OpError
		if errors.As(cause, &opErr) {
			cause = opErr.Err
		}
		return &EndpointError{Service: service, URL: url, Err: cause}
	}
	return &serviceError{op: op, url: url, err: err}
}

// serviceError is an answer of the service other than success: it reads
// "register the client at URL: InvalidClientException: ..." rather than
// the SDK's whole chain, and still unwraps to the SDK's typed error.
type serviceError struct {
	op, url string
	err     error
}

func (e *serviceError) Error() string {
	var b strings.Builder
	var api smithy.APIError
	if errors.As(e.err, &api) {
		msg := api.ErrorMessage()
		if msg == "" || msg == "UnknownError" { // the SDK's word for an error without a message
			msg = oauthDescription(api)
		}
		if _, throttled := throttleCodes[api.ErrorCode()]; msg == "" && throttled {
			msg = "too many requests"
		}
		if msg == "" {
			msg = "no details given"
		}
		fmt.Fprintf(&b, "%s at %s: %s: %s", e.op, e.url, api.ErrorCode(), msg)
	} else {
		fmt.Fprintf(&b, "%s at %s: %v", e.op, e.url, e.err)
	}
	var gaveUp *retry.MaxAttemptsError
	if errors.As(e.err, &gaveUp) {
		fmt.Fprintf(&b, " (all %d attempts failed: the service is failing or throttling requests; try again in a few minutes)", gaveUp.Attempt)
	}
	return b.String()
}

func (e *serviceError) Unwrap() error { return e.err }

// oauthDescription is the error_description of an OIDC exception: the SDK
// keeps it in a field of each exception type rather than in its message.
func oauthDescription(err error) string {
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	f := v.Elem().FieldByName("Error_description")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
		return ""
	}
	return f.Elem().String()
}

// ListenError means the loopback listener the browser returns to could not
// be opened (Options.Port is taken, say). The device code flow needs none.
type ListenError struct {
	Port int // 0 when any free port was asked for
	// Setting names where the port was configured (the sso-session's
	// ssokit_callback_port), "" when Options.Port asked for it.
	Setting string
	Session string // the sso-session name
	Err     error
}

func (e *ListenError) Error() string {
	if e.Setting != "" {
		return fmt.Sprintf("listen for the browser on 127.0.0.1:%d (%s): %v", e.Port, e.Setting, e.Err)
	}
	return fmt.Sprintf("listen for the browser on 127.0.0.1:%d: %v", e.Port, e.Err)
}

func (e *ListenError) Unwrap() error { return e.Err }

// LockTimeoutError means another process held the session's lock for
// longer than this caller waits: a sign-in in progress (for a caller that
// only waits for refreshes), or a process that is stuck. The lock is
// released when that process ends.
type LockTimeoutError struct {
	What   string // the session, as messages name it
	Path   string // the lock file
	Waited time.Duration
}

func (e *LockTimeoutError) Error() string {
	return fmt.Sprintf("another process has held the lock of %s (%s) for over %s: it is signing in, or it is stuck; try again once it is done, or end it (the lock goes with it)",
		e.What, e.Path, roughly(e.Waited))
}
