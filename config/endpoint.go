package config

import "strings"

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
