package login

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// What the policy retries: what a later attempt can fix, never an answer
// that says the request itself is wrong or the person has not approved.
func TestRetryPolicyRetriesWhatALaterAttemptCanFix(t *testing.T) {
	refused := &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	tests := []struct {
		name      string
		err       error
		retryable bool
		throttle  bool
	}{
		{"500 InternalServerException", httpError(500, &types.InternalServerException{}), true, false},
		{"503 without a body", httpError(503, errors.New("unavailable")), true, false},
		{"502", httpError(502, errors.New("bad gateway")), true, false},
		{"a refused connection", refused, true, false},
		{"429 TooManyRequestsException of the portal", httpError(429, &ssotypes.TooManyRequestsException{}), true, true},
		{"429 without a modeled error", httpError(429, errors.New("x")), true, true},
		{"400 SlowDownException", httpError(400, &types.SlowDownException{}), true, true},
		{"AuthorizationPendingException", httpError(400, &types.AuthorizationPendingException{}), false, false},
		{"InvalidClientException", httpError(401, &types.InvalidClientException{}), false, false},
		{"AccessDeniedException", httpError(400, &types.AccessDeniedException{}), false, false},
		{"UnauthorizedException of the portal", httpError(401, &ssotypes.UnauthorizedException{}), false, false},
	}
	r := newRetryer()
	for _, tt := range tests {
		if got := r.IsErrorRetryable(tt.err); got != tt.retryable {
			t.Errorf("%s: retryable = %v, want %v", tt.name, got, tt.retryable)
		}
		if got := isThrottle(tt.err); got != tt.throttle {
			t.Errorf("%s: throttle = %v, want %v", tt.name, got, tt.throttle)
		}
	}
	if r.MaxAttempts() != retryAttempts {
		t.Errorf("attempts = %d, want %d", r.MaxAttempts(), retryAttempts)
	}
}

// Waits are random (full jitter) below a ceiling that doubles from a base
// to a cap: small for failures, larger for throttling.
func TestBackoffIsJitteredAndCapped(t *testing.T) {
	failure, throttled := httpError(503, errors.New("x")), httpError(400, &types.SlowDownException{})
	for _, tc := range []struct {
		err     error
		attempt int
		ceiling time.Duration
	}{
		{failure, 1, 50 * time.Millisecond},
		{failure, 3, 200 * time.Millisecond},
		{failure, 7, time.Second},
		{failure, 60, time.Second},
		{throttled, 1, time.Second},
		{throttled, 3, 4 * time.Second},
		{throttled, 4, 5 * time.Second},
		{throttled, 14, 5 * time.Second},
	} {
		var most time.Duration
		distinct := map[time.Duration]bool{}
		for i := 0; i < 200; i++ {
			d, err := backoff(tc.attempt, tc.err)
			if err != nil || d < 0 || d > tc.ceiling {
				t.Fatalf("backoff(%d, %v) = %s, %v; want 0..%s", tc.attempt, tc.err, d, err, tc.ceiling)
			}
			most = max(most, d)
			distinct[d] = true
		}
		if most < tc.ceiling/2 || len(distinct) < 100 {
			t.Errorf("backoff(%d): largest of 200 waits %s, %d distinct: not spread below %s", tc.attempt, most, len(distinct), tc.ceiling)
		}
	}
}

// A sign-in's calls keep trying while the service throttles, and stop
// where every call stops for anything else.
func TestSignInCallsArePatientWithThrottlingOnly(t *testing.T) {
	o := ssooidc.Options{Retryer: newRetryer()}
	signInCall(&o)
	r := o.Retryer.(aws.RetryerV2)
	if r.MaxAttempts() != signInAttempts {
		t.Fatalf("sign-in attempts = %d, want %d", r.MaxAttempts(), signInAttempts)
	}
	throttled, failure := httpError(429, errors.New("x")), httpError(503, errors.New("x"))
	if _, err := r.RetryDelay(retryAttempts+3, throttled); err != nil {
		t.Errorf("throttled attempt %d: %v, want another wait", retryAttempts+3, err)
	}
	_, err := r.RetryDelay(retryAttempts, failure)
	var gaveUp *retry.MaxAttemptsError
	if !errors.As(err, &gaveUp) || gaveUp.Attempt != retryAttempts || !errors.Is(err, failure) {
		t.Errorf("failed attempt %d: %v, want a MaxAttemptsError wrapping the failure", retryAttempts, err)
	}

	o = ssooidc.Options{Retryer: newRetryer()}
	slowDownToTheLoop(&o)
	if o.Retryer.IsErrorRetryable(httpError(400, &types.SlowDownException{})) {
		t.Error("a poll's SlowDownException is retried instead of going to the loop")
	}
	if !o.Retryer.IsErrorRetryable(failure) {
		t.Error("a poll's 503 is not retried")
	}
}
