package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/smithy-go"

	"github.com/ssokit/ssokit/login"
)

// TokenRejectedError means the portal refused an access token that had not
// expired yet: the user signed out elsewhere, an administrator revoked the
// session, or the portal forgot it. Signing in again is the remedy, so it
// unwraps to a *login.SignInRequiredError.
type TokenRejectedError struct {
	URL    string // the portal's base URL
	SignIn *login.SignInRequiredError
}

func (e *TokenRejectedError) Error() string {
	what := fmt.Sprintf("session %q", e.SignIn.Session)
	if e.SignIn.Legacy {
		what = e.SignIn.Session
	}
	return fmt.Sprintf("the SSO portal at %s no longer accepts the token for %s (signed out or revoked)", e.URL, what)
}

func (e *TokenRejectedError) Unwrap() error { return e.SignIn }

// RoleNotAssignedError means the portal refused the profile's account and
// role for this user: the role name or account id is wrong, or the
// assignment was removed.
type RoleNotAssignedError struct {
	Profile   string
	AccountID string
	RoleName  string
	Err       error // the portal's answer
}

func (e *RoleNotAssignedError) Error() string {
	who := "this SSO session"
	if e.Profile != "" {
		who = fmt.Sprintf("profile %q", e.Profile)
	}
	return fmt.Sprintf("%s: you are not assigned role %q in account %s; check sso_account_id and sso_role_name",
		who, e.RoleName, e.AccountID)
}

func (e *RoleNotAssignedError) Unwrap() error { return e.Err }

// ServiceError means the portal (or STS, for a role chain) could not be
// reached, or kept failing or throttling after the session's retries; it
// names the URL and suggests trying again.
type ServiceError struct {
	URL       string // the service's base URL
	Throttled bool   // the service answered TooManyRequests or Throttling
	// STS is set when the service is STS, the SSO portal otherwise.
	STS bool
	Err error
}

func (e *ServiceError) Error() string {
	service, kind, endpoint, what := "the SSO portal", "an SSO portal", "the portal endpoint", "give role credentials"
	if e.STS {
		service, kind, endpoint, what = "STS", "STS", "the STS endpoint", "assume the role"
	}
	var respErr *awshttp.ResponseError
	switch {
	case e.Throttled:
		return fmt.Sprintf("%s at %s is throttling requests; try again in a minute", service, e.URL)
	case errors.As(e.Err, &respErr) && respErr.HTTPStatusCode() > 0:
		return fmt.Sprintf("%s at %s failed to %s (%s); try again in a minute", service, e.URL, what, describe(e.Err))
	case errors.Is(e.Err, errIncompleteResponse):
		return fmt.Sprintf("%s at %s: %s; try again, and check that the endpoint is %s", service, e.URL, e.Err, kind)
	}
	return fmt.Sprintf("cannot reach %s at %s: %s; check your network and %s, then try again", service, e.URL, describe(e.Err), endpoint)
}

func (e *ServiceError) Unwrap() error { return e.Err }

// AssumeRoleError is STS refusing a step of a role chain: AccessDenied
// when the role does not trust the source role, or the external ID or the
// MFA code is wrong or missing; ValidationError for a duration the role
// does not allow; ExpiredToken or InvalidClientTokenId when it no longer
// accepts the source credentials.
type AssumeRoleError struct {
	Profile string // the assume-role profile of the step
	RoleARN string
	Code    string // STS's error code
	Message string // STS's message
	Err     error
}

func (e *AssumeRoleError) Error() string {
	return fmt.Sprintf("profile %q: STS refused to assume role %s: %s: %s", e.Profile, e.RoleARN, e.Code, e.Message)
}

func (e *AssumeRoleError) Unwrap() error { return e.Err }

// Denied reports an AccessDenied: a trust policy, external ID or MFA
// problem, which only the role's owner or the profile can fix.
func (e *AssumeRoleError) Denied() bool { return e.Code == "AccessDenied" }

// sourceRefused reports that STS refused the credentials the call was
// signed with, which a fresh set may cure.
func (e *AssumeRoleError) sourceRefused() bool {
	return e.Code == "ExpiredToken" || e.Code == "InvalidClientTokenId"
}

// MFACodeRequiredError is a step with mfa_serial that needs a code when
// nothing can ask for one (AssumeRoleOptions.TokenProvider is nil).
type MFACodeRequiredError struct {
	Profile string // the assume-role profile of the step
	Serial  string // mfa_serial
	RoleARN string
}

func (e *MFACodeRequiredError) Error() string {
	return fmt.Sprintf("profile %q needs a code from MFA device %s to assume role %s, and there is no terminal to ask for it", e.Profile, e.Serial, e.RoleARN)
}

// NoRoleError is a sign-in-only profile: it can sign in but names no role
// to get credentials for.
type NoRoleError struct{ Profile string }

func (e *NoRoleError) Error() string {
	return fmt.Sprintf("profile %q names no role: set both sso_account_id and sso_role_name in it", e.Profile)
}

func (p *Provider) noRoleError() error { return &NoRoleError{Profile: p.sso.Profile} }

var errIncompleteResponse = errors.New("the answer lacks the access key, secret key or expiration")

// portalError turns a GetRoleCredentials failure into the error a caller
// acts on.
func (p *Provider) portalError(err error) error {
	for _, stop := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, stop) {
			return fmt.Errorf("get role credentials from the SSO portal at %s: %w", p.portalURL(), stop)
		}
	}
	var (
		unauthorized *types.UnauthorizedException
		notFound     *types.ResourceNotFoundException
		throttled    *types.TooManyRequestsException
		invalid      *types.InvalidRequestException
		apiErr       smithy.APIError
	)
	switch {
	case errors.As(err, &unauthorized):
		return &TokenRejectedError{URL: p.portalURL(), SignIn: &login.SignInRequiredError{
			Session: p.sso.CacheKey(),
			Legacy:  p.sso.SessionName == "",
			Profile: p.sso.Profile,
		}}
	case errors.As(err, &notFound),
		errors.As(err, &apiErr) && strings.EqualFold(apiErr.ErrorCode(), "ForbiddenException"):
		return &RoleNotAssignedError{Profile: p.sso.Profile, AccountID: p.sso.AccountID, RoleName: p.sso.RoleName, Err: err}
	case errors.As(err, &throttled):
		return &ServiceError{URL: p.portalURL(), Throttled: true, Err: err}
	case errors.As(err, &invalid):
		return fmt.Errorf("profile %q: the SSO portal at %s refused account %q role %q as invalid: %s; check sso_account_id and sso_role_name",
			p.sso.Profile, p.portalURL(), p.sso.AccountID, p.sso.RoleName, invalid.ErrorMessage())
	}
	return &ServiceError{URL: p.portalURL(), Err: err}
}

// describe shortens an SDK transport error to its cause ("connection
// refused", "HTTP 503") instead of the SDK's one-line stack of wrappers.
func describe(err error) string {
	var opErr *net.OpError
	var respErr *awshttp.ResponseError
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &opErr):
		return opErr.Err.Error()
	case errors.As(err, &apiErr) && apiErr.ErrorCode() != "":
		if errors.As(err, &respErr) {
			return fmt.Sprintf("HTTP %d %s", respErr.HTTPStatusCode(), apiErr.ErrorCode())
		}
		return apiErr.ErrorCode()
	case errors.As(err, &respErr):
		return fmt.Sprintf("HTTP %d", respErr.HTTPStatusCode())
	}
	return err.Error()
}
