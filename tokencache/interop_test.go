package tokencache_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/tokencache"
)

// cliConfig has an sso-session profile and a legacy one on the emulator.
func cliConfig(srv *emulatortest.Server) string {
	return fmt.Sprintf(`[profile emu]
sso_session = emu
sso_account_id = %[1]s
sso_role_name = %[2]s
region = %[3]s

[profile legacy]
sso_start_url = %[4]s
sso_region = %[3]s
sso_account_id = %[1]s
sso_role_name = %[2]s
region = %[3]s

[sso-session emu]
sso_start_url = %[4]s
sso_region = %[3]s
sso_registration_scopes = sso:account:access
`, directory.DemoAccount, directory.DemoRole, srv.Region, srv.StartURL)
}

// signIn gets a real token from the emulator through the device flow
// (auto-approved), as ssokit's login would, with a refresh token.
func signIn(t *testing.T, srv *emulatortest.Server) *tokencache.Token {
	t.Helper()
	ctx := context.Background()
	oidc := ssooidc.New(ssooidc.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("tokencache-test"), ClientType: aws.String("public"), Scopes: []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(srv.StartURL)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &tokencache.Token{
		StartURL: srv.StartURL, Region: srv.Region, AccessToken: aws.ToString(tok.AccessToken),
		ExpiresAt: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second),
		ClientID:  aws.ToString(reg.ClientId), ClientSecret: aws.ToString(reg.ClientSecret),
		RegistrationExpiresAt: time.Unix(reg.ClientSecretExpiresAt, 0), RefreshToken: aws.ToString(tok.RefreshToken),
	}
}

func exportCredentials(t *testing.T, cli *awscli.CLI, profile string) {
	t.Helper()
	out, _, err := cli.Run("configure", "export-credentials", "--profile", profile)
	if err != nil {
		t.Fatal(err)
	}
	var creds struct{ AccessKeyID, SecretAccessKey, SessionToken string }
	if err := json.Unmarshal([]byte(out), &creds); err != nil || creds.AccessKeyID == "" || creds.SessionToken == "" {
		t.Fatalf("export-credentials --profile %s printed %q (%v)", profile, out, err)
	}
}

// A token ssokit writes is used as is by the AWS CLI: it gets role
// credentials with it, without signing in or refreshing.
func TestAWSCLIUsesTokensWeWrite(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(cliConfig(srv))
	cache := tokencache.New(tokencache.DefaultDir(cli.Home))
	if err := cache.SaveToken("emu", signIn(t, srv)); err != nil {
		t.Fatal(err)
	}
	legacy := signIn(t, srv)
	legacy.ClientID, legacy.ClientSecret, legacy.RefreshToken, legacy.RegistrationExpiresAt = "", "", "", time.Time{}
	if err := cache.SaveToken(srv.StartURL, legacy); err != nil {
		t.Fatal(err)
	}
	tokensIssued := srv.Count("CreateToken")

	exportCredentials(t, cli, "emu")
	exportCredentials(t, cli, "legacy")
	if n := srv.Count("GetRoleCredentials"); n != 2 {
		t.Errorf("GetRoleCredentials = %d, want 2 (one per profile)", n)
	}
	if n := srv.Count("CreateToken"); n != tokensIssued {
		t.Errorf("the CLI asked for %d new tokens; it should have used ours", n-tokensIssued)
	}
}

// A token close to expiry is refreshed by the AWS CLI, and what it writes
// back loads here with the refresh fields intact.
func TestAWSCLIRefreshesTokensWeWrite(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(cliConfig(srv))
	cache := tokencache.New(tokencache.DefaultDir(cli.Home))
	tok := signIn(t, srv)
	if tok.RefreshToken == "" {
		t.Fatal("the emulator issued no refresh token for a scoped registration")
	}
	// Five minutes left: botocore refreshes below ten, before using it.
	tok.ExpiresAt = time.Now().Add(5 * time.Minute)
	if err := cache.SaveToken("emu", tok); err != nil {
		t.Fatal(err)
	}
	exportCredentials(t, cli, "emu")

	got, err := cache.LoadToken("emu")
	if err != nil {
		t.Fatal(err)
	}
	// The refreshed token has the emulator's fresh hour, as on AWS.
	if got.AccessToken == tok.AccessToken || got.Remaining(time.Now()) < 55*time.Minute {
		t.Fatalf("the CLI did not refresh the token: %+v", got)
	}
	if got.ClientID != tok.ClientID || got.ClientSecret != tok.ClientSecret || !got.RegistrationExpiresAt.Equal(tok.RegistrationExpiresAt.Truncate(time.Second)) {
		t.Errorf("registration fields changed: got %+v", got)
	}
	if !got.CanRefresh(time.Now()) || got.StartURL != srv.StartURL || got.Region != srv.Region {
		t.Errorf("refreshed token %+v: want start URL, region and a refresh token", got)
	}
}

// A token `aws sso login` writes loads here, and so does the client
// registration it cached, found by its Python-hashed file name.
func TestWeUseTokensTheAWSCLIWrites(t *testing.T) {
	t.Parallel()
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = directory.DemoUser })
	cli := awscli.New(t, srv.URL)
	cli.WriteConfig(cliConfig(srv))
	for _, profile := range []string{"emu", "legacy"} {
		if _, _, err := cli.Run("sso", "login", "--profile", profile, "--no-browser"); err != nil {
			t.Fatal(err)
		}
	}
	var warnings []string
	cache := tokencache.New(tokencache.DefaultDir(cli.Home), func(o *tokencache.Options) {
		o.Warn = func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
	})
	now := time.Now()
	portal := sso.New(sso.Options{Region: srv.Region, BaseEndpoint: aws.String(srv.URL)})
	tests := map[string]struct {
		key         string
		reg         tokencache.RegistrationKey
		refreshable bool
		// lifetime is what the emulator gives, like AWS: an hour for a
		// token with a refresh token, the whole 8h session without one.
		lifetime time.Duration
	}{
		"an sso-session profile": {
			key:         "emu",
			reg:         tokencache.RegistrationKey{Region: srv.Region, Scopes: []string{"sso:account:access"}, SessionName: "emu", StartURL: srv.StartURL},
			refreshable: true,
			lifetime:    time.Hour,
		},
		"a legacy profile": {
			key:      srv.StartURL,
			reg:      tokencache.RegistrationKey{Region: srv.Region, StartURL: srv.StartURL},
			lifetime: 8 * time.Hour,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tok, err := cache.LoadToken(tt.key)
			if err != nil {
				t.Fatalf("LoadToken: %v (warnings %q)", err, warnings)
			}
			if tok.StartURL != srv.StartURL || tok.Region != srv.Region {
				t.Errorf("token %+v: want start URL %s and region %s", tok, srv.StartURL, srv.Region)
			}
			if left := tok.Remaining(now); left < tt.lifetime-5*time.Minute || left > tt.lifetime {
				t.Errorf("time left = %v, want about %v", left, tt.lifetime)
			}
			if got := tok.CanRefresh(now); got != tt.refreshable {
				t.Errorf("CanRefresh = %v, want %v", got, tt.refreshable)
			}
			if _, err := portal.ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: aws.String(tok.AccessToken)}); err != nil {
				t.Errorf("the portal refuses the loaded token: %v", err)
			}
			reg, err := cache.LoadRegistration(tt.reg)
			if err != nil {
				entries, _ := os.ReadDir(cache.Dir())
				t.Fatalf("LoadRegistration(%s): %v; cache holds %v", tt.reg.FileName(), err, entries)
			}
			if reg.ClientID != tok.ClientID || reg.ExpiresAt.Before(now) {
				t.Errorf("registration %+v does not match the token's client %s", reg, tok.ClientID)
			}
		})
	}
	entries, err := cache.Tokens()
	if err != nil || len(entries) != 2 {
		t.Errorf("Tokens = %d entries (%v), want the 2 tokens and no registrations", len(entries), err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
}
