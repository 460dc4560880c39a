package signedin

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/tokencache"
)

func TestNewLeavesAUsableToken(t *testing.T) {
	e := New(t)
	tok, err := tokencache.New(tokencache.DefaultDir(e.Home)).LoadToken(Session)
	if err != nil {
		t.Fatal(err)
	}
	out, err := sso.New(sso.Options{Region: e.Srv.Region, BaseEndpoint: aws.String(e.Srv.URL)}).GetRoleCredentials(context.Background(),
		&sso.GetRoleCredentialsInput{AccessToken: aws.String(tok.AccessToken), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole)})
	if err != nil {
		t.Fatalf("the cached token does not reach the portal: %v", err)
	}
	if aws.ToString(out.RoleCredentials.AccessKeyId) == "" {
		t.Error("no access key")
	}
	if got := e.Vars["AWS_ENDPOINT_URL_SSO"]; got != e.Srv.URL {
		t.Errorf("AWS_ENDPOINT_URL_SSO = %q, want %q", got, e.Srv.URL)
	}
}

func TestCallerARN(t *testing.T) {
	e := New(t)
	tok, err := tokencache.New(tokencache.DefaultDir(e.Home)).LoadToken(Session)
	if err != nil {
		t.Fatal(err)
	}
	out, err := sso.New(sso.Options{Region: e.Srv.Region, BaseEndpoint: aws.String(e.Srv.URL)}).GetRoleCredentials(context.Background(),
		&sso.GetRoleCredentialsInput{AccessToken: aws.String(tok.AccessToken), AccountId: aws.String(directory.DemoAccount), RoleName: aws.String(directory.DemoRole)})
	if err != nil {
		t.Fatal(err)
	}
	rc := out.RoleCredentials
	arn := e.CallerARN(t, aws.Credentials{AccessKeyID: aws.ToString(rc.AccessKeyId), SecretAccessKey: aws.ToString(rc.SecretAccessKey), SessionToken: aws.ToString(rc.SessionToken)})
	t.Log(arn)
	if !strings.HasPrefix(arn, RoleARNPrefix()) {
		t.Errorf("ARN %s does not start with %s", arn, RoleARNPrefix())
	}
}
