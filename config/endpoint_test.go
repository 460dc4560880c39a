package config

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// The cross-SDK suite for endpoint_url, services and AWS_ENDPOINT_URL*
// (botocore tests/functional/configured_endpoint_urls/profile-tests.json).
// Cases with a client-side endpoint_url are skipped: EndpointURL only sees
// the files and the environment. An expected endpoint built from the region
// means "no override", "" here.
func TestEndpointURLPeerSuite(t *testing.T) {
	data, err := os.ReadFile(peerPath(t, "botocore", "tests", "functional", "configured_endpoint_urls", "profile-tests.json"))
	if err != nil {
		t.Fatal(err)
	}
	var suite struct {
		TestSuites []struct {
			Profiles      map[string]map[string]any
			Services      map[string]map[string]map[string]string
			ClientConfigs map[string]map[string]any `json:"client_configs"`
			Environments  map[string]map[string]string
			Tests         []struct {
				Name         string
				Service      string
				Profile      string
				Environment  string
				ClientConfig string `json:"client_config"`
				Output       struct {
					EndpointURL string `json:"endpointUrl"`
				}
			} `json:"endpointUrlTests"`
		} `json:"testSuites"`
	}
	if err := json.Unmarshal(data, &suite); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, s := range suite.TestSuites {
		path := filepath.Join(tempdir.New(t), "config")
		if err := os.WriteFile(path, []byte(suiteConfig(s.Profiles, s.Services)), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(Paths{Config: path})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range s.Tests {
			if len(s.ClientConfigs[tt.ClientConfig]) > 0 {
				continue
			}
			want := tt.Output.EndpointURL
			if strings.HasSuffix(want, ".amazonaws.com") {
				want = ""
			}
			env := s.Environments[tt.Environment]
			got := c.EndpointURL(tt.Profile, tt.Service, func(k string) string { return env[k] })
			if got != want {
				t.Errorf("%s (profile %s, environment %s): got %q, want %q", tt.Name, tt.Profile, tt.Environment, got, want)
			}
			ran++
		}
	}
	if ran < 10 {
		t.Fatalf("only %d cases ran", ran)
	}
}

// suiteConfig writes the suite's profiles and services as a config file.
func suiteConfig(profiles map[string]map[string]any, services map[string]map[string]map[string]string) string {
	var b strings.Builder
	for _, name := range sortedKeys(profiles) {
		fmt.Fprintf(&b, "[%s]\n", ProfileHeader(name, false))
		for _, k := range sortedKeys(profiles[name]) {
			fmt.Fprintf(&b, "%s = %v\n", k, profiles[name][k])
		}
	}
	for _, name := range sortedKeys(services) {
		fmt.Fprintf(&b, "[services %s]\n", name)
		for _, svc := range sortedKeys(services[name]) {
			fmt.Fprintf(&b, "%s =\n", svc)
			for _, k := range sortedKeys(services[name][svc]) {
				fmt.Fprintf(&b, "  %s = %s\n", k, services[name][svc][k])
			}
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestEndpointURLForSSOServices(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", "[profile emu]\nservices = local\nendpoint_url = http://global\n[services local]\nsso_oidc =\n  endpoint_url = http://oidc\nsso =\n  endpoint_url = http://portal\n[profile ignoring]\nservices = local\nignore_configured_endpoint_urls = TRUE\n")
	c, err := Load(Paths{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, profile, service string
		env                    map[string]string
		want                   string
	}{
		{"services section, sso-oidc as sso_oidc", "emu", "sso-oidc", nil, "http://oidc"},
		{"services section, sso", "emu", "sso", nil, "http://portal"},
		{"profile endpoint_url for a service without an entry", "emu", "sts", nil, "http://global"},
		{"the service variable, hyphen as underscore", "emu", "sso-oidc", map[string]string{"AWS_ENDPOINT_URL_SSO_OIDC": "http://env-oidc"}, "http://env-oidc"},
		{"the global variable beats the files", "emu", "sso", map[string]string{"AWS_ENDPOINT_URL": "http://env"}, "http://env"},
		{"the ignore variable turns all off", "emu", "sso", map[string]string{"AWS_ENDPOINT_URL": "http://env", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, ""},
		{"the ignore key turns all off", "ignoring", "sso", map[string]string{"AWS_ENDPOINT_URL_SSO": "http://env"}, ""},
		{"the variable set to false overrides the key", "ignoring", "sso", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}, "http://portal"},
		{"a missing profile still honours the environment", "ghost", "sso", map[string]string{"AWS_ENDPOINT_URL_SSO": "http://env"}, "http://env"},
		{"nothing set", "ghost", "sso", nil, ""},
	}
	for _, tt := range tests {
		got := c.EndpointURL(tt.profile, tt.service, func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Endpoints: an override wins; otherwise the SDK's rules for the region,
// in every partition; STS follows the profile's region, not sso_region.
func TestResolvedEndpoints(t *testing.T) {
	dir := tempdir.New(t)
	path := filepath.Join(dir, "config")
	os.WriteFile(path, []byte(`[profile china]
sso_session = cn
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = cn-northwest-1

[profile overridden]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
endpoint_url = http://127.0.0.1:4566

[profile default]
region = eu-west-1
services = local

[services local]
sso_oidc =
  endpoint_url = http://127.0.0.1:9/oidc

[sso-session cn]
sso_start_url = https://start.home.awsapps.cn/directory/d-1
sso_region = cn-north-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-2
`), 0o600)
	c, err := Load(Paths{Config: path})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	china, err := c.ResolveSSO("china", getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := Endpoints{
		OIDC:   "https://oidc.cn-north-1.amazonaws.com.cn",
		Portal: "https://portal.sso.cn-north-1.amazonaws.com.cn",
		STS:    "https://sts.cn-northwest-1.amazonaws.com.cn",
		SignIn: "https://signin.amazonaws.cn",
	}
	if d := cmp.Diff(want, china.Endpoints); d != "" {
		t.Errorf("China profile (-want +got):\n%s", d)
	}

	over, err := c.ResolveSSO("overridden", getenv)
	if err != nil {
		t.Fatal(err)
	}
	// endpoint_url (LocalStack, say) takes every API, but not the
	// console: that keeps the partition's sign-in host.
	want = Endpoints{OIDC: "http://127.0.0.1:4566", Portal: "http://127.0.0.1:4566", STS: "http://127.0.0.1:4566",
		SignIn: "https://us-east-2.signin.aws.amazon.com",
		Custom: CustomEndpoints{OIDC: true, Portal: true, STS: true}}
	if d := cmp.Diff(want, over.Endpoints); d != "" {
		t.Errorf("endpoint_url in the profile (-want +got):\n%s", d)
	}

	env["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:1/portal"
	// An sso-session on its own takes the active profile's settings, as
	// `aws sso login --sso-session` does.
	sess, err := c.ResolveSSOSession("corp", "default", getenv)
	if err != nil {
		t.Fatal(err)
	}
	want = Endpoints{
		OIDC:   "http://127.0.0.1:9/oidc",
		Portal: "http://127.0.0.1:1/portal",
		STS:    "https://sts.eu-west-1.amazonaws.com",
		SignIn: "https://eu-west-1.signin.aws.amazon.com",
		Custom: CustomEndpoints{OIDC: true, Portal: true},
	}
	if d := cmp.Diff(want, sess.Endpoints); d != "" {
		t.Errorf("sso-session with the default profile's services (-want +got):\n%s", d)
	}
}

// FIPS and dual-stack follow the environment over the profile, and never
// change an endpoint the user set.
func TestFIPSAndDualStackEndpoints(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "config")
	os.WriteFile(path, []byte(`[profile gov]
sso_session = gov
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-gov-west-1
use_fips_endpoint = true

[sso-session gov]
sso_start_url = https://start.us-gov-home.awsapps.com/directory/d-1
sso_region = us-gov-west-1
`), 0o600)
	c, err := Load(Paths{Config: path})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	s, err := c.ResolveSSO("gov", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := []string{s.Endpoints.OIDC, s.Endpoints.Portal, s.Endpoints.STS, s.Endpoints.SignIn},
		[]string{"https://oidc.us-gov-west-1.amazonaws.com", "https://portal.sso.us-gov-west-1.amazonaws.com", "https://sts.us-gov-west-1.amazonaws.com", "https://signin.amazonaws-us-gov.com"}; cmp.Diff(want, got) != "" {
		// GovCloud's OIDC, portal and STS hosts are FIPS endpoints already:
		// the SDK's rules keep them with use_fips_endpoint.
		t.Errorf("GovCloud with FIPS: %v", got)
	}
	if !s.Endpoints.UseFIPS {
		t.Error("use_fips_endpoint = true was not read")
	}

	env["AWS_USE_FIPS_ENDPOINT"] = "false"
	env["AWS_USE_DUALSTACK_ENDPOINT"] = "true"
	env["AWS_ENDPOINT_URL_SSO"] = "https://portal.example"
	s, err = c.ResolveSSO("gov", getenv)
	if err != nil {
		t.Fatal(err)
	}
	if s.Endpoints.UseFIPS || !s.Endpoints.UseDualStack {
		t.Errorf("the environment did not win: FIPS %v, dual-stack %v", s.Endpoints.UseFIPS, s.Endpoints.UseDualStack)
	}
	if s.Endpoints.Portal != "https://portal.example" || !strings.Contains(s.Endpoints.OIDC, "api.aws") {
		t.Errorf("dual-stack: OIDC %q (want the api.aws host), portal %q (want the override)", s.Endpoints.OIDC, s.Endpoints.Portal)
	}
}

// One partition table knows every partition's regions.
func TestIsRegion(t *testing.T) {
	for region, want := range map[string]bool{
		"us-east-1": true, "eu-central-2": true, "il-central-1": true, "mx-central-1": true,
		"cn-north-1": true, "us-gov-west-1": true, "eusc-de-east-1": true,
		"us-iso-east-1": true, "us-isob-east-1": true, "eu-isoe-west-1": true, "us-isof-south-1": true,
		"": false, "us-east": false, "useast1": false, "eusc-fr-east-1": false, " us-east-1": false, "us-east-1 ": false, "xx-east-1": false,
	} {
		if got := IsRegion(region); got != want {
			t.Errorf("IsRegion(%q) = %v, want %v", region, got, want)
		}
	}
	for region, want := range map[string]string{"eu-west-1": "aws", "cn-northwest-1": "aws-cn", "us-gov-east-1": "aws-us-gov", "eusc-de-east-1": "aws-eusc", "us-iso-west-1": "aws-iso"} {
		if p, _ := PartitionOf(region); p.ID != want {
			t.Errorf("PartitionOf(%q) = %s, want %s", region, p.ID, want)
		}
	}
	for region, want := range map[string]string{
		"us-east-1": "https://signin.aws.amazon.com", "eu-west-1": "https://eu-west-1.signin.aws.amazon.com", "": "https://signin.aws.amazon.com",
		"cn-north-1": "https://signin.amazonaws.cn", "us-gov-west-1": "https://signin.amazonaws-us-gov.com", "us-iso-east-1": "",
	} {
		if got := SignInEndpoint(region); got != want {
			t.Errorf("SignInEndpoint(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestEmptyRegistrationScopesAreNotUnset(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "config")
	os.WriteFile(path, []byte("[sso-session empty]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes =\n\n[sso-session unset]\nsso_start_url = https://a.awsapps.com/start\nsso_region = us-east-1\n"), 0o600)
	c, err := Load(Paths{Config: path})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := c.ResolveSSOSession("empty", "", nil)
	if err != nil || empty.Scopes == nil || len(empty.Scopes) != 0 {
		t.Errorf("sso_registration_scopes = (empty): %#v, %v; want an empty, non-nil list", empty.Scopes, err)
	}
	unset, err := c.ResolveSSOSession("unset", "", nil)
	if err != nil || unset.Scopes != nil {
		t.Errorf("no sso_registration_scopes: %#v, %v; want nil", unset.Scopes, err)
	}
}
