package logout

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The AWS CLI's own logout test data (read in place): its token file goes,
// its SSO role-credential file goes, its non-token file stays.
func TestLogoutAllOnTheAWSCLIFixture(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "..", "shared", "conformance", "peers", "aws-cli", "extracted", "sso-login-logout-fixture-values.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("peer fixtures not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Samples struct {
			Token    json.RawMessage `json:"sso_token_cache_file"`
			RoleCred json.RawMessage `json:"cli_cache_sso_role_credentials_file"`
			NonToken map[string]any  `json:"non_token_file_left_alone_by_logout"`
		} `json:"logout_test_cache_samples"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	name, _ := fx.Samples.NonToken["_filename"].(string)
	delete(fx.Samples.NonToken, "_filename")
	nonToken, _ := json.Marshal(fx.Samples.NonToken)
	if len(fx.Samples.Token) == 0 || len(fx.Samples.RoleCred) == 0 || name == "" {
		t.Fatalf("fixture %s lacks the logout samples", path)
	}

	e := newEnv(t)
	tokenFile := filepath.Join(e.cache.Dir(), "fixture-token.json")
	roleFile := filepath.Join(e.home, ".aws", "cli", "cache", "fixture-role.json")
	nonTokenFile := filepath.Join(e.cache.Dir(), name)
	e.write(tokenFile, string(fx.Samples.Token))
	e.write(roleFile, string(fx.Samples.RoleCred))
	e.write(nonTokenFile, string(nonToken))

	if err := run(context.Background(), &Options{Factory: e.f, IO: e.f.IOStreams, All: true}); err != nil {
		t.Fatalf("run: %v\n%s", err, e.errOut)
	}
	for path, want := range map[string]bool{tokenFile: false, roleFile: false, nonTokenFile: true} {
		if got := exists(path); got != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(path), got, want)
		}
	}
	if n := e.srv.Count("Logout"); n != 1 {
		t.Errorf("portal Logout calls = %d, want 1 (the token names its region)", n)
	}
}
