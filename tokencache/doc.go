// Package tokencache reads and writes the SSO token cache in
// ~/.aws/sso/cache exactly as the AWS CLI does, so a sign-in by ssokit is
// seen by the AWS CLI and SDKs and the other way round.
//
// The flow:
//   - a token lives in <sha1(key)>.json, key being the sso-session name or,
//     for legacy profiles, the start URL exactly as configured;
//   - a client registration lives in <sha1(Python json.dumps of its key)>.json;
//   - LoadToken accepts every timestamp format other tools write and treats
//     a corrupt or incomplete file as absent (with a warning), because the
//     cure is the same: sign in again;
//   - SaveToken writes atomically, mode 0600, in the CLI's field order and
//     time format, and keeps fields it does not know so other tools lose
//     nothing;
//   - Lock serialises processes that sign in or refresh the same session;
//   - with keyring storage (config.TokenStorageKeyring), the refresh
//     token and the client registration live in the OS keyring
//     (LoadSecrets, SaveRefreshToken, SaveKeyringRegistration,
//     DeleteSecrets; service KeyringService) and the token file keeps only
//     startUrl, region, accessToken and expiresAt (Token.WithoutSecrets).
//     The Keyring interface lets tests use an in-memory keyring.
package tokencache
