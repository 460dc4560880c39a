package emulator_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// startOn runs an emulator over the SQLite file at path and returns it as an
// emulatortest.Server so the SDK helpers apply; stop closes the server and
// the database, as a process exit would.
func startOn(t *testing.T, path string, dir *directory.Directory) (srv *emulatortest.Server, stop func()) {
	t.Helper()
	store, err := emulator.OpenStore(context.Background(), emulator.StoreSQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	em, err := emulator.New(emulator.Options{Directory: dir, Store: store, AutoApprove: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(em.Handler())
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			hs.Close()
			store.Close()
		}
	}
	t.Cleanup(stop)
	return &emulatortest.Server{URL: hs.URL, StartURL: em.StartURL(), Region: em.Region(), Directory: em.Directory(), Emulator: em}, stop
}

func TestRestartKeepsTokensAndCredentials(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "emulator.db")
	dir := directory.Demo()
	ctx := context.Background()

	before, stop := startOn(t, path, dir)
	c := newClients(t, before)
	reg := c.register(t, &ssooidc.RegisterClientInput{Scopes: []string{"sso:account:access"}})
	tok, err := c.deviceToken(reg, c.startDevice(t, reg))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := c.sso.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: tok.AccessToken, AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole),
	})
	if err != nil {
		t.Fatal(err)
	}
	rc := creds.RoleCredentials
	signin := federationToken(t, before.URL, aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken))
	stop()

	after, _ := startOn(t, path, dir)
	c = newClients(t, after)
	if _, err := c.sso.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: tok.AccessToken}); err != nil {
		t.Errorf("the access token from before the restart: %v", err)
	}
	id, err := stsClient(after, aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken)).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Errorf("the role credentials from before the restart: %v", err)
	} else if aws.ToString(id.Account) != directory.DemoAccount {
		t.Errorf("GetCallerIdentity account = %s", aws.ToString(id.Account))
	}
	refreshed, err := c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken,
	})
	if err != nil || aws.ToString(refreshed.AccessToken) == "" {
		t.Errorf("the refresh token from before the restart: %v", err)
	}
	if page := consolePage(t, after.URL, signin); page == "" {
		t.Error("the sign-in token from before the restart does not open the console")
	}
}
