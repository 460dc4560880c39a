package wire

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type recorder struct {
	*httptest.ResponseRecorder
	err error
}

func (r *recorder) RecordInternalError(err error) { r.err = err }

func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		api        API
		err        error
		wantStatus int
		wantType   string
		wantBody   []string
	}{
		{"an OIDC error fills error from the exception name", OIDC, Errorf(400, "SlowDownException", "slow"), 400, "SlowDownException",
			[]string{`"error":"slow_down"`, `"error_description":"slow"`}},
		{"an OIDC reason is kept", OIDC, &Error{Status: 400, Type: "AccessDeniedException", Message: "no", Reason: "KMS_AccessDeniedException"}, 400, "AccessDeniedException",
			[]string{`"reason":"KMS_AccessDeniedException"`, `"error":"access_denied"`}},
		{"a portal error carries __type", Portal, Errorf(401, "UnauthorizedException", "Session token not found or invalid"), 401, "UnauthorizedException",
			[]string{`"__type":"com.amazonaws.switchboard.portal#UnauthorizedException"`, `"message":"Session token not found or invalid"`}},
		{"an STS error is XML", STS, Errorf(403, "InvalidClientTokenId", "bad"), 403, "",
			[]string{`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`, "<Type>Sender</Type>", "<Code>InvalidClientTokenId</Code>", "<RequestId>"}},
		{"a plain error hides its detail", OIDC, errors.New("disk on fire"), 500, "InternalServerException",
			[]string{`"error":"server_error"`}},
		{"a plain STS error is a receiver fault", STS, errors.New("disk on fire"), 500, "", []string{"<Type>Receiver</Type>", "<Code>InternalFailure</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{ResponseRecorder: httptest.NewRecorder()}
			WriteError(rec, tt.api, tt.err)
			if rec.Code != tt.wantStatus || rec.Header().Get("X-Amzn-ErrorType") != tt.wantType {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Header().Get("X-Amzn-ErrorType"), tt.wantStatus, tt.wantType)
			}
			body := rec.Body.String()
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("body %s does not contain %s", body, w)
				}
			}
			if strings.Contains(body, "disk on fire") {
				t.Errorf("internal detail leaked: %s", body)
			}
			if tt.wantStatus == 500 && rec.err == nil {
				t.Error("the internal error was not handed to the recorder")
			}
			if rec.Header().Get(RequestIDHeader) == "" {
				t.Error("no request id")
			}
		})
	}
}

func TestUnmarshalJSONIgnoresUnknownMembers(t *testing.T) {
	var v struct {
		A string `json:"a"`
	}
	if err := UnmarshalJSON([]byte(`{"a":"x","newerMember":[1,2]}`), OIDC, &v); err != nil || v.A != "x" {
		t.Fatalf("UnmarshalJSON = %v, %+v", err, v)
	}
}

func TestReadBodyLimit(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", MaxBodyBytes+1)))
	_, err := ReadBody(req, Portal)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("ReadBody of an oversized body = %v, want a 413", err)
	}
	req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("x", MaxBodyBytes)))
	if _, err := ReadBody(req, Portal); err != nil {
		t.Fatalf("ReadBody of exactly the limit = %v", err)
	}
}
