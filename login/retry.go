package login

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// The one retry policy of every call a session makes: the SDK's standard
// retryer (which also waits as long as a Retry-After header asks) retrying
// what a later attempt can fix: connection errors, timeouts, 5xx, and
// throttling (TooManyRequestsException, SlowDownException, Throttling...),
// with full-jitter exponential backoff:
//
//   - a failure waits up to 50 ms, doubling to at most 1 s: failures that
//     come and go (three requests in ten at --error-rate 0.3) pass within
//     a few attempts, and a service that is down is reported in 3.5 s at
//     most;
//   - throttling waits up to 1 s, doubling to at most 5 s, leaving the
//     service room: giving up on one that keeps throttling takes about
//     14 s, 27 s at most.
//
// Eight attempts fail all together once in 15,000 calls at an error rate
// of 0.3. The SDK's retry quota is off: it is meant for a long-lived
// process's many calls, and would stop a sign-in's polls from being
// retried.
const (
	retryAttempts     = 8
	failureBaseDelay  = 50 * time.Millisecond
	failureMaxDelay   = time.Second
	throttleBaseDelay = time.Second
	throttleMaxDelay  = 5 * time.Second
)

// signInAttempts is how many attempts the calls of a sign-in get while
// the service throttles: a person waits for those anyway, and a service
// that many people sign in to at once (a team's morning, a CI fleet)
// throttles for a while. They give up after about a minute.
const signInAttempts = 15

// throttleCodes are the throttling answers of the OIDC and portal APIs
// that the SDK's defaults do not list (SlowDownException is OIDC's).
var throttleCodes = map[string]struct{}{"SlowDownException": {}, "TooManyRequestsException": {}}

var throttles = retry.IsErrorThrottles(append([]retry.IsErrorThrottle{retry.ThrottleErrorCode{Codes: throttleCodes}}, retry.DefaultThrottles...))

func isThrottle(err error) bool { return throttles.IsErrorThrottle(err).Bool() }

func newRetryer() *retry.Standard {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = retryAttempts
		o.Backoff = retry.BackoffDelayerFunc(backoff)
		o.Retryables = append(o.Retryables, retry.RetryableErrorCode{Codes: throttleCodes})
		o.Throttles = append(o.Throttles, retry.ThrottleErrorCode{Codes: throttleCodes})
		o.RateLimiter = ratelimit.None
	})
}

// backoff is the wait before the attempt after attempt (1-based) failed
// with err: a random duration up to base·2^(attempt-1), capped.
func backoff(attempt int, err error) (time.Duration, error) {
	base, ceiling := failureBaseDelay, failureMaxDelay
	if isThrottle(err) {
		base, ceiling = throttleBaseDelay, throttleMaxDelay
	}
	d := ceiling
	if attempt-1 < 16 {
		d = min(base<<(attempt-1), ceiling)
	}
	return rand.N(d + 1), nil
}

// transient reports whether err is one the retry policy retries: the
// service may well answer the next call.
func transient(err error) bool { return newRetryer().IsErrorRetryable(err) }

// signInCall is the call option of a sign-in's OIDC calls: more attempts
// while the service throttles.
func signInCall(o *ssooidc.Options) {
	if r, ok := o.Retryer.(aws.RetryerV2); ok {
		o.Retryer = signInRetryer{r}
	}
}

type signInRetryer struct{ aws.RetryerV2 }

func (signInRetryer) MaxAttempts() int { return signInAttempts }

// RetryDelay ends the retries of anything but throttling where every
// call's end.
func (r signInRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	if attempt >= retryAttempts && !isThrottle(err) {
		return 0, &retry.MaxAttemptsError{Attempt: attempt, Err: err}
	}
	return r.RetryerV2.RetryDelay(attempt, err)
}

// slowDownToTheLoop leaves SlowDownException to the device code's polling
// loop, which slows down for good as RFC 8628 asks, instead of retrying at
// once.
func slowDownToTheLoop(o *ssooidc.Options) {
	if r, ok := o.Retryer.(aws.RetryerV2); ok {
		o.Retryer = pollRetryer{r}
	}
}

type pollRetryer struct{ aws.RetryerV2 }

func (r pollRetryer) IsErrorRetryable(err error) bool {
	var slow *types.SlowDownException
	return !errors.As(err, &slow) && r.RetryerV2.IsErrorRetryable(err)
}
