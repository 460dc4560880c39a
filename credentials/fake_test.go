package credentials_test

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssosvc "github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/login"
	"github.com/ssokit/ssokit/tokencache"
)

// fakePortal is a GetRoleCredentials client that answers out or err and
// counts its calls, for tests where an emulator adds nothing.
type fakePortal struct {
	out   *ssosvc.GetRoleCredentialsOutput
	err   error
	calls atomic.Int32
	// last is the last request.
	last atomic.Pointer[ssosvc.GetRoleCredentialsInput]
}

func (f *fakePortal) GetRoleCredentials(_ context.Context, in *ssosvc.GetRoleCredentialsInput, _ ...func(*ssosvc.Options)) (*ssosvc.GetRoleCredentialsOutput, error) {
	f.calls.Add(1)
	f.last.Store(in)
	return f.out, f.err
}

// With a fake portal and a token in the cache, no emulator is needed: the
// provider sends the cached access token with the profile's account and
// role, caches the answer, and answers the next caller from the cache.
func TestRetrieveWithAFakePortal(t *testing.T) {
	home := tempdir.New(t)
	sso := config.SSO{Profile: "dev", SessionName: "s", StartURL: "https://d-0123456789.awsapps.com/start", Region: "us-east-2",
		AccountID: "111122223333", RoleName: "ReadOnly"}
	sess := login.NewSession(sso, func(o *login.Options) { o.Home = home })
	err := sess.Cache().SaveToken("s", &tokencache.Token{
		StartURL: sso.StartURL, Region: sso.Region, AccessToken: "at-1", ExpiresAt: time.Now().Add(time.Hour).UTC().Truncate(time.Second),
	})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	portal := &fakePortal{out: &ssosvc.GetRoleCredentialsOutput{RoleCredentials: &ssotypes.RoleCredentials{
		AccessKeyId: aws.String("ASIAFAKE"), SecretAccessKey: aws.String("secret"), SessionToken: aws.String("session"),
		Expiration: exp.UnixMilli(),
	}}}
	p := credentials.New(sess, func(o *credentials.Options) { o.Client = portal })
	for range 2 {
		creds, err := p.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if creds.AccessKeyID != "ASIAFAKE" || !creds.Expires.Equal(exp) || creds.AccountID != "111122223333" {
			t.Errorf("creds = %+v", creds)
		}
	}
	if n := portal.calls.Load(); n != 1 {
		t.Errorf("GetRoleCredentials called %d times, want 1 (then the cache)", n)
	}
	in := portal.last.Load()
	if aws.ToString(in.AccessToken) != "at-1" || aws.ToString(in.AccountId) != "111122223333" || aws.ToString(in.RoleName) != "ReadOnly" {
		t.Errorf("request = %+v, want the cached token, account and role", in)
	}
	if _, err := os.Stat(filepath.Join(credentials.DefaultCacheDir(home), credentials.CacheFileName(sso))); err != nil {
		t.Errorf("no cache entry in the session's home: %v", err)
	}
}
