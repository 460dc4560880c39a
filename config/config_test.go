package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// dump is the view in the shape of botocore's load_config result, so that
// expectations read like botocore's own tests: nested values become maps.
func dump(c *Config) map[string]map[string]map[string]any {
	section := func(keys keyList) map[string]any {
		m := map[string]any{}
		for _, e := range keys.entries {
			k, kv := e.key, e.keyVal
			if n, ok := parseNested(kv.value); ok {
				m[k] = n
			} else {
				m[k] = kv.value
			}
		}
		return m
	}
	out := map[string]map[string]map[string]any{"profiles": {}, "sso_sessions": {}, "services": {}}
	for name, p := range c.profiles {
		out["profiles"][name] = section(p.keys)
	}
	for name, g := range c.sessions {
		out["sso_sessions"][name] = section(g.keys)
	}
	for name, g := range c.services {
		out["services"][name] = section(g.keys)
	}
	return out
}

func peerPath(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{peers}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("peer fixture %s not found", p)
	}
	return p
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// What botocore's tests/unit/test_configloader.py asserts for its fixtures.
func TestBotocoreFixtures(t *testing.T) {
	tests := []struct {
		file      string
		wantErr   bool
		profiles  map[string]map[string]any
		sessions  map[string]map[string]any
		services  map[string]map[string]any
		aboutThis string
	}{
		{file: "aws_config", profiles: map[string]map[string]any{
			"default":  {"aws_access_key_id": "foo", "aws_secret_access_key": "bar"},
			"personal": {"aws_access_key_id": "fie", "aws_secret_access_key": "baz", "aws_security_token": "fiebaz"},
		}},
		{file: "aws_config_bad", wantErr: true, aboutThis: "keys before the first section"},
		{file: "aws_credentials", wantErr: true, aboutThis: "not INI at all"},
		{file: "aws_bad_profile", aboutThis: "headers with other than two words, or an open quote, are ignored", profiles: map[string]map[string]any{
			"default":    {"aws_access_key_id": "default", "aws_secret_access_key": "default"},
			"my profile": {"aws_access_key_id": "default", "aws_secret_access_key": "default"},
			"personal1":  {"aws_access_key_id": "access_personal1", "aws_secret_access_key": "key_personal1"},
		}},
		{file: "aws_config_nested", profiles: map[string]map[string]any{
			"default": {
				"aws_access_key_id": "foo", "aws_secret_access_key": "bar", "region": "us-west-2",
				"s3":         map[string]string{"signature_version": "s3v4", "addressing_style": "path"},
				"cloudwatch": map[string]string{"signature_version": "v4"},
			},
		}},
		{file: "aws_config_nested_bad", wantErr: true},
		{file: "aws_sso_session_config",
			profiles: map[string]map[string]any{"default": {"sso_session": "sso"}},
			sessions: map[string]map[string]any{"sso": {"sso_start_url": "https://example.com", "sso_region": "us-east-1"}}},
		{file: "aws_services_config",
			profiles: map[string]map[string]any{"default": {"endpoint_url": "https://localhost:1234/", "services": "my-services"}},
			services: map[string]map[string]any{"my-services": {
				"s3":       map[string]string{"endpoint_url": "https://localhost:5678/"},
				"dynamodb": map[string]string{"endpoint_url": "https://localhost:8888/"},
			}}},
		{file: "boto_config", aboutThis: "[Credentials] is not a profile in a config file", profiles: map[string]map[string]any{}},
		{file: "foo_config", profiles: map[string]map[string]any{
			"default": {"aws_access_key_id": "foo", "aws_secret_access_key": "bar", "foo_region": "us-west-1"},
			"foo":     {"aws_access_key_id": "fie", "aws_secret_access_key": "baz"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := peerPath(t, "botocore", "tests", "unit", "cfg", tt.file)
			c, err := Load(Paths{Config: path})
			if tt.wantErr {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("Load error = %v, want a *ParseError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := dump(c)
			want := map[string]map[string]map[string]any{"profiles": orEmpty(tt.profiles), "sso_sessions": orEmpty(tt.sessions), "services": orEmpty(tt.services)}
			if diff := cmp.Diff(want, d); diff != "" {
				t.Errorf("view (-want +got):\n%s", diff)
			}
		})
	}
	// The AWS CLI keeps its own copy of one fixture; it must read the same.
	a := peerPath(t, "aws-cli", "tests", "unit", "botocore", "cfg", "aws_sso_session_config")
	ca, err := Load(Paths{Config: a})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := ca.ResolveSSOSession("sso", "", nil); err != nil || s.StartURL != "https://example.com" || s.Region != "us-east-1" {
		t.Errorf("aws-cli aws_sso_session_config: ResolveSSOSession = %+v, %v", s, err)
	}
}

func orEmpty(m map[string]map[string]any) map[string]map[string]any {
	if m == nil {
		return map[string]map[string]any{}
	}
	return m
}

// What aws-sdk-go-v2's config tests assert for load_config/load_credentials
// (TestLoadSharedConfig), or botocore's answer where the two differ.
func TestGoSDKLoadConfigFixtures(t *testing.T) {
	c, err := Load(Paths{
		Config:      peerPath(t, "aws-sdk-go-v2", "config", "testdata", "load_config"),
		Credentials: peerPath(t, "aws-sdk-go-v2", "config", "testdata", "load_credentials"),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		profile    string
		wantRegion string // "" = the profile must not exist
	}{
		{"default", "ap-north-1"},  // [profile default] comes later and replaces [default]
		{"with-tab", "cn-north-1"}, // header split at the blank run
		{"duplicate-profile", "us-west-2"},
		{"replaced-profile", "us-west-2"}, // credentials win over config
		{"ignored-profile", ""},           // [NAME] in config and [profile NAME] in credentials are no such profile
		{"profile-bar", "us-west-2"},      // only the credentials file's [profile-bar] counts
		// The Go SDK drops [profile X] in the credentials file; botocore
		// reads it as a profile named "profile X". We follow botocore (and
		// doctor reports the header).
		{"profile unused-profile", "ap-north-1"},
		{"unused-profile", ""},
	}
	for _, tt := range tests {
		p, err := c.Profile(tt.profile)
		if tt.wantRegion == "" {
			var nf *ProfileNotFoundError
			if !errors.As(err, &nf) {
				t.Errorf("Profile(%q) error = %v, want *ProfileNotFoundError", tt.profile, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Profile(%q): %v", tt.profile, err)
			continue
		}
		if got, _ := p.Get(KeyRegion); got != tt.wantRegion {
			t.Errorf("Profile(%q) region = %q, want %q", tt.profile, got, tt.wantRegion)
		}
	}
	complete, _ := c.Profile("complete")
	if got, _ := complete.Get(KeyAccessKeyID); got != "credsAccessKey" {
		t.Errorf("complete: access key = %q, want the credentials file's", got)
	}
	for _, bad := range []string{"", " ", "\t"} {
		if _, err := c.Profile(bad); err == nil {
			t.Errorf("[profile%s] must not define a profile", bad)
		}
	}
}

func TestGoSDKSharedConfigFixtures(t *testing.T) {
	c, err := Load(Paths{
		Config:      peerPath(t, "aws-sdk-go-v2", "config", "testdata", "shared_config"),
		Credentials: peerPath(t, "aws-sdk-go-v2", "config", "testdata", "shared_credentials"),
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(profile, key string) string {
		p, err := c.Profile(profile)
		if err != nil {
			t.Fatalf("Profile(%q): %v", profile, err)
		}
		v, _ := p.Get(key)
		return v
	}
	tests := []struct {
		name, profile, key, want string
	}{
		{"section names are case-sensitive, credentials win", "DoNotNormalize", KeyAccessKeyID, "DoNotNormalize_credentials_akid"},
		{"repeated sections merge, credentials win key by key", "donotnormalize", KeyRegion, "eu-west-2"},
		{"keys only in the config file stay", "DONOTNORMALIZE", "duration_seconds", "1800"},
		{"keys are case-insensitive", "with_mixed_case_keys", KeyAccessKeyID, "accessKey"},
		{"a repeated section's later value wins", "short_profile_name_first", KeyRegion, "short_profile_name_first_alt"},
		{"nested values do not hide later keys", "default", KeyRegion, "default_region"},
		// The Go SDK strips the quotes; botocore keeps them and so do we.
		{"quotes are kept", "UseDualStackEndpointEnabled", KeyRegion, `"us-west-2"`},
	}
	for _, tt := range tests {
		if got := get(tt.profile, tt.key); got != tt.want {
			t.Errorf("%s: %s.%s = %q, want %q", tt.name, tt.profile, tt.key, got, tt.want)
		}
	}

	s, err := c.ResolveSSO("sso-session-success", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := SSO{Profile: "sso-session-success", SessionName: "sso-session-success-dev", StartURL: "https://d-123456789a.awsapps.com/start",
		Region: "us-east-1", Scopes: []string{"sso:account:access"}, AccountID: "123456789012", RoleName: "testRole", ProfileRegion: "us-east-1"}
	if d := cmp.Diff(want, s, ignoreEndpoints); d != "" {
		t.Errorf("ResolveSSO(sso-session-success) (-want +got):\n%s", d)
	}
	if s, err := c.ResolveSSO("sso_creds", nil); err != nil || s.CacheKey() != "https://127.0.0.1/start" {
		t.Errorf("ResolveSSO(sso_creds) = %+v, %v; want the legacy start URL as cache key", s, err)
	}
	// Where the two SDKs disagree, botocore: SSO wins over static keys.
	for name, want := range map[string]Kind{"sso_and_static": KindSSO, "sso_mixed_credproc": KindSSO, "source_sso_creds": KindAssumeRole, "complete_creds": KindStatic, "retryunset": KindOther} {
		p, _ := c.Profile(name)
		if p.Kind != want {
			t.Errorf("%s: Kind = %v, want %v", name, p.Kind, want)
		}
	}

	cs, err := Load(Paths{Config: peerPath(t, "aws-sdk-go-v2", "config", "testdata", "config_source_shared")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cs.ResolveSSO("sso_invalid", nil)
	var ve *ValidationError
	// botocore's order of keys; the Go SDK says "sso_region, sso_start_url".
	if !errors.As(err, &ve) || !strings.Contains(ve.Message, "missing required configuration: sso_start_url, sso_region") {
		t.Errorf("ResolveSSO(sso_invalid) = %v, want the missing keys in botocore's order", err)
	}
}

func TestGoSDKINIFixtures(t *testing.T) {
	c, err := Load(Paths{Credentials: peerPath(t, "aws-sdk-go-v2", "internal", "ini", "testdata", "valid", "issue_259")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Profile("foo-profile")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Get("x_security_token_expires"); v != "time" {
		t.Errorf("a last line without a newline: got %q", v)
	}

	// nested_fields: the Go SDK reads the indented "[bar]" as a section of
	// its own; botocore reads it as part of aws_session_token's value, as it
	// is indented under it. We follow botocore.
	c, err = Load(Paths{Credentials: peerPath(t, "aws-sdk-go-v2", "internal", "ini", "testdata", "valid", "nested_fields")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{
		"foo": {
			"aws_access_key_id": map[string]string{"aws_secret_access_key": "valid", "aws_secret_access_key2": "valid2"},
			"aws_session_token": "valid\n[bar]\naws_access_key_id = valid ; comment\naws_secret_access_key = valid\naws_session_token = valid",
		},
		"baz": {"aws_access_key_id": "valid", "aws_secret_access_key": "valid", "aws_session_token": "valid"},
	}
	if d := cmp.Diff(want, dump(c)["profiles"]); d != "" {
		t.Errorf("nested_fields (-want +got):\n%s", d)
	}

	for _, name := range []string{"leading_ws", "leading_ws_trailing_nl"} {
		c, err := Load(Paths{Config: peerPath(t, "aws-sdk-go-v2", "config", "testdata", name)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p, err := c.Profile("leading-whitespace-error")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v, _ := p.Get("retry_mode"); v != "standard" {
			t.Errorf("%s: retry_mode = %q, want standard", name, v)
		}
	}
}

func TestLoadMissingFilesAreEmpty(t *testing.T) {
	dir := tempdir.New(t)
	c, err := Load(Paths{Config: filepath.Join(dir, "none"), Credentials: filepath.Join(dir, "nope")})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Profiles()) != 0 {
		t.Errorf("profiles = %v, want none", c.Profiles())
	}
	_, err = c.Profile("default")
	var nf *ProfileNotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), filepath.Join(dir, "none")) || !strings.Contains(err.Error(), filepath.Join(dir, "nope")) {
		t.Errorf("error %v does not name both files", err)
	}
}

func TestDefaultSectionLeaksIntoEveryProfile(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", "[DEFAULT]\nregion = eu-west-1\n[profile a]\n[profile b]\nregion = us-east-1\n")
	c, err := Load(Paths{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{"a": {"region": "eu-west-1"}, "b": {"region": "us-east-1"}}
	if d := cmp.Diff(want, dump(c)["profiles"]); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestProfilesAndLocations(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", string(mustRead(t, filepath.Join("testdata", "typical_config"))))
	creds := writeFile(t, dir, "credentials", string(mustRead(t, filepath.Join("testdata", "crlf_credentials"))))
	c, err := Load(Paths{Config: cfg, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name, Kind, At string
	}
	var got []row
	for _, p := range c.Profiles() {
		got = append(got, row{p.Name, p.Kind.String(), p.Location().String()})
	}
	want := []row{
		{"default", "static", cfg + ":2"},
		{"dev", "sso-session", cfg + ":13"},
		{"emulator", "sso-session", cfg + ":35"},
		{"legacy", "sso", cfg + ":7"},
		{"sso-user-1", "sso", creds + ":6"},
		{"with blanks", "other", cfg + ":28"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("profiles (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"corp"}, c.SSOSessionNames()); d != "" {
		t.Errorf("sessions (-want +got):\n%s", d)
	}
	def, _ := c.Profile("default")
	if d := cmp.Diff([]Location{{cfg, 2}, {creds, 1}}, def.Locations()); d != "" {
		t.Errorf("default is defined in both files (-want +got):\n%s", d)
	}
	if loc, _ := def.KeyLocation(KeyAccessKeyID); loc.String() != creds+":2" {
		t.Errorf("access key location = %s", loc)
	}
	if v, _ := def.Get(KeyRegion); v != "eu-west-1 ; the closest" {
		t.Errorf("inline comments are part of the value for botocore: got %q", v)
	}
	dev, _ := c.Profile("dev")
	if m, ok := dev.Nested("s3"); !ok || cmp.Diff(map[string]string{"max_concurrent_requests": "20", "addressing_style": "path"}, m) != "" {
		t.Errorf("dev s3 = %v, %v", m, ok)
	}
}

// The exact block the AWS Toolkit for Visual Studio writes in a credentials
// file: it must fail while sso_start_url is empty, pointing at that line,
// and resolve once it has a value.
func TestSSOKeysInCredentialsFile(t *testing.T) {
	dir := tempdir.New(t)
	block := "[sso-user-1]\nsso_start_url =\nsso_region = us-east-2\nsso_account_id = 123456789011\nsso_role_name = readOnly\nregion = us-west-2\n"
	creds := writeFile(t, dir, "credentials", block)
	paths := Paths{Config: filepath.Join(dir, "config"), Credentials: creds}
	c, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ResolveSSO("sso-user-1", nil)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("ResolveSSO error = %v, want a *ValidationError", err)
	}
	if ve.Location.String() != creds+":2" || !strings.Contains(ve.Message, "sso_start_url") || !strings.Contains(ve.Fix, "[sso-user-1]") {
		t.Errorf("error = %v; want it at %s:2 about sso_start_url, fixing [sso-user-1]", err, creds)
	}

	if err := os.WriteFile(creds, []byte(strings.Replace(block, "sso_start_url =", "sso_start_url = https://my-sso-portal.awsapps.com/start", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.ResolveSSO("sso-user-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := SSO{Profile: "sso-user-1", StartURL: "https://my-sso-portal.awsapps.com/start", Region: "us-east-2", AccountID: "123456789011", RoleName: "readOnly", ProfileRegion: "us-west-2"}
	if d := cmp.Diff(want, s, ignoreEndpoints); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestResolveSSO(t *testing.T) {
	const session = "\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access, ,codewhisperer:completions\n"
	tests := []struct {
		name    string
		config  string
		creds   string
		profile string
		want    SSO
		wantErr string // "" = success; else a substring of the error
		errLine int
		errType any
	}{
		{
			name:    "legacy profile",
			config:  "[profile p]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-north-1\n",
			profile: "p",
			want:    SSO{Profile: "p", StartURL: "https://legacy.awsapps.com/start", Region: "us-east-1", AccountID: "111122223333", RoleName: "ReadOnly", ProfileRegion: "eu-north-1"},
		},
		{
			name:    "sso-session profile",
			config:  "[profile p]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n" + session,
			profile: "p",
			want: SSO{Profile: "p", SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1",
				Scopes: []string{"sso:account:access", "codewhisperer:completions"}, AccountID: "111122223333", RoleName: "Admin"},
		},
		{
			name:    "a profile may repeat the session's value when it is the same",
			config:  "[profile p]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = r\n" + session,
			profile: "p",
			want: SSO{Profile: "p", SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1",
				Scopes: []string{"sso:account:access", "codewhisperer:completions"}, AccountID: "1", RoleName: "r"},
		},
		{
			name:    "a sign-in-only profile has no role",
			config:  "[default]\nsso_session = corp\n" + session,
			profile: "default",
			want: SSO{Profile: "default", SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1",
				Scopes: []string{"sso:account:access", "codewhisperer:completions"}},
		},
		{
			name:    "the session does not exist",
			config:  "[profile p]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = r\n",
			profile: "p", wantErr: `the specified sso-session does not exist: "nope" (profile "p" names it`, errLine: 2,
		},
		{
			name:    "the profile's start URL disagrees with the session's",
			config:  "[profile p]\nsso_session = corp\nsso_start_url = https://other.awsapps.com/start\nsso_account_id = 1\nsso_role_name = r\n" + session,
			profile: "p", wantErr: "the value for sso_start_url is inconsistent between profile \"p\" (https://other.awsapps.com/start) and sso-session \"corp\"", errLine: 3,
		},
		{
			name:    "the profile's region disagrees with the session's",
			config:  "[profile p]\nsso_session = corp\nsso_region = us-east-1\n" + session,
			profile: "p", wantErr: "the value for sso_region is inconsistent", errLine: 3,
		},
		{
			name:    "keys missing, listed in botocore's order",
			config:  "[profile p]\nsso_account_id = 1\n",
			profile: "p", wantErr: `profile "p" is configured to use SSO but is missing required configuration: sso_role_name, sso_start_url, sso_region`, errLine: 1,
		},
		{
			name:    "the session lacks its region",
			config:  "[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n\n[sso-session corp]\nsso_start_url = https://x\n",
			profile: "p", wantErr: "missing required configuration: sso_region", errLine: 6,
		},
		{
			name:    "an empty sso_session",
			config:  "[profile p]\nsso_session =\n",
			profile: "p", wantErr: "empty sso_session", errLine: 2,
		},
		{
			name:    "a static profile is not an SSO profile",
			config:  "[profile p]\nregion = x\n",
			creds:   "[p]\naws_access_key_id = a\naws_secret_access_key = b\n",
			profile: "p", wantErr: "is not an SSO profile", errType: &NotSSOProfileError{},
		},
		{
			name: "a missing profile", profile: "ghost", wantErr: `profile "ghost" is not defined`, errType: &ProfileNotFoundError{},
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
			got, err := c.ResolveSSO(tt.profile, nil)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tt.want, got, ignoreEndpoints); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
			switch want := tt.errType.(type) {
			case *NotSSOProfileError:
				if !errors.As(err, &want) {
					t.Errorf("error %T, want %T", err, want)
				}
			case *ProfileNotFoundError:
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

func TestResolveSSOSession(t *testing.T) {
	dir := tempdir.New(t)
	cfg := writeFile(t, dir, "config", "[sso-session ok]\nsso_start_url = https://a\nsso_region = eu-west-1\n[sso-session 'bad one']\nsso_region =\n")
	c, err := Load(Paths{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := c.ResolveSSOSession("ok", "", nil); err != nil || cmp.Diff(SSO{SessionName: "ok", StartURL: "https://a", Region: "eu-west-1"}, s, ignoreEndpoints) != "" {
		t.Errorf("ResolveSSOSession(ok) = %+v, %v", s, err)
	}
	_, err = c.ResolveSSOSession("bad one", "", nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Location.Line != 5 || !strings.Contains(ve.Message, "sso_start_url, sso_region") {
		t.Errorf("ResolveSSOSession(bad one) = %v", err)
	}
	_, err = c.ResolveSSOSession("nope", "", nil)
	var nf *SSOSessionNotFoundError
	if !errors.As(err, &nf) {
		t.Errorf("ResolveSSOSession(nope) = %v, want *SSOSessionNotFoundError", err)
	}
}

func TestProfileNotFoundNamesTheNearMiss(t *testing.T) {
	dir := tempdir.New(t)
	paths := Paths{
		Config:      writeFile(t, dir, "config", "[dev]\nregion = x\n"),
		Credentials: writeFile(t, dir, "credentials", "\n[profile prod]\naws_access_key_id = a\naws_secret_access_key = b\n"),
	}
	c, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ profile, want string }{
		{"dev", paths.Config + ":1: [dev] in the config file is not a profile"},
		{"prod", paths.Credentials + ":2: [profile prod] in the credentials file: the word profile does not belong there"},
		{"other", `profile "other" is not defined in ` + paths.Config + " or " + paths.Credentials},
	}
	for _, tt := range tests {
		_, err := c.ResolveSSO(tt.profile, nil)
		var nf *ProfileNotFoundError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ResolveSSO(%q) = %v, want a *ProfileNotFoundError saying %q", tt.profile, err, tt.want)
		}
	}
}

// Which provider wins for the Go SDK's credential_process and assume-role
// fixtures, by botocore's order.
func TestKindsOfGoSDKFixtures(t *testing.T) {
	g := func(name string) string { return peerPath(t, "aws-sdk-go-v2", "config", "testdata", name) }
	tests := []struct {
		name  string
		paths Paths
		want  map[string]Kind
	}{
		{"credential_process in the credentials file", Paths{Credentials: g("proc_creds_credentials.ini")},
			// Static keys in the credentials file come before a process.
			map[string]Kind{"default": KindProcess, "non_expire": KindProcess, "not_alone": KindStatic}},
		{"credential_process in the config file", Paths{Config: g("proc_creds_config_win.ini")},
			// In the config file a process comes before static keys; the Go
			// SDK would use the static keys.
			map[string]Kind{"default": KindProcess, "non_expire": KindProcess, "not_alone": KindProcess}},
		{"assume-role chains", Paths{Config: g("gh1204_config"), Credentials: g("gh1204_credentials")},
			map[string]Kind{"default": KindAssumeRole, "A": KindAssumeRole, "B": KindStatic}},
		{"credential sources", Paths{Config: g("config_source_shared")},
			map[string]Kind{"env_var_credential_source": KindAssumeRole, "cred_proc_no_arn_set": KindProcess, "sso_creds": KindSSO, "sso_invalid": KindSSO}},
	}
	for _, tt := range tests {
		c, err := Load(tt.paths)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := map[string]Kind{}
		for name := range tt.want {
			if p, err := c.Profile(name); err == nil {
				got[name] = p.Kind
			}
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
	// Every source_profile in the assume-role chain exists: nothing to report.
	dir := tempdir.New(t) // copies at 0600: the fixtures' own mode is a problem of its own
	copies := Paths{
		Config:      writeFile(t, dir, "config", string(mustRead(t, g("gh1204_config")))),
		Credentials: writeFile(t, dir, "credentials", string(mustRead(t, g("gh1204_credentials")))),
	}
	if ps := Check(copies); len(ps) != 0 {
		t.Errorf("gh1204: %v", ps)
	}
}

// botocore's SSOTokenProvider resolution table (tests/unit/test_tokens.py):
// profile "test" resolves, is not an SSO profile, or has invalid config.
func TestBotocoreTokenProviderResolutionCases(t *testing.T) {
	data, err := os.ReadFile(peerPath(t, "botocore", "extracted", "sso-token-provider-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Cases []struct {
			Documentation string
			Config        struct {
				Profiles    map[string]map[string]string
				SSOSessions map[string]map[string]string `json:"sso_sessions"`
			}
			Resolves          bool
			ExpectedException string
		} `json:"sso_provider_resolution_cases"`
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range table.Cases {
		var b strings.Builder
		for name, keys := range tc.Config.Profiles {
			writeSection(&b, ProfileHeader(name, false), keys)
		}
		for name, keys := range tc.Config.SSOSessions {
			writeSection(&b, SSOSessionHeader(name), keys)
		}
		c, err := Load(Paths{Config: writeFile(t, tempdir.New(t), "config", b.String())})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ResolveSSO("test", nil)
		var notSSO *NotSSOProfileError
		var invalid *ValidationError
		switch {
		case tc.Resolves:
			if err != nil {
				t.Errorf("%s: %v", tc.Documentation, err)
			}
		case tc.ExpectedException == "InvalidConfigError":
			if !errors.As(err, &invalid) {
				t.Errorf("%s: error = %v, want a *ValidationError", tc.Documentation, err)
			}
		default: // botocore's provider skips the profile
			if !errors.As(err, &notSSO) {
				t.Errorf("%s: error = %v, want a *NotSSOProfileError", tc.Documentation, err)
			}
		}
	}
}

// The AWS CLI's own SSO login tests: its config templates resolve, and its
// errors say what the CLI says (tests/functional/sso).
func TestAWSCLISSOFixtures(t *testing.T) {
	data, err := os.ReadFile(peerPath(t, "aws-cli", "extracted", "sso-login-logout-fixture-values.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Templates map[string]string `json:"config_templates"`
		Errors    map[string]string `json:"expected_error_substrings"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	load := func(text string) *Config {
		c, err := Load(Paths{Config: writeFile(t, tempdir.New(t), "config", text)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	legacy, err := load(fx.Templates["legacy_profile"]).ResolveSSO("default", nil)
	if err != nil || legacy.CacheKey() != "https://mysigin.com" || legacy.RoleName != "SSORole" {
		t.Errorf("legacy_profile: %+v, %v", legacy, err)
	}
	session, err := load(fx.Templates["sso_session_profile"]+fx.Templates["sso_session_with_scopes_suffix"]+"\n").ResolveSSO("default", nil)
	want := SSO{Profile: "default", SessionName: "test-session", StartURL: "https://mysigin.com", Region: "us-west-2",
		Scopes: []string{"sso:foo", "sso:bar"}, AccountID: "012345678912", RoleName: "SSORole"}
	if d := cmp.Diff(want, session, ignoreEndpoints); err != nil || d != "" {
		t.Errorf("sso_session_profile with scopes: %v (-want +got):\n%s", err, d)
	}

	contains := func(err error, sub string) bool {
		return err != nil && strings.Contains(strings.ToLower(err.Error()), strings.ToLower(sub))
	}
	_, err = load("[default]\nregion = us-west-2\n").ResolveSSO("default", nil)
	if !contains(err, fx.Errors["no_sso_config"]) {
		t.Errorf("no SSO config: %v, want it to say %q", err, fx.Errors["no_sso_config"])
	}
	_, err = load("[default]\nsso_session = test\n[sso-session test]\nregion = x\n").ResolveSSO("default", nil)
	if keys := strings.TrimPrefix(fx.Errors["sso_session_missing_keys"], "SSO configuration values: "); !contains(err, "configuration: "+keys) {
		t.Errorf("session without keys: %v, want the keys %q", err, keys)
	}
	_, err = load("[default]\nsso_session = test\n").ResolveSSO("default", nil)
	if !contains(err, fx.Errors["sso_session_not_defined"]) {
		t.Errorf("missing session: %v, want it to say %q", err, fx.Errors["sso_session_not_defined"])
	}
	_, err = load("").ResolveSSOSession("test", "", nil)
	if !contains(err, fx.Errors["sso_session_not_defined"]) {
		t.Errorf("ResolveSSOSession: %v, want it to say %q", err, fx.Errors["sso_session_not_defined"])
	}
}

func writeSection(b *strings.Builder, header string, keys map[string]string) {
	fmt.Fprintf(b, "[%s]\n", header)
	for _, k := range sortedKeys(keys) {
		fmt.Fprintf(b, "%s = %s\n", k, keys[k])
	}
}

// ignoreEndpoints leaves the resolved endpoints out of a comparison of SSO
// values: tests of the endpoints themselves are in endpoint_test.go.
var ignoreEndpoints = cmpopts.IgnoreFields(SSO{}, "Endpoints")
