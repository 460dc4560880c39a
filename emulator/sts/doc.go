// Package sts emulates the STS calls SSO users make: GetCallerIdentity, to
// check who they are, and AssumeRole, to go from an SSO role to a role in
// another account (role chaining). Both use the query protocol with XML
// responses.
//
// Route:
//
//	POST /  Action=GetCallerIdentity | AssumeRole (form body; the query string works too)
//
// Each action counts as an operation of its own. Requests must be
// SigV4-signed with credentials the emulator issued (by the portal or by
// AssumeRole). The handler looks the access key up, checks the session
// token and the expiry, then recomputes the signature with
// aws-sdk-go-v2's signer over the same method, path, query, signed
// headers, payload hash and time, and compares in constant time.
//
// GetCallerIdentity answers the session's assumed-role ARN: for portal
// credentials arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_SET_<suffix>/USER,
// for AssumeRole's arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
//
// AssumeRole decides as IAM would from the directory's iam_roles: the
// caller's role (aws:PrincipalArn; a permission set's role is
// arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SET_<suffix>)
// must be trusted, with the role's external ID and a valid MFA code when
// it asks for them, else AccessDenied; DurationSeconds must be within 900
// to 43200 (ValidationError naming the constraint), the role's maximum
// and the one-hour limit of role chaining.
package sts
