package config

import (
	"errors"
	"strings"
	"testing"
)

// ssokit_token_storage in the [sso-session] wins over SSOKIT_TOKEN_STORAGE,
// which is the default of the sessions that set nothing; file is ""; legacy
// profiles always use files; a value that is neither is an error naming
// where it is.
func TestTokenStorage(t *testing.T) {
	cfg := loadConfig(t, `[profile vault]
sso_session = vault
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile plain]
sso_session = plain
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile files]
sso_session = files
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile old]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile bad]
sso_session = bad
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session vault]
sso_start_url = https://vault.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = Keyring

[sso-session plain]
sso_start_url = https://plain.awsapps.com/start
sso_region = us-east-1

[sso-session files]
sso_start_url = https://files.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = file

[sso-session bad]
sso_start_url = https://bad.awsapps.com/start
sso_region = us-east-1
ssokit_token_storage = vault
`, "")
	for _, tc := range []struct {
		env  string
		want map[string]string
	}{
		{"", map[string]string{"vault": "keyring", "plain": "", "files": "", "old": ""}},
		{"keyring", map[string]string{"vault": "keyring", "plain": "keyring", "files": "", "old": ""}},
		{"file", map[string]string{"vault": "keyring", "plain": "", "files": "", "old": ""}},
	} {
		getenv := func(k string) string {
			if k == EnvTokenStorage {
				return tc.env
			}
			return ""
		}
		for profile, want := range tc.want {
			s, err := cfg.ResolveSSO(profile, getenv)
			if err != nil || s.TokenStorage != want {
				t.Errorf("SSOKIT_TOKEN_STORAGE=%q, profile %s: TokenStorage %q (%v), want %q", tc.env, profile, s.TokenStorage, err, want)
			}
		}
		if s, err := cfg.ResolveSSOSession("plain", "", getenv); err != nil || s.TokenStorage != tc.want["plain"] {
			t.Errorf("SSOKIT_TOKEN_STORAGE=%q, ResolveSSOSession(plain): %q (%v)", tc.env, s.TokenStorage, err)
		}
	}

	_, err := cfg.ResolveSSO("bad", nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), `ssokit_token_storage in sso-session "bad" is "vault", neither file nor keyring`) || ve.Problem.Location.Line == 0 {
		t.Errorf("ResolveSSO(bad) = %v, want a *ValidationError at the line", err)
	}
	_, err = cfg.ResolveSSO("plain", func(k string) string { return map[string]string{EnvTokenStorage: "vault"}[k] })
	var ee *TokenStorageEnvError
	if !errors.As(err, &ee) {
		t.Errorf("ResolveSSO with SSOKIT_TOKEN_STORAGE=vault = %v, want a *TokenStorageEnvError", err)
	}
}
