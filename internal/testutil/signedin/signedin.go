package signedin

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/tokencache"
)

// Profiles in the config file New writes.
const (
	// Profile uses the sso-session Session, the demo account and role, and
	// region ProfileRegion.
	Profile       = "dev"
	Session       = "emu"
	ProfileRegion = "eu-west-1"
	// Legacy is a legacy SSO profile (keys in the profile, no session) that
	// nobody signed in to.
	Legacy = "legacy"
	// Static holds long-term keys: not an SSO profile.
	Static = "static"
	// NotAssigned names a role the demo user is not assigned.
	NotAssigned = "not-assigned"
)

// Assume-role profiles AddChains writes, sourced from Profile.
const (
	// Chained assumes the demo directory's assumable role (Admin in
	// 210987654321) with session name ChainedSession and region
	// ChainedRegion.
	Chained        = "prod-admin"
	ChainedSession = "alice"
	ChainedRegion  = "us-west-2"
	// Untrusted names the demo role that does not trust Profile's.
	Untrusted = "prod-notrust"
)

// Roles ChainRoles adds to the demo directory, both in account
// 210987654321 and trusting Profile's role, on conditions.
const (
	// PartnerRole wants the external ID PartnerExternalID.
	PartnerRole       = "arn:aws:iam::210987654321:role/Partner"
	PartnerExternalID = "right-id"
	// GuardedRole wants a code from the MFA device MFASerial, the demo
	// directory's TOTP user's.
	GuardedRole = "arn:aws:iam::210987654321:role/Guarded"
	MFASerial   = "arn:aws:iam::123456789011:mfa/" + directory.DemoTOTPUser
)

// ChainRoles is an option for New: the demo directory with PartnerRole and
// GuardedRole.
func ChainRoles(o *emulator.Options) {
	d := directory.Demo()
	trust := []string{"arn:aws:iam::" + directory.DemoAccount + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_" + directory.DemoRole + "_*"}
	d.IAMRoles = append(d.IAMRoles,
		directory.IAMRole{ARN: PartnerRole, Trust: trust, ExternalID: PartnerExternalID},
		directory.IAMRole{ARN: GuardedRole, Trust: trust, MFA: true})
	o.Directory = d
}

// MFACode returns the current code of the device MFASerial, and a wrong
// one: the same with another first digit.
func (e *Env) MFACode(t testing.TB) (code, wrong string) {
	t.Helper()
	u, ok := e.Srv.Directory.User(directory.DemoTOTPUser)
	if !ok {
		t.Fatalf("signedin: no user %s", directory.DemoTOTPUser)
	}
	code, err := directory.TOTP(u.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code, string('0'+(code[0]-'0'+1)%10) + code[1:]
}

// Env is a signed-in home folder.
type Env struct {
	Srv  *emulatortest.Server
	Home string
	// ConfigPath and CredentialsPath are the shared files, under Home.
	ConfigPath, CredentialsPath string
	// Vars is the environment commands see: HOME and the endpoint overrides
	// (AWS_ENDPOINT_URL_SSO, _SSO_OIDC, _STS, _SIGNIN), and whatever was
	// added.
	Vars map[string]string
	// Browser records the URLs commands open.
	Browser *browserstub.Stub
}

// New starts an emulator (optFns adjust it), writes the config file and
// signs the demo user in.
func New(t testing.TB, optFns ...func(*emulator.Options)) *Env {
	t.Helper()
	srv := emulatortest.NewServer(t, optFns...)
	home := tempdir.New(t)
	e := &Env{
		Srv:             srv,
		Home:            home,
		ConfigPath:      filepath.Join(home, ".aws", "config"),
		CredentialsPath: filepath.Join(home, ".aws", "credentials"),
		Vars:            map[string]string{"HOME": home, "AWS_ENDPOINT_URL_SIGNIN": srv.URL},
		Browser:         &browserstub.Stub{},
	}
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		e.Vars[k] = v
	}
	cfg := fmt.Sprintf(`[profile %[1]s]
sso_session = %[2]s
sso_account_id = %[3]s
sso_role_name = %[4]s
region = %[5]s

[profile %[6]s]
sso_start_url = %[7]s
sso_region = %[8]s
sso_account_id = %[3]s
sso_role_name = %[4]s

[profile %[9]s]
sso_session = %[2]s
sso_account_id = 777788889999
sso_role_name = SecurityAudit

[profile %[10]s]
region = us-east-1

[sso-session %[2]s]
sso_start_url = %[7]s
sso_region = %[8]s
sso_registration_scopes = sso:account:access
`, Profile, Session, directory.DemoAccount, directory.DemoRole, ProfileRegion, Legacy, srv.StartURL, srv.Region, NotAssigned, Static)
	if err := os.MkdirAll(filepath.Dir(e.ConfigPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.ConfigPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.CredentialsPath, []byte("[static]\naws_access_key_id = AKIASTATICEXAMPLE\naws_secret_access_key = staticsecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.SignIn(t, Session)
	return e
}

// SignIn runs the device flow as the demo user, approving on the emulator's
// pages, and caches the token under key (a session name, or a legacy
// profile's start URL).
func (e *Env) SignIn(t testing.TB, key string) {
	t.Helper()
	ctx := context.Background()
	c := ssooidc.New(ssooidc.Options{Region: e.Srv.Region, BaseEndpoint: aws.String(e.Srv.URL)})
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("ssokit-test"), ClientType: aws.String("public"),
		GrantTypes: []string{"urn:ietf:params:oauth:grant-type:device_code", "refresh_token"},
		Scopes:     []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatalf("signedin: register client: %v", err)
	}
	dev, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(e.Srv.StartURL),
	})
	if err != nil {
		t.Fatalf("signedin: start device authorization: %v", err)
	}
	b := e.Srv.Browser(t, directory.DemoUser, e.Srv.Password(t, directory.DemoUser))
	if err := b.Follow(aws.ToString(dev.VerificationUriComplete)); err != nil {
		t.Fatalf("signedin: approve the device code: %v", err)
	}
	tok, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: dev.DeviceCode,
	})
	if err != nil {
		t.Fatalf("signedin: create token: %v", err)
	}
	cache := tokencache.New(tokencache.DefaultDir(e.Home))
	err = cache.SaveToken(key, &tokencache.Token{
		StartURL: e.Srv.StartURL, Region: e.Srv.Region,
		AccessToken: aws.ToString(tok.AccessToken),
		ExpiresAt:   time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second).UTC().Truncate(time.Second),
		ClientID:    aws.ToString(reg.ClientId), ClientSecret: aws.ToString(reg.ClientSecret),
		RegistrationExpiresAt: time.Unix(reg.ClientSecretExpiresAt, 0).UTC(),
		RefreshToken:          aws.ToString(tok.RefreshToken),
	})
	if err != nil {
		t.Fatalf("signedin: %v", err)
	}
}

// AddChains appends the assume-role profiles Chained and Untrusted to the
// config file.
func (e *Env) AddChains(t testing.TB) {
	t.Helper()
	e.AppendConfig(t, fmt.Sprintf(`
[profile %s]
role_arn = %s
source_profile = %s
role_session_name = %s
duration_seconds = 3600
region = %s

[profile %s]
role_arn = %s
source_profile = %s
`, Chained, directory.DemoAssumableRole, Profile, ChainedSession, ChainedRegion, Untrusted, directory.DemoUntrustedRole, Profile))
}

// AppendConfig adds text to the config file.
func (e *Env) AppendConfig(t testing.TB, text string) {
	t.Helper()
	f, err := os.OpenFile(e.ConfigPath, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// ChainedARN is the caller ARN of Chained's credentials.
func ChainedARN() string {
	return "arn:aws:sts::210987654321:assumed-role/Admin/" + ChainedSession
}

// Environ is Vars as KEY=VALUE strings.
func (e *Env) Environ() []string {
	env := make([]string, 0, len(e.Vars))
	for k, v := range e.Vars {
		env = append(env, k+"="+v)
	}
	return env
}

// CallerARN calls STS GetCallerIdentity on the emulator with creds (which
// checks their SigV4 signature) and returns the caller's ARN.
func (e *Env) CallerARN(t testing.TB, creds aws.Credentials) string {
	t.Helper()
	client := sts.New(sts.Options{
		Region:       ProfileRegion,
		BaseEndpoint: aws.String(e.Srv.URL),
		Credentials:  credentials.StaticCredentialsProvider{Value: creds},
	})
	out, err := client.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("signedin: GetCallerIdentity with the credentials: %v", err)
	}
	return aws.ToString(out.Arn)
}

// RoleARNPrefix is how the ARN of the demo role's session starts.
func RoleARNPrefix() string {
	return "arn:aws:sts::" + directory.DemoAccount + ":assumed-role/AWSReservedSSO_" + directory.DemoRole
}
