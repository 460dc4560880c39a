// Package sts emulates the one STS call SSO users make to check who they
// are: GetCallerIdentity, over the query protocol with XML responses.
//
// Route:
//
//	POST /  Action=GetCallerIdentity (form body; the query string works too)
//
// The request must be SigV4-signed with role credentials the portal issued.
// The handler looks the access key up, checks the session token and the
// expiry, then recomputes the signature with aws-sdk-go-v2's signer over the
// same method, path, query, signed headers, payload hash and time, and
// compares in constant time. The answer is the assumed-role ARN of the
// permission set's role: arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_ROLE_<suffix>/USER.
package sts
