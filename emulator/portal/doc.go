// Package portal emulates the SSO portal API (sso, 2019-06-10): the calls
// that turn an OIDC access token into account lists and role credentials.
//
// Routes (all authenticated by the x-amz-sso_bearer_token header):
//
//	GET  /federation/credentials  GetRoleCredentials (role_name, account_id)
//	GET  /assignment/accounts     ListAccounts       (next_token, max_result)
//	GET  /assignment/roles        ListAccountRoles   (account_id, next_token, max_result)
//	POST /logout                  Logout
//
// Each request resolves the bearer token to a user, then answers from the
// directory. Role credentials are stored so STS can verify signatures made
// with them; they last the permission set's session duration. Logout
// deletes the access token and the refresh token issued with it.
package portal
