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
	if ignoresConfiguredEndpoints(p, getenv) {
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
// SDK's own endpoint rules give for the region, FIPS and dual-stack
// settings. "" means the SDK could not resolve one (an invalid region,
// say): a client built without a base URL then reports the SDK's own error.
type Endpoints struct {
	// OIDC is SSO OIDC in sso_region: RegisterClient, CreateToken and the
	// browser's /authorize page.
	OIDC string
	// Portal is the SSO portal in sso_region: GetRoleCredentials, the
	// account listing and Logout.
	Portal string
	// STS is STS in the profile's region; "" when the profile has none.
	STS string
	// SignIn is the console federation base URL for the profile's region
	// (sso_region when the profile has none): the partition's sign-in host,
	// regional where AWS has regional ones. Only AWS_ENDPOINT_URL_SIGNIN or
	// a services section override it: a global endpoint_url (LocalStack,
	// say) has no console. "" when the partition publishes none.
	SignIn string

	// Custom says which endpoints the user configured.
	Custom CustomEndpoints
	// UseFIPS and UseDualStack are use_fips_endpoint and
	// use_dualstack_endpoint (AWS_USE_FIPS_ENDPOINT,
	// AWS_USE_DUALSTACK_ENDPOINT), which the resolved URLs follow.
	UseFIPS, UseDualStack bool
}

// CustomEndpoints says which Endpoints come from the user's configuration.
type CustomEndpoints struct{ OIDC, Portal, STS, SignIn bool }

// Endpoints resolves the endpoints for profile, whose SSO region is
// ssoRegion (profile may name no profile at all: then only the environment
// can override). getenv may be nil: no environment.
func (c *Config) Endpoints(profile, ssoRegion string, getenv func(string) string) Endpoints {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	p := c.profiles[profile]
	region := ""
	if p != nil {
		region, _ = p.Get(KeyRegion)
	}
	e := Endpoints{
		OIDC:         c.EndpointURL(profile, ServiceSSOOIDC, getenv),
		Portal:       c.EndpointURL(profile, ServiceSSO, getenv),
		STS:          c.EndpointURL(profile, ServiceSTS, getenv),
		SignIn:       c.signInOverride(profile, getenv),
		UseFIPS:      c.flag(p, EnvUseFIPSEndpoint, KeyUseFIPSEndpoint, getenv),
		UseDualStack: c.flag(p, EnvUseDualStackEndpoint, KeyUseDualStackEndpoint, getenv),
	}
	e.Custom = CustomEndpoints{OIDC: e.OIDC != "", Portal: e.Portal != "", STS: e.STS != "", SignIn: e.SignIn != ""}
	signInRegion := region
	if signInRegion == "" {
		signInRegion = ssoRegion
	}
	if e.SignIn == "" {
		e.SignIn = SignInEndpoint(signInRegion)
	}
	if e.STS == "" && region != "" {
		e.STS = resolveSTS(region, e.UseFIPS, e.UseDualStack)
	}
	return e.ForSSORegion(ssoRegion)
}

// ForSSORegion returns e with the OIDC and portal endpoints that the user
// did not configure resolved for region: for a start URL whose region
// turns out to be another than sso_region.
func (e Endpoints) ForSSORegion(region string) Endpoints {
	ctx := context.Background()
	if !e.Custom.OIDC {
		ep, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{
			Region: aws.String(region), UseFIPS: aws.Bool(e.UseFIPS), UseDualStack: aws.Bool(e.UseDualStack)})
		e.OIDC = resolved(ep, err)
	}
	if !e.Custom.Portal {
		ep, err := sso.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sso.EndpointParameters{
			Region: aws.String(region), UseFIPS: aws.Bool(e.UseFIPS), UseDualStack: aws.Bool(e.UseDualStack)})
		e.Portal = resolved(ep, err)
	}
	return e
}

func resolveSTS(region string, fips, dualStack bool) string {
	ep, err := sts.NewDefaultEndpointResolverV2().ResolveEndpoint(context.Background(), sts.EndpointParameters{
		Region: aws.String(region), UseFIPS: aws.Bool(fips), UseDualStack: aws.Bool(dualStack)})
	return resolved(ep, err)
}

// signInOverride is AWS_ENDPOINT_URL_SIGNIN or the profile's services
// section for signin; unlike the SDK services, the global AWS_ENDPOINT_URL
// and endpoint_url do not apply: they name an emulator of the APIs (such as
// LocalStack), which has no console to sign in to.
func (c *Config) signInOverride(profile string, getenv func(string) string) string {
	p := c.profiles[profile]
	if ignoresConfiguredEndpoints(p, getenv) {
		return ""
	}
	if v := getenv(EnvEndpointURL + "_SIGNIN"); v != "" {
		return v
	}
	if p == nil {
		return ""
	}
	if name, ok := p.Get(KeyServices); ok {
		if g := c.services[name]; g != nil {
			if v, ok := g.get(ServiceSignIn); ok {
				if m, ok := parseNested(v); ok {
					return m[KeyEndpointURL]
				}
			}
		}
	}
	return ""
}

// flag reads a boolean setting: the environment variable, else the
// profile's key; "true" in any case is true.
func (c *Config) flag(p *Profile, env, key string, getenv func(string) string) bool {
	v := getenv(env)
	if v == "" && p != nil {
		v, _ = p.Get(key)
	}
	return strings.EqualFold(strings.TrimSpace(v), "true")
}

func resolved(ep smithyendpoints.Endpoint, err error) string {
	if err != nil || ep.URI.Host == "" {
		return ""
	}
	return ep.URI.String()
}

// ignoresConfiguredEndpoints reports whether
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, or when it is unset the profile's
// ignore_configured_endpoint_urls (p may be nil), is true.
func ignoresConfiguredEndpoints(p *Profile, getenv func(string) string) bool {
	ignore := getenv(EnvIgnoreConfiguredEndpointURLs)
	if ignore == "" && p != nil {
		ignore, _ = p.Get(KeyIgnoreConfiguredEndpointURLs)
	}
	return strings.EqualFold(strings.TrimSpace(ignore), "true")
}
