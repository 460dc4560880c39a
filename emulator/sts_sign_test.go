package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// TestGetCallerIdentitySignedLikeOtherClients signs requests by hand the way
// clients other than the Go SDK do (botocore leaves content-length out and
// signs content-type; some send the action in the query string), and
// checks the signature is verified over what was signed, not over a
// header set the server assumes.
func TestGetCallerIdentitySignedLikeOtherClients(t *testing.T) {
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	c := newClients(t, srv)
	out, err := c.sso.GetRoleCredentials(context.Background(), &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(signIn(t, c)), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{
		AccessKeyID:     aws.ToString(out.RoleCredentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.RoleCredentials.SecretAccessKey),
		SessionToken:    aws.ToString(out.RoleCredentials.SessionToken),
	}
	const body = "Action=GetCallerIdentity&Version=2011-06-15"
	tests := []struct {
		name       string
		build      func() *http.Request
		signedAt   time.Time
		tamper     func(r *http.Request)
		wantStatus int
		wantInBody string
	}{
		{"without content-length in the signed headers", func() *http.Request { return post(t, srv.URL+"/", body) }, time.Now(), nil, 200, "<Account>" + directory.DemoAccount + "</Account>"},
		{"with the action in the query string", func() *http.Request { return post(t, srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", "") }, time.Now(), nil, 200, "assumed-role/AWSReservedSSO_readOnly_"},
		{"a body changed after signing", func() *http.Request { return post(t, srv.URL+"/", body) }, time.Now(), func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(body + "&Extra=1"))
			r.ContentLength = int64(len(body) + 8)
		}, 403, "<Code>SignatureDoesNotMatch</Code>"},
		{"a signed header changed after signing", func() *http.Request { return post(t, srv.URL+"/", body) }, time.Now(), func(r *http.Request) {
			r.Header.Set("Content-Type", "text/plain")
		}, 403, "<Code>SignatureDoesNotMatch</Code>"},
		{"a signature from 20 minutes ago", func() *http.Request { return post(t, srv.URL+"/", body) }, time.Now().Add(-20 * time.Minute), nil, 403, "Signature expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.build()
			n := req.ContentLength
			req.ContentLength = 0 // the Go signer signs content-length only when it is set
			var payload []byte
			if req.Body != nil {
				payload, _ = io.ReadAll(req.Body)
				req.Body = io.NopCloser(strings.NewReader(string(payload)))
			}
			sum := sha256.Sum256(payload)
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", tt.signedAt); err != nil {
				t.Fatal(err)
			}
			req.ContentLength = n
			if strings.Contains(req.Header.Get("Authorization"), "content-length") {
				t.Fatalf("content-length was signed: %s", req.Header.Get("Authorization"))
			}
			if tt.tamper != nil {
				tt.tamper(req)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(got), tt.wantInBody) {
				t.Errorf("got %d %s; want %d with %q", resp.StatusCode, got, tt.wantStatus, tt.wantInBody)
			}
		})
	}
}

func post(t *testing.T, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return req
}
