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
		path := filepath.Join(t.TempDir(), "config")
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
	dir := t.TempDir()
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
	dir := t.TempDir()
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
	want = Endpoints{OIDC: "http://127.0.0.1:4566", Portal: "http://127.0.0.1:4566", STS: "http://127.0.0.1:4566", SignIn: "http://127.0.0.1:4566"}
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
		SignIn: "https://signin.aws.amazon.com",
	}
	if d := cmp.Diff(want, sess.Endpoints); d != "" {
		t.Errorf("sso-session with the default profile's services (-want +got):\n%s", d)
	}
}
