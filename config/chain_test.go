package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

const chainConfig = `[profile hub]
sso_session = corp
sso_account_id = 123456789011
sso_role_name = readOnly
region = eu-west-1

[profile prod-admin]
role_arn = arn:aws:iam::210987654321:role/Admin
source_profile = hub
role_session_name = alice
duration_seconds = 3600
region = us-west-2

[profile deep]
role_arn = arn:aws:iam::333333333333:role/Deploy
source_profile = prod-admin
external_id = ext-123
mfa_serial = arn:aws:iam::123456789011:mfa/alice

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
`

func TestResolveChain(t *testing.T) {
	hub := SSO{Profile: "hub", SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-central-1",
		AccountID: "123456789011", RoleName: "readOnly", ProfileRegion: "eu-west-1"}
	admin := AssumeRole{Profile: "prod-admin", RoleARN: "arn:aws:iam::210987654321:role/Admin", RoleSessionName: "alice", DurationSeconds: 3600}
	tests := []struct {
		name    string
		extra   string
		profile string
		want    Chain
	}{
		{
			name: "an SSO profile is a chain of no steps", profile: "hub",
			want: Chain{Profile: "hub", SSO: hub, ProfileRegion: "eu-west-1"},
		},
		{
			name: "one step, with its settings", profile: "prod-admin",
			want: Chain{Profile: "prod-admin", SSO: hub, Steps: []AssumeRole{admin}, ProfileRegion: "us-west-2", STSRegion: "us-west-2"},
		},
		{
			name: "two steps, in the order they are assumed", profile: "deep",
			want: Chain{Profile: "deep", SSO: hub, STSRegion: "us-east-1", Steps: []AssumeRole{admin, {Profile: "deep",
				RoleARN: "arn:aws:iam::333333333333:role/Deploy", ExternalID: "ext-123", MFASerial: "arn:aws:iam::123456789011:mfa/alice"}}},
		},
		{
			name:    "a source profile with role_arn and static keys uses its keys' SSO neighbour: SSO wins, as in botocore's providers",
			extra:   "[profile mixed]\nrole_arn = arn:aws:iam::1:role/x\naws_access_key_id = a\naws_secret_access_key = b\nsso_session = corp\nsso_account_id = 123456789011\nsso_role_name = readOnly\n\n[profile top]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = mixed\n",
			profile: "top",
			want: Chain{Profile: "top", SSO: SSO{Profile: "mixed", SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-central-1",
				AccountID: "123456789011", RoleName: "readOnly"}, STSRegion: "us-east-1",
				Steps: []AssumeRole{{Profile: "top", RoleARN: "arn:aws:iam::210987654321:role/Admin"}}},
		},
		{
			name:    "an empty role_session_name is none",
			extra:   "[profile anon]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = hub\nrole_session_name =\n",
			profile: "anon",
			want:    Chain{Profile: "anon", SSO: hub, STSRegion: "us-east-1", Steps: []AssumeRole{{Profile: "anon", RoleARN: "arn:aws:iam::210987654321:role/Admin"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadConfig(t, chainConfig+"\n"+tt.extra, "")
			got, err := c.ResolveChain(tt.profile, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, ignoreEndpoints, cmpopts.IgnoreFields(SSO{}, "CABundle")); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if got.Profiles()[0] != tt.profile || got.Profiles()[len(got.Steps)] != got.SSO.Profile {
				t.Errorf("Profiles() = %v", got.Profiles())
			}
		})
	}
}

func TestResolveChainErrors(t *testing.T) {
	tests := []struct {
		name    string
		config  string
		creds   string
		profile string
		wantErr string
		errLine int // of the config file; 0 for the credentials file's first line
		errType any
	}{
		{
			name:    "a role with nothing to assume it with",
			config:  "[profile p]\nrole_arn = arn:aws:iam::1:role/x\n",
			profile: "p", wantErr: `profile "p" has role_arn but nothing to assume it with`, errLine: 2,
		},
		{
			name:    "a source_profile that does not exist",
			config:  "[profile p]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = ghost\n",
			profile: "p", wantErr: `profile "p" names source_profile "ghost", which is defined in neither file`, errLine: 3,
		},
		{
			name:    "both kinds of source",
			config:  "[profile p]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = p\ncredential_source = Environment\n",
			profile: "p", wantErr: `profile "p" has both source_profile and credential_source`, errLine: 4,
		},
		{
			name:    "a loop through the profile asked for",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = a\n",
			profile: "a", wantErr: `the source_profile chain of profile "a" comes back to it and never reaches credentials`, errLine: 3,
		},
		{
			name:    "a loop further down is named where it is",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = c\n\n[profile c]\nrole_arn = arn:aws:iam::1:role/z\nsource_profile = b\n",
			profile: "a", wantErr: `the source_profile chain of profile "b" comes back to it`, errLine: 7,
		},
		{
			name:    "a profile naming itself without keys loops",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\n",
			profile: "a", wantErr: `the source_profile chain of profile "a" comes back to it`, errLine: 3,
		},
		{
			name:    "duration_seconds that is not a number",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = s\nduration_seconds = 1h\n\n[profile s]\nsso_session = x\n",
			profile: "a", wantErr: `duration_seconds "1h" is not a whole number of seconds`, errLine: 4,
		},
		{
			name:    "a bad sts_regional_endpoints",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = s\nsts_regional_endpoints = global\n\n[profile s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = r\n",
			profile: "a", wantErr: `STS regional endpoints option "global" is invalid`, errLine: 4,
		},
		{
			name:    "the SSO profile at the root is broken",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = s\n\n[profile s]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n",
			profile: "a", wantErr: `the specified sso-session does not exist: "nope"`, errLine: 6,
		},
		{
			name:    "a chain ending in static keys",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = static\n",
			creds:   "[static]\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
			profile: "a", wantErr: `profile "a" assumes its role with the credentials of profile "static" (a -> static), which is a static-keys profile, not an SSO profile`,
			errType: &UnsupportedSourceError{},
		},
		{
			name:    "a profile using its own static keys",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
			profile: "a", wantErr: `profile "a" assumes its role with its own static keys, not with SSO credentials`,
			errType: &UnsupportedSourceError{},
		},
		{
			name:    "a chain ending in a credential_process",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = tool\n\n[profile tool]\ncredential_process = /bin/tool\n",
			profile: "a", wantErr: `the credentials of profile "tool" (a -> b -> tool), which is a credential_process profile`,
			errType: &UnsupportedSourceError{},
		},
		{
			name:    "a credential_source",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Ec2InstanceMetadata\n",
			profile: "a", wantErr: `profile "a" assumes its role with credential_source = Ec2InstanceMetadata, not with SSO credentials`,
			errType: &UnsupportedSourceError{},
		},
		{
			name:    "a web identity further down",
			config:  "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::1:role/y\nweb_identity_token_file = /tmp/t\n",
			profile: "a", wantErr: `through profile "b" (a -> b), which uses web_identity_token_file`,
			errType: &UnsupportedSourceError{},
		},
		{
			name:    "a profile that is neither",
			config:  "[profile a]\nregion = eu-west-1\n",
			profile: "a", wantErr: "is not an SSO profile", errType: &NotSSOProfileError{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tempdir.New(t)
			paths := Paths{Config: writeFile(t, dir, "config", tt.config), Credentials: writeFile(t, dir, "credentials", tt.creds)}
			c, err := Load(paths)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.ResolveChain(tt.profile, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
			switch want := tt.errType.(type) {
			case *UnsupportedSourceError:
				if !errors.As(err, &want) {
					t.Errorf("error %T, want %T", err, want)
				}
			case *NotSSOProfileError:
				if !errors.As(err, &want) {
					t.Errorf("error %T, want %T", err, want)
				}
			default:
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("error %T, want *ValidationError", err)
				}
				if ve.Location.Line != tt.errLine || ve.Location.File != paths.Config || ve.Fix == "" {
					t.Errorf("location %s, fix %q; want line %d of %s and a fix", ve.Location, ve.Fix, tt.errLine, paths.Config)
				}
			}
		})
	}
}

// Doctor and ResolveChain say the same about the same file.
func TestChainErrorsAreWhatDoctorReports(t *testing.T) {
	const cfg = "[profile a]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\n[profile b]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = a\n"
	dir := tempdir.New(t)
	paths := Paths{Config: writeFile(t, dir, "config", cfg), Credentials: writeFile(t, dir, "credentials", "")}
	c, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ResolveChain("a", nil)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a *ValidationError", err)
	}
	for _, p := range Check(paths) {
		if p == ve.Problem {
			return
		}
	}
	t.Errorf("doctor does not report %v; it reports %v", ve.Problem, Check(paths))
}

// Where the AssumeRole calls go: the rules botocore applies to the STS
// client it creates for the chain.
func TestChainSTSEndpoint(t *testing.T) {
	const base = "[profile hub]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-central-1\nsso_account_id = 1\nsso_role_name = r\n\n[profile p]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = hub\n"
	tests := []struct {
		name        string
		profileKeys string
		env         map[string]string
		wantURL     string
		wantRegion  string
	}{
		{name: "the profile's region", profileKeys: "region = eu-west-1\n", wantURL: "https://sts.eu-west-1.amazonaws.com", wantRegion: "eu-west-1"},
		{name: "AWS_REGION over the profile's", profileKeys: "region = eu-west-1\n", env: map[string]string{"AWS_REGION": "ap-south-2"}, wantURL: "https://sts.ap-south-2.amazonaws.com", wantRegion: "ap-south-2"},
		{name: "AWS_DEFAULT_REGION", env: map[string]string{"AWS_DEFAULT_REGION": "us-west-1"}, wantURL: "https://sts.us-west-1.amazonaws.com", wantRegion: "us-west-1"},
		{name: "no region at all: the global endpoint", wantURL: "https://sts.amazonaws.com", wantRegion: "us-east-1"},
		{name: "legacy mode sends the old global regions to the global endpoint", profileKeys: "region = eu-west-1\nsts_regional_endpoints = legacy\n", wantURL: "https://sts.amazonaws.com", wantRegion: "us-east-1"},
		{name: "legacy mode keeps newer regions regional", profileKeys: "region = ap-east-1\n", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, wantURL: "https://sts.ap-east-1.amazonaws.com", wantRegion: "ap-east-1"},
		{name: "another partition", profileKeys: "region = cn-north-1\n", wantURL: "https://sts.cn-north-1.amazonaws.com.cn", wantRegion: "cn-north-1"},
		{name: "FIPS", profileKeys: "region = us-east-1\nuse_fips_endpoint = true\n", wantURL: "https://sts-fips.us-east-1.amazonaws.com", wantRegion: "us-east-1"},
		{name: "an override wins, signed for the region", profileKeys: "region = eu-west-1\n", env: map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4510"}, wantURL: "http://127.0.0.1:4510", wantRegion: "eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadConfig(t, base+tt.profileKeys, "")
			ch, err := c.ResolveChain("p", func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if ch.SSO.Endpoints.STS != tt.wantURL || ch.STSRegion != tt.wantRegion {
				t.Errorf("STS %s signed for %s, want %s for %s", ch.SSO.Endpoints.STS, ch.STSRegion, tt.wantURL, tt.wantRegion)
			}
		})
	}
}

// The chain's other clients are configured from the profile asked for, as
// both SDKs do: its CA bundle and endpoint overrides apply to the portal
// call at the root too.
func TestChainUsesTheProfileAskedForsSettings(t *testing.T) {
	const cfg = "[profile hub]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-central-1\nsso_account_id = 1\nsso_role_name = r\n\n" +
		"[profile p]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = hub\nca_bundle = /etc/corp.pem\nendpoint_url = https://proxy.example\n"
	c := loadConfig(t, cfg, "")
	ch, err := c.ResolveChain("p", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.SSO.CABundle != "/etc/corp.pem" || ch.SSO.Endpoints.Portal != "https://proxy.example" || ch.SSO.Endpoints.STS != "https://proxy.example" {
		t.Errorf("CA bundle %q, portal %q, STS %q; want the profile's", ch.SSO.CABundle, ch.SSO.Endpoints.Portal, ch.SSO.Endpoints.STS)
	}
}

func loadConfig(t *testing.T, cfg, creds string) *Config {
	t.Helper()
	dir := tempdir.New(t)
	c, err := Load(Paths{Config: writeFile(t, dir, "config", cfg), Credentials: writeFile(t, dir, "credentials", creds)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
