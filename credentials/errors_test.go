package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/login"
)

// sdkError wraps err the way the SDK returns an operation's error: an
// OperationError around an HTTP ResponseError with the status.
func sdkError(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SSO", OperationName: "GetRoleCredentials", Err: &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err},
		RequestID:     "req-1",
	}}
}

func TestPortalErrorMapping(t *testing.T) {
	legacy := config.SSO{Profile: "old", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-2", AccountID: "111122223333", RoleName: "ReadOnly"}
	session := legacy
	session.Profile, session.SessionName = "dev", "my-sso"
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}

	tests := []struct {
		name    string
		sso     config.SSO
		err     error
		check   func(t *testing.T, err error)
		wantMsg string
	}{
		{
			name: "UnauthorizedException on a session profile needs sign-in to the session",
			sso:  session,
			err:  sdkError(401, &types.UnauthorizedException{Message: aws.String("Session token not found or invalid")}),
			check: func(t *testing.T, err error) {
				var signIn *login.SignInRequiredError
				if !errors.As(err, &signIn) || signIn.Session != "my-sso" || signIn.Legacy || signIn.Profile != "dev" {
					t.Errorf("err = %#v, want sign-in required for session my-sso, profile dev", err)
				}
			},
			wantMsg: `the SSO portal at https://portal.sso.us-east-2.amazonaws.com no longer accepts the token for session "my-sso" (signed out or revoked)`,
		},
		{
			name: "UnauthorizedException on a legacy profile names the start URL",
			sso:  legacy,
			err:  sdkError(401, &types.UnauthorizedException{}),
			check: func(t *testing.T, err error) {
				var signIn *login.SignInRequiredError
				if !errors.As(err, &signIn) || !signIn.Legacy || signIn.Session != legacy.StartURL {
					t.Errorf("err = %#v, want sign-in required for the start URL", err)
				}
			},
			wantMsg: "no longer accepts the token for https://d-0123456789.awsapps.com/start",
		},
		{
			name:    "ResourceNotFoundException means the role is not there for this user",
			sso:     session,
			err:     sdkError(404, &types.ResourceNotFoundException{}),
			check:   isType[*RoleNotAssignedError],
			wantMsg: `profile "dev": you are not assigned role "ReadOnly" in account 111122223333`,
		},
		{
			name:    "the unmodelled ForbiddenException likewise",
			sso:     session,
			err:     sdkError(403, &smithy.GenericAPIError{Code: "ForbiddenException", Message: "No access"}),
			check:   isType[*RoleNotAssignedError],
			wantMsg: "you are not assigned role",
		},
		{
			name:    "InvalidRequestException points at the profile's keys",
			sso:     session,
			err:     sdkError(400, &types.InvalidRequestException{Message: aws.String("bad account id")}),
			check:   func(t *testing.T, err error) {},
			wantMsg: `profile "dev": the SSO portal at https://portal.sso.us-east-2.amazonaws.com refused account "111122223333" role "ReadOnly" as invalid: bad account id; check sso_account_id and sso_role_name`,
		},
		{
			name: "TooManyRequestsException after the retries",
			sso:  session,
			err:  sdkError(429, &types.TooManyRequestsException{}),
			check: func(t *testing.T, err error) {
				var svc *ServiceError
				if !errors.As(err, &svc) || !svc.Throttled {
					t.Errorf("err = %#v, want a throttled ServiceError", err)
				}
			},
			wantMsg: "is throttling requests; try again in a minute",
		},
		{
			name:    "a 5xx names the status and the code",
			sso:     session,
			err:     sdkError(503, &smithy.GenericAPIError{Code: "ServiceUnavailableException"}),
			check:   isType[*ServiceError],
			wantMsg: "failed to give role credentials (HTTP 503 ServiceUnavailableException); try again in a minute",
		},
		{
			name:    "a refused connection",
			sso:     session,
			err:     sdkError(0, fmt.Errorf("request send failed: %w", refused)),
			check:   isType[*ServiceError],
			wantMsg: "cannot reach the SSO portal at https://portal.sso.us-east-2.amazonaws.com: connect: connection refused",
		},
		{
			name: "cancellation passes through",
			sso:  session,
			err:  sdkError(0, fmt.Errorf("send: %w", context.Canceled)),
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			},
			wantMsg: "get role credentials from the SSO portal at https://portal.sso.us-east-2.amazonaws.com: context canceled",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New(login.NewSession(tt.sso)).portalError(tt.err)
			tt.check(t, got)
			if !strings.Contains(got.Error(), tt.wantMsg) {
				t.Errorf("message = %q\nwant it to contain %q", got, tt.wantMsg)
			}
			if strings.Contains(got.Error(), "req-1") || strings.Contains(got.Error(), "operation error") {
				t.Errorf("message %q carries the SDK's wrapping", got)
			}
		})
	}
}

func isType[T error](t *testing.T, err error) {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Errorf("err = %v (%T), want %T", err, err, target)
	}
}

// A server at the portal endpoint that answers 200 without usable
// credentials (a proxy's page, a wrong endpoint) is a ServiceError, not a
// crash or empty credentials.
func TestIncompletePortalAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIAONLY","expiration":0}}`)
	}))
	defer srv.Close()
	p := New(login.NewSession(config.SSO{Profile: "dev", SessionName: "s", Region: "us-east-2", AccountID: "111122223333", RoleName: "ReadOnly",
		Endpoints: config.Endpoints{Portal: srv.URL}}))
	_, err := p.getRoleCredentials(context.Background(), "at-secret")
	var svc *ServiceError
	if !errors.As(err, &svc) || !strings.Contains(err.Error(), "lacks the access key, secret key or expiration") || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("err = %v, want a ServiceError naming the URL and what is missing", err)
	}
	if strings.Contains(err.Error(), "at-secret") {
		t.Errorf("the access token leaked into %q", err)
	}
}
