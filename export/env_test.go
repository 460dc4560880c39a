package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

var parentEnv = []string{
	"PATH=/usr/bin",
	"HOME=/home/me",
	"AWS_PROFILE=other",
	"AWS_DEFAULT_PROFILE=other",
	"AWS_ACCESS_KEY_ID=AKIAOLD",
	"AWS_SECRET_ACCESS_KEY=oldsecret",
	"AWS_SESSION_TOKEN=oldtoken",
	"AWS_SECURITY_TOKEN=oldtoken",
	"AWS_ACCESS_KEY=AKIAOLD",
	"AWS_SECRET_KEY=oldsecret",
	"AWS_CREDENTIAL_EXPIRATION=2000-01-01T00:00:00Z",
	"AWS_ACCOUNT_ID=999999999999",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/creds",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN=oldbearer",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/run/token",
	"AWS_WEB_IDENTITY_TOKEN_FILE=/run/jwt",
	"AWS_ROLE_ARN=arn:aws:iam::999999999999:role/x",
	"AWS_ROLE_SESSION_NAME=x",
	"AWS_CONFIG_FILE=/home/me/.aws/config",
	"AWS_SHARED_CREDENTIALS_FILE=/home/me/.aws/credentials",
	"AWS_MAX_ATTEMPTS=5",
	"AWS_PROFILE_SUFFIX=kept, only exact names are removed",
}

var kept = []string{
	"PATH=/usr/bin",
	"HOME=/home/me",
	"AWS_CONFIG_FILE=/home/me/.aws/config",
	"AWS_SHARED_CREDENTIALS_FILE=/home/me/.aws/credentials",
	"AWS_MAX_ATTEMPTS=5",
	"AWS_PROFILE_SUFFIX=kept, only exact names are removed",
}

func TestExecEnv(t *testing.T) {
	creds := aws.Credentials{
		AccessKeyID: "ASIANEW", SecretAccessKey: "newsecret", SessionToken: "newtoken",
		CanExpire: true, Expires: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), AccountID: "111122223333",
	}
	tests := []struct {
		name   string
		creds  aws.Credentials
		region string
		want   []string
	}{
		{
			name:  "temporary credentials and a region replace every other identity",
			creds: creds, region: "us-east-1",
			want: append(slices.Clone(kept),
				"AWS_ACCESS_KEY_ID=ASIANEW", "AWS_SECRET_ACCESS_KEY=newsecret", "AWS_SESSION_TOKEN=newtoken",
				"AWS_CREDENTIAL_EXPIRATION=2026-01-01T09:00:00+00:00", "AWS_ACCOUNT_ID=111122223333",
				"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1"),
		},
		{
			name:  "long-term keys and no region",
			creds: aws.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"},
			want:  append(slices.Clone(kept), "AWS_ACCESS_KEY_ID=AKIA", "AWS_SECRET_ACCESS_KEY=s"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExecEnv(parentEnv, tt.creds, tt.region)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("env (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContainerEnv(t *testing.T) {
	got := ContainerEnv(parentEnv, "http://127.0.0.1:4242/", "bearer", "us-east-1")
	want := append(slices.Clone(kept),
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:4242/", "AWS_CONTAINER_AUTHORIZATION_TOKEN=bearer",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
}

// The AWS CLI takes AWS_REGION, then AWS_DEFAULT_REGION, then the
// profile's region; the child gets the same answer in both variables
// unless the user set them.
func TestRegionFromTheEnvironmentWins(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S"}
	tests := []struct {
		name    string
		parent  []string
		profile string
		want    []string // the region variables in the child, in order
	}{
		{"the profile's region fills both", nil, "us-east-1",
			[]string{"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1"}},
		{"AWS_REGION wins over the profile and fills AWS_DEFAULT_REGION", []string{"AWS_REGION=ap-south-1"}, "us-east-1",
			[]string{"AWS_REGION=ap-south-1", "AWS_DEFAULT_REGION=ap-south-1"}},
		{"AWS_DEFAULT_REGION wins over the profile and fills AWS_REGION", []string{"AWS_DEFAULT_REGION=eu-north-1"}, "us-east-1",
			[]string{"AWS_DEFAULT_REGION=eu-north-1", "AWS_REGION=eu-north-1"}},
		{"both set are kept as they are", []string{"AWS_REGION=ap-south-1", "AWS_DEFAULT_REGION=eu-north-1"}, "us-east-1",
			[]string{"AWS_REGION=ap-south-1", "AWS_DEFAULT_REGION=eu-north-1"}},
		{"an empty variable counts as unset", []string{"AWS_REGION=", "AWS_DEFAULT_REGION=eu-north-1"}, "us-east-1",
			[]string{"AWS_DEFAULT_REGION=eu-north-1", "AWS_REGION=eu-north-1"}},
		{"the environment's region without a profile region", []string{"AWS_REGION=ap-south-1"}, "",
			[]string{"AWS_REGION=ap-south-1", "AWS_DEFAULT_REGION=ap-south-1"}},
		{"no region anywhere sets none", nil, "", nil},
	}
	regionVars := func(env []string) []string {
		var out []string
		for _, kv := range env {
			if strings.HasPrefix(kv, "AWS_REGION=") || strings.HasPrefix(kv, "AWS_DEFAULT_REGION=") {
				out = append(out, kv)
			}
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := append([]string{"PATH=/usr/bin"}, tt.parent...)
			if diff := cmp.Diff(tt.want, regionVars(ExecEnv(parent, creds, tt.profile))); diff != "" {
				t.Errorf("ExecEnv region variables (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, regionVars(ContainerEnv(parent, "http://127.0.0.1:1/", "t", tt.profile))); diff != "" {
				t.Errorf("ContainerEnv region variables (-want +got):\n%s", diff)
			}
		})
	}
	// Windows ignores the case of names: aws_region is AWS_REGION there.
	got := regionVars(childEnvFold([]string{"aws_region=ap-south-1"}, true, "us-east-1"))
	if diff := cmp.Diff([]string{"AWS_DEFAULT_REGION=ap-south-1"}, got); diff != "" {
		t.Errorf("Windows (-want +got):\n%s", diff)
	}
}

func TestExecEnvDoesNotChangeItsInput(t *testing.T) {
	in := slices.Clone(parentEnv)
	ExecEnv(in, aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S"}, "us-east-1")
	if diff := cmp.Diff(parentEnv, in); diff != "" {
		t.Errorf("input changed (-before +after):\n%s", diff)
	}
}

func TestChildEnvOnWindowsIgnoresCase(t *testing.T) {
	in := []string{"Path=C:\\Windows", "aws_profile=other", "Aws_Access_Key_Id=AKIAOLD", "=C:=C:\\"}
	creds := aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S"}
	set := []string{EnvAccessKeyID, creds.AccessKeyID, EnvSecretAccessKey, creds.SecretAccessKey}
	got := childEnvFold(in, true, "", set...)
	want := []string{"Path=C:\\Windows", "=C:=C:\\", "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Windows env (-want +got):\n%s", diff)
	}
	// Elsewhere names are case-sensitive: a lower-case name is another variable.
	got = childEnvFold(in, false, "", set...)
	want = append(slices.Clone(in), "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=S")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unix env (-want +got):\n%s", diff)
	}
}

func TestExecEnvExpirationIsWhatExportPrints(t *testing.T) {
	creds := aws.Credentials{
		AccessKeyID: "ASIA", SecretAccessKey: "s", SessionToken: "t",
		CanExpire: true, Expires: time.Date(2026, 1, 1, 10, 0, 0, 5e8, time.FixedZone("CET", 3600)),
	}
	var out bytes.Buffer
	if err := Write(&out, creds, FormatEnvNoExport); err != nil {
		t.Fatal(err)
	}
	var exported, passed string
	for _, line := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(line, EnvCredentialExpiration+"="); ok {
			exported = v
		}
	}
	for _, kv := range ExecEnv(nil, creds, "") {
		if v, ok := strings.CutPrefix(kv, EnvCredentialExpiration+"="); ok {
			passed = v
		}
	}
	if exported != "2026-01-01T09:00:00+00:00" || passed != exported {
		t.Errorf("export prints %s=%q, exec passes %q; want both 2026-01-01T09:00:00+00:00", EnvCredentialExpiration, exported, passed)
	}
}

func TestSetRegionWinsOverTheEnvironment(t *testing.T) {
	in := []string{"HOME=/h", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-west-2"}
	got := setRegionFold(in, false, "eu-west-1")
	want := []string{"HOME=/h", "AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	got = setRegionFold([]string{"aws_region=us-east-1", "Path=C:\\"}, true, "eu-west-1")
	want = []string{"Path=C:\\", "AWS_REGION=eu-west-1", "AWS_DEFAULT_REGION=eu-west-1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Windows env (-want +got):\n%s", diff)
	}
}
