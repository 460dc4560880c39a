package emulator_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/emulator"
)

// FuzzRequests sends arbitrary requests to every route of a whole emulator:
// whatever arrives, the answer is never a 500 (no fault is injected here),
// and every API error carries X-Amzn-ErrorType (or STS's XML).
func FuzzRequests(f *testing.F) {
	em, err := emulator.New(emulator.Options{AutoApprove: "demo"})
	if err != nil {
		f.Fatal(err)
	}
	h := em.Handler()
	for _, seed := range []struct{ method, path, header, body string }{
		{"POST", "/client/register", "", `{"clientName":"x","clientType":"public","scopes":["sso:account:access"]}`},
		{"POST", "/device_authorization", "", `{"clientId":"a","clientSecret":"b","startUrl":"https://d-0123456789.awsapps.com/start"}`},
		{"POST", "/token", "", `{"clientId":"a","clientSecret":"b","grantType":"refresh_token","refreshToken":"r"}`},
		{"POST", "/token", "", `{"grantType":"authorization_code","code":"c","redirectUri":"http://127.0.0.1:1/cb","codeVerifier":"v"}`},
		{"GET", "/authorize?response_type=code&client_id=a&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=s", "", ""},
		{"GET", "/federation/credentials?role_name=readOnly&account_id=123456789011", "aoa-token", ""},
		{"GET", "/assignment/accounts?max_result=0&next_token=%FF", "aoa-token", ""},
		{"GET", "/assignment/roles?account_id=1", "", ""},
		{"POST", "/logout", "x", ""},
		{"POST", "/", "AWS4-HMAC-SHA256 Credential=ASIA/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab", "Action=GetCallerIdentity&Version=2011-06-15"},
		{"GET", "/federation?Action=getSigninToken&Session=%7B%22sessionId%22%3A1%7D", "", ""},
		{"GET", "/federation?Action=login&SigninToken=a.b&Destination=http%3A%2F%2Fexample.com", "", ""},
		{"PUT", "/token", "", "{}"},
	} {
		f.Add(seed.method, seed.path, seed.header, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, method, path, header string, body []byte) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1:4510"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("X-Amz-Sso_bearer_token", header)
		req.Header.Set("Authorization", header)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (header %q, body %q) = %d %s", method, path, header, body, rec.Code, rec.Body)
		}
		isAPI := rec.Header().Get("X-Amzn-Requestid") != ""
		if isAPI && rec.Code >= 400 && rec.Header().Get("X-Amzn-Errortype") == "" && !strings.Contains(rec.Body.String(), "<ErrorResponse") &&
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
			t.Fatalf("%s %s = %d without an AWS error shape: %s", method, path, rec.Code, rec.Body)
		}
	})
}

func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS":
		return true
	}
	return false
}
