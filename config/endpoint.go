package config

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// EndpointURL returns the endpoint override for a service id such as "sso",
// "sso-oidc" or "sts" when using profile, by the precedence both SDKs share
// (SSO-PROTOCOL.md §1):
//  1. AWS_ENDPOINT_URL_<ID> (the id upper-cased, blanks and '-' as '_');
//  2. AWS_ENDPOINT_URL;
//  3. the profile's services = NAME, then in [services NAME] the nested
//     endpoint_url under the id (lower-cased, blanks and '-' as '_');
//  4. the profile's endpoint_url.
//
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, or the profile's
// ignore_configured_endpoint_urls = true when the variable is unset, turns
// all four off. "" means no override. A profile that does not exist only
// loses steps 3 and 4.
func (c *Config) EndpointURL(profile, serviceID string, getenv func(string) string) string {
	p := c.profiles[profile]
	ignore := getenv(EnvIgnoreConfiguredEndpointURLs)
	if ignore == "" && p != nil {
		ignore, _ = p.Get(KeyIgnoreConfiguredEndpointURLs)
	}
	if strings.EqualFold(strings.TrimSpace(ignore), "true") {
		return ""
	}

	id := strings.NewReplacer(" ", "_", "-", "_").Replace(serviceID)
	if v := getenv(EnvEndpointURL + "_" + strings.ToUpper(id)); v != "" {
		return v
	}
	if v := getenv(EnvEndpointURL); v != "" {
		return v
	}
	if p == nil {
		return ""
	}
	if name, ok := p.Get(KeyServices); ok {
		if g := c.services[name]; g != nil {
			if v, ok := g.get(strings.ToLower(id)); ok {
				if m, ok := parseNested(v); ok && m[KeyEndpointURL] != "" {
					return m[KeyEndpointURL]
				}
			}
		}
	}
	v, _ := p.Get(KeyEndpointURL)
	return v
}

// Service ids of the services an SSO session uses, as EndpointURL takes
// them.
const (
	ServiceSSOOIDC = "sso-oidc"
	ServiceSSO     = "sso"
	ServiceSTS     = "sts"
	// ServiceSignIn is the console federation endpoint; the SDKs have no
	// client for it, but AWS_ENDPOINT_URL_SIGNIN and [services] name it the
	// same way.
	ServiceSignIn = "signin"
)

// Endpoints are the base URLs of the services an SSO session talks to: for
// each, the override the user configured (EndpointURL), else the URL the
// SDK's own endpoint rules give for the region. "" means the SDK could not
// resolve one (an invalid region, say): a client built without a base URL
// then reports the SDK's own error.
type Endpoints struct {
	// OIDC is SSO OIDC in sso_region: RegisterClient, CreateToken and the
	// browser's /authorize page.
	OIDC string
	// Portal is the SSO portal in sso_region: GetRoleCredentials, the
	// account listing and Logout.
	Portal string
	// STS is STS in the profile's region; "" when the profile has none.
	STS string
	// SignIn is the console federation base URL of the partition of the
	// profile's region (of sso_region when the profile has none), e.g.
	// https://signin.aws.amazon.com.
	SignIn string
}

// Endpoints resolves the endpoints for profile, whose SSO region is
// ssoRegion (profile may name no profile at all: then only the environment
// can override). getenv may be nil: no environment.
func (c *Config) Endpoints(profile, ssoRegion string, getenv func(string) string) Endpoints {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	region := ""
	if p := c.profiles[profile]; p != nil {
		region, _ = p.Get(KeyRegion)
	}
	e := Endpoints{
		OIDC:   c.EndpointURL(profile, ServiceSSOOIDC, getenv),
		Portal: c.EndpointURL(profile, ServiceSSO, getenv),
		STS:    c.EndpointURL(profile, ServiceSTS, getenv),
		SignIn: c.EndpointURL(profile, ServiceSignIn, getenv),
	}
	ctx := context.Background()
	if e.OIDC == "" {
		ep, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{Region: aws.String(ssoRegion)})
		e.OIDC = resolved(ep, err)
	}
	if e.Portal == "" {
		ep, err := sso.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sso.EndpointParameters{Region: aws.String(ssoRegion)})
		e.Portal = resolved(ep, err)
	}
	if e.STS == "" && region != "" {
		ep, err := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sts.EndpointParameters{Region: aws.String(region)})
		e.STS = resolved(ep, err)
	}
	if e.SignIn == "" {
		if region == "" {
			region = ssoRegion
		}
		signin, _ := PartitionHosts(region)
		e.SignIn = "https://" + signin
	}
	return e
}

func resolved(ep smithyendpoints.Endpoint, err error) string {
	if err != nil || ep.URI.Host == "" {
		return ""
	}
	return ep.URI.String()
}

// PartitionHosts returns the console sign-in and console hosts of the
// partition region belongs to.
func PartitionHosts(region string) (signin, console string) {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "signin.amazonaws.cn", "console.amazonaws.cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com"
	default:
		return "signin.aws.amazon.com", "console.aws.amazon.com"
	}
}
