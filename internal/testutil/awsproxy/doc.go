// Package awsproxy is what stands between users and AWS in a corporate
// network, for tests: an HTTPS proxy (CONNECT) that inspects TLS with a
// CA of its own, as TLS-inspecting proxies do, answers for the real AWS
// host names (oidc.us-east-1.amazonaws.com, portal.sso.cn-north-1.
// amazonaws.com.cn, eu-west-1.signin.aws.amazon.com, ...) and forwards
// every request to one upstream, such as the emulator. Clients under test
// reach it through HTTPS_PROXY and trust it through AWS_CA_BUNDLE or
// ca_bundle, with no AWS_ENDPOINT_URL_* at all: as in the field.
//
//	p := awsproxy.New(t, srv.URL)
//	env["HTTPS_PROXY"], env["AWS_CA_BUNDLE"] = p.URL, p.CAFile
//	... p.Hosts() lists the hosts the clients asked for ...
package awsproxy
