// Package wire is what the emulator's AWS APIs share on the wire: request
// ids, bounded JSON decoding, and one writer per error shape — restJson1 for
// SSO OIDC and the SSO portal, the query protocol's XML for STS — so that
// the SDKs and the AWS CLI decode every error into their typed exceptions.
package wire
