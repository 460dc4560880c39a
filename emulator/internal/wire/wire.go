package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// MaxBodyBytes bounds every request body; the largest legitimate request
// (a RegisterClient with many redirect URIs) is a few KiB.
const MaxBodyBytes = 64 << 10

// API says which wire shape an operation's errors take.
type API int

// The emulated APIs.
const (
	OIDC       API = iota // restJson1, body {"error","error_description"}
	Portal                // restJson1, body {"message","__type"}
	STS                   // query protocol, XML <ErrorResponse>
	Federation            // console sign-in: plain JSON, not an AWS API
)

// Op names an operation for counting, faults and error shapes.
type Op struct {
	Name string
	API  API
}

// Middleware wraps the handler of one operation; the server uses it for
// request ids, counting and fault injection.
type Middleware func(op Op, next http.Handler) http.Handler

// Wrap applies m, or nothing when m is nil (handlers used on their own).
func (m Middleware) Wrap(op Op, h http.HandlerFunc) http.Handler {
	if m == nil {
		return WithRequestID(h)
	}
	return m(op, h)
}

// RequestIDHeader is the header every response carries.
const RequestIDHeader = "X-Amzn-Requestid"

// NewRequestID returns a random UUID (version 4), the form AWS uses.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// WithRequestID sets a fresh X-Amzn-RequestId on the response unless one is
// set already.
func WithRequestID(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if w.Header().Get(RequestIDHeader) == "" {
			w.Header().Set(RequestIDHeader, NewRequestID())
		}
		h.ServeHTTP(w, r)
	})
}

// WriteJSON writes v as a 200 JSON response (or status, when given).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// Only our own response structs get here; they always marshal.
		panic(fmt.Sprintf("wire: marshal %T: %v", v, err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// Error is an AWS error in an API-neutral form; Write puts it in the shape of
// the API it is for.
type Error struct {
	Status int
	// Type is the exception name, e.g. "AuthorizationPendingException" or
	// for STS the error code, e.g. "InvalidClientTokenId".
	Type    string
	Message string
	// OAuth is the OIDC body's "error" member, e.g. "authorization_pending".
	OAuth string
	// Reason is the OIDC "reason" member of AccessDenied and InvalidRequest.
	Reason string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Errorf builds an Error.
func Errorf(status int, typ, format string, a ...any) *Error {
	return &Error{Status: status, Type: typ, Message: fmt.Sprintf(format, a...)}
}

// WriteError writes err in api's shape. Errors that are not *Error become an
// InternalServerException (500) carrying no detail.
func WriteError(w http.ResponseWriter, api API, err error) {
	var e *Error
	if !errors.As(err, &e) {
		if rec, ok := w.(InternalErrorRecorder); ok {
			rec.RecordInternalError(err)
		}
		e = &Error{Status: http.StatusInternalServerError, Type: "InternalServerException", OAuth: "server_error",
			Message: "an internal error occurred; see the emulator's log"}
		if api == STS {
			e.Type = "InternalFailure"
		}
	}
	h := w.Header()
	if h.Get(RequestIDHeader) == "" {
		h.Set(RequestIDHeader, NewRequestID())
	}
	switch api {
	case OIDC:
		h.Set("X-Amzn-Errortype", e.Type)
		oauth := e.OAuth
		if oauth == "" {
			oauth = oauthCode(e.Type)
		}
		body := map[string]string{"error": oauth, "error_description": e.Message}
		if e.Reason != "" {
			body["reason"] = e.Reason
		}
		WriteJSON(w, e.Status, body)
	case Portal, Federation:
		h.Set("X-Amzn-Errortype", e.Type)
		WriteJSON(w, e.Status, map[string]string{
			"message": e.Message,
			"__type":  "com.amazonaws.switchboard.portal#" + e.Type,
		})
	case STS:
		writeSTSError(w, e)
	}
}

// InternalErrorRecorder is implemented by a ResponseWriter that wants to
// know the cause of a 500 (the server's middleware logs it); the client only
// sees a generic message.
type InternalErrorRecorder interface {
	RecordInternalError(err error)
}

// oauthCode maps an OIDC exception name to its OAuth "error" value.
func oauthCode(typ string) string {
	switch typ {
	case "AuthorizationPendingException":
		return "authorization_pending"
	case "SlowDownException":
		return "slow_down"
	case "ExpiredTokenException":
		return "expired_token"
	case "AccessDeniedException":
		return "access_denied"
	case "InvalidClientException":
		return "invalid_client"
	case "InvalidGrantException":
		return "invalid_grant"
	case "UnauthorizedClientException":
		return "unauthorized_client"
	case "UnsupportedGrantTypeException":
		return "unsupported_grant_type"
	case "InvalidScopeException":
		return "invalid_scope"
	case "InvalidClientMetadataException":
		return "invalid_client_metadata"
	case "InvalidRedirectUriException":
		return "invalid_redirect_uri"
	case "InternalServerException", "ServiceUnavailableException":
		return "server_error"
	default:
		return "invalid_request"
	}
}

type stsErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// STSNamespace is the XML namespace of STS responses.
const STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

func writeSTSError(w http.ResponseWriter, e *Error) {
	var body stsErrorResponse
	body.Xmlns = STSNamespace
	body.Error.Type = "Sender"
	if e.Status >= 500 {
		body.Error.Type = "Receiver"
	}
	body.Error.Code, body.Error.Message = e.Type, e.Message
	body.RequestID = w.Header().Get(RequestIDHeader)
	WriteXML(w, e.Status, body)
}

// WriteXML writes v as an XML document.
func WriteXML(w http.ResponseWriter, status int, v any) {
	data, err := xml.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("wire: marshal %T: %v", v, err))
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(data)
}

// ReadBody reads a request body of at most MaxBodyBytes.
func ReadBody(r *http.Request, api API) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, badRequest(api, "could not read the request body: %v", err)
	}
	if len(data) > MaxBodyBytes {
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Type: requestErrorType(api),
			Message: fmt.Sprintf("request body is larger than %d bytes", MaxBodyBytes)}
	}
	return data, nil
}

// DecodeJSON reads a JSON object body into v. Unknown members are ignored
// (newer SDKs may send more), but the body must be one JSON object.
func DecodeJSON(r *http.Request, api API, v any) error {
	data, err := ReadBody(r, api)
	if err != nil {
		return err
	}
	return UnmarshalJSON(data, api, v)
}

// UnmarshalJSON is DecodeJSON for a body already read.
func UnmarshalJSON(data []byte, api API, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return badRequest(api, "the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return badRequest(api, "member %q must be a %s", typeErr.Field, typeErr.Type)
		}
		return badRequest(api, "the request body is not valid JSON: %v", err)
	}
	if dec.More() {
		return badRequest(api, "the request body holds more than one JSON value")
	}
	return nil
}

func requestErrorType(api API) string {
	switch api {
	case STS:
		return "InvalidParameterValue"
	default:
		return "InvalidRequestException"
	}
}

func badRequest(api API, format string, a ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Type: requestErrorType(api), Message: fmt.Sprintf(format, a...)}
}

// BadRequest is the "invalid request" error of api.
func BadRequest(api API, format string, a ...any) *Error { return badRequest(api, format, a...) }

// Origin is the scheme and host a client reached the emulator at, which
// every absolute URL the emulator hands out is built on: it has no public
// name of its own, so behind a proxy answering as
// oidc.us-east-1.amazonaws.com its links say
// https://oidc.us-east-1.amazonaws.com/... The host is the request's Host
// header; the scheme is https when the connection is TLS or when a
// TLS-terminating proxy says so with X-Forwarded-Proto.
func Origin(r *http.Request) string {
	if Secure(r) {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// Secure reports whether the client reached the emulator over TLS, directly
// or through a proxy that terminated it (X-Forwarded-Proto: https).
func Secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
