package emulator_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/smithy-go"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type rawResponse struct {
	status    int
	errorType string
	body      string
}

func send(t *testing.T, method, url string, header map[string]string, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = []string{v} // as given: the case must not matter to the server
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if id := resp.Header.Get("x-amzn-requestid"); !uuidRE.MatchString(id) && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("%s %s: X-Amzn-RequestId = %q, want a UUID", method, url, id)
	}
	return rawResponse{resp.StatusCode, resp.Header.Get("x-amzn-errortype"), string(data)}
}

func TestBadRequestsGetAWSShapedErrors(t *testing.T) {
	srv := emulatortest.NewServer(t)
	json := map[string]string{"Content-Type": "application/json"}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	tests := []struct {
		name               string
		method, path, body string
		header             map[string]string
		wantStatus         int
		wantType           string
		wantBody           []string
	}{
		{"malformed JSON", "POST", "/token", `{"clientId":`, json, 400, "InvalidRequestException", []string{`"error":"invalid_request"`, "not valid JSON"}},
		{"a JSON array", "POST", "/client/register", `[]`, json, 400, "InvalidRequestException", []string{`"error":"invalid_request"`}},
		{"a member of the wrong type", "POST", "/token", `{"clientId":5}`, json, 400, "InvalidRequestException", []string{`clientId`}},
		{"two JSON values", "POST", "/token", `{} {}`, json, 400, "InvalidRequestException", []string{"more than one"}},
		{"an empty body", "POST", "/device_authorization", ``, nil, 400, "InvalidRequestException", []string{"empty"}},
		{"missing members", "POST", "/client/register", `{}`, json, 400, "InvalidRequestException", []string{"clientName is required"}},
		{"an oversized body", "POST", "/client/register", `{"clientName":"` + strings.Repeat("x", 70<<10) + `"}`, json, 413, "InvalidRequestException", []string{"larger than"}},
		{"the wrong method on an OIDC path", "GET", "/token", ``, nil, 405, "MethodNotAllowedException", []string{`"error":"invalid_request"`, "use POST"}},
		{"the wrong method on a portal path", "DELETE", "/assignment/accounts", ``, nil, 405, "MethodNotAllowedException", []string{`"__type":"com.amazonaws.switchboard.portal#MethodNotAllowedException"`}},
		{"an unknown path", "GET", "/v2/whatever", ``, nil, 404, "UnknownOperationException", []string{"no operation"}},
		{"a portal call without a token", "GET", "/assignment/accounts", ``, nil, 401, "UnauthorizedException", []string{`"message":"Session token not found or invalid"`, `"__type":"com.amazonaws.switchboard.portal#UnauthorizedException"`}},
		{"a portal call with a lower-case header", "GET", "/assignment/accounts", ``, map[string]string{"x-amz-sso_bearer_token": "nope"}, 401, "UnauthorizedException", nil},
		{"STS without Action", "POST", "/", `Version=2011-06-15`, form, 400, "", []string{"<Code>MissingAction</Code>", "<Type>Sender</Type>", "<RequestId>"}},
		{"STS with another Action", "POST", "/", `Action=GetSessionToken&Version=2011-06-15`, form, 400, "", []string{"<Code>InvalidAction</Code>"}},
		{"STS unsigned", "POST", "/", `Action=GetCallerIdentity&Version=2011-06-15`, form, 403, "", []string{"<Code>MissingAuthenticationToken</Code>"}},
		{"STS with a mangled signature header", "POST", "/", `Action=GetCallerIdentity`, map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=x"}, 403, "", []string{"<Code>IncompleteSignature</Code>"}},
		{"STS with an unknown key", "POST", "/", `Action=GetCallerIdentity`, map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=ASIAX/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"}, 403, "", []string{"<Code>InvalidClientTokenId</Code>"}},
		{"federation without Action", "GET", "/federation", ``, nil, 400, "InvalidRequestException", []string{"getSigninToken"}},
		{"federation with a Session that is not JSON", "GET", "/federation?Action=getSigninToken&Session=%7B", ``, nil, 400, "InvalidRequestException", []string{"not JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, tt.method, srv.URL+tt.path, tt.header, tt.body)
			if got.status != tt.wantStatus || got.errorType != tt.wantType {
				t.Errorf("got %d %q, want %d %q; body %s", got.status, got.errorType, tt.wantStatus, tt.wantType, got.body)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(got.body, w) {
					t.Errorf("body %s does not contain %q", got.body, w)
				}
			}
		})
	}
}

func TestBearerHeaderIsCaseInsensitiveAndLogoutNeedsNoBody(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	token := signIn(t, newClients(t, srv))
	for _, name := range []string{"x-amz-sso_bearer_token", "X-AMZ-SSO_BEARER_TOKEN", "X-Amz-Sso_bearer_token"} {
		if got := send(t, "GET", srv.URL+"/assignment/accounts?max_result=1", map[string]string{name: token}, ""); got.status != 200 {
			t.Errorf("header %s: %d %s", name, got.status, got.body)
		}
	}
	got := send(t, "POST", srv.URL+"/logout", map[string]string{"x-amz-sso_bearer_token": token}, "")
	if got.status != 200 || got.body != "" {
		t.Errorf("Logout with no body and no Content-Type: %d %q", got.status, got.body)
	}
}

func TestInjectedFaults(t *testing.T) {
	t.Run("every request fails in each API's shape", func(t *testing.T) {
		srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Faults.ErrorRate = 1 })
		for i := range 8 {
			oidc := send(t, "POST", srv.URL+"/token", nil, "{}")
			portal := send(t, "GET", srv.URL+"/assignment/accounts", nil, "")
			stsResp := send(t, "POST", srv.URL+"/", nil, "Action=GetCallerIdentity")
			for _, r := range []rawResponse{oidc, portal} {
				if (r.status != 500 || r.errorType != "InternalServerException") && (r.status != 503 || r.errorType != "ServiceUnavailableException") {
					t.Errorf("request %d: %d %q, want a 500 or 503 fault", i, r.status, r.errorType)
				}
			}
			if !strings.Contains(oidc.body, `"error":"server_error"`) || !strings.Contains(portal.body, `"__type":"com.amazonaws.switchboard.portal#`) {
				t.Errorf("fault bodies: %s / %s", oidc.body, portal.body)
			}
			if !strings.Contains(stsResp.body, "<Type>Receiver</Type>") {
				t.Errorf("STS fault body: %s", stsResp.body)
			}
		}
	})
	t.Run("the SDK retries faults and gives up after its attempts", func(t *testing.T) {
		srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Faults.ErrorRate = 1 })
		client := sso.New(sso.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL), Credentials: aws.AnonymousCredentials{},
			RetryMaxAttempts: 3, RetryMode: aws.RetryModeStandard})
		_, err := client.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: aws.String("t")})
		var ae smithy.APIError
		if !errors.As(err, &ae) || (ae.ErrorCode() != "InternalServerException" && ae.ErrorCode() != "ServiceUnavailableException") {
			t.Fatalf("err = %v, want the injected fault", err)
		}
		if got := srv.Count("ListAccounts"); got != 3 {
			t.Errorf("Count(ListAccounts) = %d, want 3 attempts", got)
		}
	})
	t.Run("latency and jitter delay every API response", func(t *testing.T) {
		srv := emulatortest.NewServer(t, func(o *emulator.Options) {
			o.Faults.Latency = 40 * time.Millisecond
			o.Faults.Jitter = 20 * time.Millisecond
		})
		start := time.Now()
		send(t, "GET", srv.URL+"/assignment/accounts", nil, "")
		if d := time.Since(start); d < 40*time.Millisecond {
			t.Errorf("response after %s, want at least 40ms", d)
		}
	})
	t.Run("the rate limit refills", func(t *testing.T) {
		// One request per 250ms: the second, sent at once, finds the
		// bucket empty even on a slow machine (or under wine).
		srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.Faults.RateLimit = 4; o.Faults.RateBurst = 1 })
		first := send(t, "GET", srv.URL+"/assignment/accounts", nil, "")
		second := send(t, "GET", srv.URL+"/assignment/accounts", nil, "")
		time.Sleep(300 * time.Millisecond)
		third := send(t, "GET", srv.URL+"/assignment/accounts", nil, "")
		if first.status != 401 || second.status != 429 || second.errorType != "TooManyRequestsException" || third.status != 401 {
			t.Errorf("statuses %d, %d %q, %d; want 401, 429 TooManyRequestsException, 401", first.status, second.status, second.errorType, third.status)
		}
	})
}
