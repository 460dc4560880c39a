package credentials

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestCacheFileName(t *testing.T) {
	tests := []struct {
		name                                   string
		accountID, roleName, session, startURL string
		wantKey, wantFile                      string
	}{
		{
			name:      "an sso-session profile is keyed by the session name (spec section 7)",
			accountID: "111122223333", roleName: "ReadOnly", session: "my-sso",
			wantKey:  `{"accountId":"111122223333","roleName":"ReadOnly","sessionName":"my-sso"}`,
			wantFile: "0521d1f6a6c4e68f9e18540309367cc3cccb6305.json",
		},
		{
			name:      "a legacy profile is keyed by the start URL as written",
			accountID: "111122223333", roleName: "ReadOnly", startURL: "https://my-sso-portal.awsapps.com/start",
			wantKey:  `{"accountId":"111122223333","roleName":"ReadOnly","startUrl":"https://my-sso-portal.awsapps.com/start"}`,
			wantFile: "a86fc0ef036e01b9ff8f964ffab896b19c6ff372.json",
		},
		{
			name:      "non-ASCII, quotes, controls and astral characters are escaped as Python does",
			accountID: "111122223333", roleName: "Dév/\"x\"\\\t\x7f😀<&>", session: "sé",
			wantKey:  `{"accountId":"111122223333","roleName":"D\u00e9v/\"x\"\\\t\u007f\ud83d\ude00<&>","sessionName":"s\u00e9"}`,
			wantFile: "0239c81a2d3d3fe925d8f13732a1b1f31f9a9146.json",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cacheKey(tt.accountID, tt.roleName, tt.session, tt.startURL); got != tt.wantKey {
				t.Errorf("key = %s\nwant  %s", got, tt.wantKey)
			}
			if got := cacheFileName(tt.accountID, tt.roleName, tt.session, tt.startURL); got != tt.wantFile {
				t.Errorf("file name = %s, want %s", got, tt.wantFile)
			}
		})
	}
}

func TestReadCache(t *testing.T) {
	exp := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	full := aws.Credentials{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalr", SessionToken: "IQoJ",
		CanExpire: true, Expires: exp, AccountID: "111122223333", Source: Source,
	}
	noAccount := full
	noAccount.AccountID = ""
	tests := []struct {
		name    string
		content string
		want    aws.Credentials
		wantOK  bool
	}{
		{
			name:    "an entry written by the AWS CLI",
			content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-01-01T09:00:00Z", "AccountId": "111122223333"}}`,
			want:    full, wantOK: true,
		},
		{
			name:    "an older CLI entry without AccountId and with the UTC suffix",
			content: `{"Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-01-01T09:00:00UTC"}, "ProviderType": "sso"}`,
			want:    noAccount, wantOK: true,
		},
		{
			name:    "fractional seconds and a numeric offset",
			content: `{"ProviderType":"sso","Credentials":{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJalr","SessionToken":"IQoJ","Expiration":"2026-01-01T10:00:00.000+01:00","AccountId":"111122223333"}}`,
			want:    full, wantOK: true,
		},
		{
			name:    "unknown fields are ignored",
			content: `{"ProviderType": "sso", "Future": [1, {"x": null}], "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-01-01T09:00:00Z", "AccountId": "111122223333", "Extra": true}}`,
			want:    full, wantOK: true,
		},
		{name: "an empty file is a miss", content: ``},
		{name: "a truncated file is a miss", content: `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIA`},
		{name: "a file that is not JSON is a miss", content: "\x00\x01garbage"},
		{name: "a missing secret key is a miss", content: `{"Credentials": {"AccessKeyId": "A", "Expiration": "2026-01-01T09:00:00Z"}}`},
		{name: "a missing expiration is a miss", content: `{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S"}}`},
		{name: "an unparsable expiration is a miss", content: `{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}}`},
		{name: "a field of the wrong type is a miss", content: `{"Credentials": {"AccessKeyId": 7, "SecretAccessKey": "S", "Expiration": "2026-01-01T09:00:00Z"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(tempdir.New(t), "entry.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, ok := readCache(path)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("a missing file is a miss", func(t *testing.T) {
		if _, ok := readCache(filepath.Join(tempdir.New(t), "absent.json")); ok {
			t.Error("ok = true for a missing file")
		}
	})
}

// The CLI's own logout test sample must read as an (expired) entry.
func TestReadCacheCLIFixture(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "conformance", "peers", "aws-cli", "extracted", "sso-login-logout-fixture-values.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("peer fixtures not available: %v", err)
	}
	var fx struct {
		Samples struct {
			Entry json.RawMessage `json:"cli_cache_sso_role_credentials_file"`
		} `json:"logout_test_cache_samples"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(tempdir.New(t), "e.json")
	if err := os.WriteFile(entry, fx.Samples.Entry, 0o600); err != nil {
		t.Fatal(err)
	}
	got, ok := readCache(entry)
	if !ok {
		t.Fatalf("the CLI's sample entry %s does not read", fx.Samples.Entry)
	}
	want := aws.Credentials{
		AccessKeyID: "access-key", SecretAccessKey: "secret-key", SessionToken: "session-token",
		CanExpire: true, Expires: time.Date(2020, 1, 23, 20, 48, 59, 0, time.UTC), Source: Source,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
}

func TestWriteCacheMatchesTheCLI(t *testing.T) {
	creds := aws.Credentials{
		AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalr", SessionToken: "IQoJ",
		CanExpire: true, Expires: time.Date(2026, 1, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600)),
		AccountID: "111122223333",
	}
	// What python3 -c 'json.dumps({...})' prints for the CLI's dict.
	want := `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-01-01T09:00:00Z", "AccountId": "111122223333"}}`
	path := filepath.Join(tempdir.New(t), "cli", "cache", "x.json")
	if err := writeCache(path, creds); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("file =\n%s\nwant\n%s", got, want)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode = %o, want 600", fi.Mode().Perm())
		}
	}
	back, ok := readCache(path)
	if !ok {
		t.Fatal("written entry does not read back")
	}
	creds.Expires = creds.Expires.UTC()
	creds.Source = Source
	if diff := cmp.Diff(creds, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestPurgeSSOCache(t *testing.T) {
	dir := tempdir.New(t)
	files := map[string]string{
		"sso1.json":            `{"ProviderType": "sso", "Credentials": {}}`,
		"sso2.json":            `{"Credentials": {"AccessKeyId": "a"}, "ProviderType": "sso"}`,
		"assume-role.json":     `{"Credentials": {"AccessKeyId": "a"}, "AssumedRoleUser": {}}`,
		"web-identity.json":    `{"ProviderType": "assume-role-with-web-identity", "Credentials": {}}`,
		"junk.json":            `not json`,
		"number.json":          `{"ProviderType": 1}`,
		"notes.txt":            `{"ProviderType": "sso"}`,
		"sso1.json.lock":       ``,
		"botocore-client.json": `{"clientId": "myid"}`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	removed, err := PurgeSSOCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 2 {
		t.Errorf("removed = %d, want 2", removed)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{"assume-role.json", "botocore-client.json", "junk.json", "notes.txt", "number.json", "sso1.json.lock", "sub.json", "web-identity.json"}
	slices.Sort(want)
	if diff := cmp.Diff(want, left); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}

	t.Run("a missing folder holds nothing to purge", func(t *testing.T) {
		n, err := PurgeSSOCache(filepath.Join(dir, "absent"))
		if n != 0 || err != nil {
			t.Errorf("PurgeSSOCache(absent) = %d, %v; want 0, nil", n, err)
		}
	})
}

func TestAssumeRoleCacheFileName(t *testing.T) {
	// The expected keys and names are what Python prints for
	// json.dumps(args, sort_keys=True) and its SHA-1; the first is the
	// file the AWS CLI wrote in TestAWSCLIAssumesRoles of the emulator.
	tests := []struct {
		name     string
		step     config.AssumeRole
		wantKey  string
		wantFile string
	}{
		{
			name:     "the role and a configured session name",
			step:     config.AssumeRole{Profile: "p", RoleARN: "arn:aws:iam::210987654321:role/Admin", RoleSessionName: "cli"},
			wantKey:  `{"RoleArn": "arn:aws:iam::210987654321:role/Admin", "RoleSessionName": "cli"}`,
			wantFile: "3173c1c37bb8bce4e05b57934453eafb237017a2.json",
		},
		{
			name:     "the duration is a number, first in key order",
			step:     config.AssumeRole{RoleARN: "arn:aws:iam::210987654321:role/Admin", RoleSessionName: "alice", DurationSeconds: 3600},
			wantKey:  `{"DurationSeconds": 3600, "RoleArn": "arn:aws:iam::210987654321:role/Admin", "RoleSessionName": "alice"}`,
			wantFile: "99211bd4956ee420ec2f0c8475e376fa04f7b386.json",
		},
		{
			name: "every argument, escaped as Python does",
			step: config.AssumeRole{RoleARN: "arn:aws:iam::333333333333:role/Deploy", ExternalID: "ext-123", MFASerial: "arn:aws:iam::123456789011:mfa/alice",
				DurationSeconds: 900, RoleSessionName: `é "q"`},
			wantKey:  `{"DurationSeconds": 900, "ExternalId": "ext-123", "RoleArn": "arn:aws:iam::333333333333:role/Deploy", "RoleSessionName": "\u00e9 \"q\"", "SerialNumber": "arn:aws:iam::123456789011:mfa/alice"}`,
			wantFile: "256b6bf0527bdd6e4d34b88d4edfa5e4e8862988.json",
		},
		{
			name:     "no session name configured: the default one is left out",
			step:     config.AssumeRole{RoleARN: "arn:aws:iam::210987654321:role/Admin"},
			wantKey:  `{"RoleArn": "arn:aws:iam::210987654321:role/Admin"}`,
			wantFile: "19488e95e6068c2c1463c71694900bc94f891924.json",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := assumeRoleCacheKey(tt.step); got != tt.wantKey {
				t.Errorf("key = %s\nwant  %s", got, tt.wantKey)
			}
			if got := AssumeRoleCacheFileName(tt.step); got != tt.wantFile {
				t.Errorf("file name = %s, want %s", got, tt.wantFile)
			}
		})
	}
}

// An assume-role entry is the CLI's JSON, and reads back; one the CLI
// wrote (its expiration in isoformat, without AccountId) reads too.
func TestAssumeRoleCacheEntry(t *testing.T) {
	a := assumedRole{
		creds: aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalr", SessionToken: "IQoJ", CanExpire: true,
			Expires: time.Date(2026, 12, 2, 4, 23, 20, 0, time.UTC), AccountID: "210987654321", Source: Source},
		roleID: "AROAEZ34WWUUTLULWBGV4:cli", arn: "arn:aws:sts::210987654321:assumed-role/Admin/cli", requestID: "ff1b1718-9c85-4d32-ba7a-ec81a616e6df",
	}
	want := `{"Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-12-02T04:23:20+00:00", "AccountId": "210987654321"}, ` +
		`"AssumedRoleUser": {"AssumedRoleId": "AROAEZ34WWUUTLULWBGV4:cli", "Arn": "arn:aws:sts::210987654321:assumed-role/Admin/cli"}, ` +
		`"ResponseMetadata": {"RequestId": "ff1b1718-9c85-4d32-ba7a-ec81a616e6df", "HTTPStatusCode": 200, "RetryAttempts": 0}}`
	if got := string(marshalAssumeRoleCache(a)); got != want {
		t.Errorf("entry =\n%s\nwant\n%s", got, want)
	}
	dir := tempdir.New(t)
	for name, data := range map[string]string{
		"ours":       want,
		"the CLI's":  `{"Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-12-02T04:23:20+00:00"}, "AssumedRoleUser": {"AssumedRoleId": "AROAEZ34WWUUTLULWBGV4:cli", "Arn": "arn:aws:sts::210987654321:assumed-role/Admin/cli"}, "ResponseMetadata": {"RequestId": "ff1b1718", "HTTPStatusCode": 200, "HTTPHeaders": {"content-type": "text/xml"}, "RetryAttempts": 0}}`,
		"botocore's": `{"Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "wJalr", "SessionToken": "IQoJ", "Expiration": "2026-12-02T04:23:20UTC", "AccountId": "210987654321"}}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, ok := readCache(path)
		wantCreds := a.creds
		if name == "the CLI's" {
			wantCreds.AccountID = ""
		}
		if !ok || !cmp.Equal(wantCreds, got) {
			t.Errorf("%s entry reads as %+v, %v", name, got, ok)
		}
	}
}
