package config

// Keys of a profile, grouped by feature. Keys are case-insensitive in the
// files; these are the lower-case forms every reader compares with.
const (
	// SSO, in a profile.
	KeySSOSession   = "sso_session"
	KeySSOAccountID = "sso_account_id"
	KeySSORoleName  = "sso_role_name"
	// SSO, in an [sso-session] section, or in a legacy profile.
	KeySSOStartURL           = "sso_start_url"
	KeySSORegion             = "sso_region"
	KeySSORegistrationScopes = "sso_registration_scopes"

	// ssokit's own settings of an [sso-session] section; other tools
	// ignore keys they do not know.
	KeySSOKitUseDeviceCode = "ssokit_use_device_code"
	KeySSOKitCallbackPort  = "ssokit_callback_port"
	// KeySSOKitTokenStorage is where ssokit keeps the session's refresh
	// token and client secret: file (the default) or keyring.
	KeySSOKitTokenStorage = "ssokit_token_storage"

	// Static credentials.
	KeyAccessKeyID     = "aws_access_key_id"
	KeySecretAccessKey = "aws_secret_access_key"
	KeySessionToken    = "aws_session_token"
	KeySecurityToken   = "aws_security_token" // older name of aws_session_token

	// Other ways to get credentials.
	KeyCredentialProcess    = "credential_process"
	KeyRoleARN              = "role_arn"
	KeySourceProfile        = "source_profile"
	KeyCredentialSource     = "credential_source"
	KeyWebIdentityTokenFile = "web_identity_token_file"
	KeyRoleSessionName      = "role_session_name"
	KeyExternalID           = "external_id"
	KeyMFASerial            = "mfa_serial"
	KeyDurationSeconds      = "duration_seconds"

	// Client settings.
	KeyRegion               = "region"
	KeyOutput               = "output"
	KeySTSRegionalEndpoints = "sts_regional_endpoints"

	// Network settings.
	KeyCABundle             = "ca_bundle"
	KeyUseFIPSEndpoint      = "use_fips_endpoint"
	KeyUseDualStackEndpoint = "use_dualstack_endpoint"

	// Endpoint overrides (SSO-PROTOCOL.md §1).
	KeyEndpointURL                  = "endpoint_url"
	KeyServices                     = "services"
	KeyIgnoreConfiguredEndpointURLs = "ignore_configured_endpoint_urls"
)

// Environment variables read by this package.
const (
	EnvConfigFile                   = "AWS_CONFIG_FILE"
	EnvSharedCredentialsFile        = "AWS_SHARED_CREDENTIALS_FILE"
	EnvProfile                      = "AWS_PROFILE"
	EnvDefaultProfile               = "AWS_DEFAULT_PROFILE"
	EnvEndpointURL                  = "AWS_ENDPOINT_URL"
	EnvIgnoreConfiguredEndpointURLs = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
	EnvCABundle                     = "AWS_CA_BUNDLE"
	EnvUseFIPSEndpoint              = "AWS_USE_FIPS_ENDPOINT"
	EnvUseDualStackEndpoint         = "AWS_USE_DUALSTACK_ENDPOINT"
	EnvRegion                       = "AWS_REGION"
	EnvDefaultRegion                = "AWS_DEFAULT_REGION"
	EnvSTSRegionalEndpoints         = "AWS_STS_REGIONAL_ENDPOINTS"
	// EnvTokenStorage is the token storage of sso-sessions that set no
	// ssokit_token_storage: file or keyring.
	EnvTokenStorage = "SSOKIT_TOKEN_STORAGE"
)

// DefaultProfile is the profile used when none is chosen.
const DefaultProfile = "default"

// ssoProfileKeys are the keys that make a profile an SSO profile.
var ssoProfileKeys = []string{KeySSOSession, KeySSOStartURL, KeySSORegion, KeySSOAccountID, KeySSORoleName}
