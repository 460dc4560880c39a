package awscli

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Path is where Debian's awscli package installs AWS CLI v2.
const Path = "/usr/bin/aws"

// DefaultTimeout bounds one Run; the CLI's device-flow polling would
// otherwise wait for minutes on a broken test.
const DefaultTimeout = 2 * time.Minute

// CLI is the AWS CLI set up to talk to one emulator.
type CLI struct {
	// Home is the CLI's HOME; caches land in Home/.aws/sso/cache and
	// Home/.aws/cli/cache.
	Home string
	// ConfigFile and CredentialsFile are the shared config files it reads.
	ConfigFile, CredentialsFile string
	// DataPath holds the endpoint rule sets that point at the emulator.
	DataPath string
	// Env is added to the environment of every run, e.g. "AWS_PROFILE=p".
	Env []string
	// Timeout bounds each Run; DefaultTimeout when zero.
	Timeout time.Duration

	t testing.TB
}

// services are the CLI's services whose endpoints New redirects, by model
// name and API version.
var services = []struct{ name, version string }{
	{"sso", "2019-06-10"},
	{"sso-oidc", "2019-06-10"},
	{"sts", "2011-06-15"},
}

// New prepares a CLI for endpointURL (e.g. "http://127.0.0.1:41234"), or
// skips the test when /usr/bin/aws is missing or in -short mode. With
// endpointURL "" the CLI keeps the real AWS endpoints (to reach them
// through a proxy).
func New(t testing.TB, endpointURL string) *CLI {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the AWS CLI; skipped in -short mode")
	}
	if runtime.GOOS == "windows" {
		t.Skipf("runs the Linux AWS CLI at %s; the interop tests run on Linux", Path)
	}
	if _, err := os.Stat(Path); err != nil {
		t.Skipf("AWS CLI v2 not installed at %s (apt-get install awscli): %v", Path, err)
	}
	dir := tempdir.New(t)
	c := &CLI{
		Home:     filepath.Join(dir, "home"),
		DataPath: filepath.Join(dir, "data"),
		t:        t,
	}
	c.ConfigFile = filepath.Join(c.Home, ".aws", "config")
	c.CredentialsFile = filepath.Join(c.Home, ".aws", "credentials")
	if err := os.MkdirAll(filepath.Dir(c.ConfigFile), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{c.ConfigFile, c.CredentialsFile} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if endpointURL == "" {
		return c
	}
	rules, err := RuleSet(endpointURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		d := filepath.Join(c.DataPath, s.name, s.version)
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "endpoint-rule-set-1.json"), rules, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// RuleSet returns an endpoint rule set (the format of botocore's
// endpoint-rule-set-1.json) that sends every request to url, unless the
// command line names an --endpoint-url.
func RuleSet(url string) ([]byte, error) {
	param := func(builtIn, typ string, required bool, doc string) map[string]any {
		p := map[string]any{"builtIn": builtIn, "type": typ, "required": required, "documentation": doc}
		if required {
			p["default"] = false
		}
		return p
	}
	endpoint := func(url any) map[string]any {
		return map[string]any{"url": url, "properties": map[string]any{}, "headers": map[string]any{}}
	}
	rs := map[string]any{
		"version": "1.0",
		"parameters": map[string]any{
			"Region":       param("AWS::Region", "String", false, "The region the client is configured for."),
			"UseDualStack": param("AWS::UseDualStack", "Boolean", true, "Ignored: everything goes to the emulator."),
			"UseFIPS":      param("AWS::UseFIPS", "Boolean", true, "Ignored: everything goes to the emulator."),
			"Endpoint":     param("SDK::Endpoint", "String", false, "An endpoint given with --endpoint-url."),
		},
		"rules": []any{
			map[string]any{
				"type":       "endpoint",
				"conditions": []any{map[string]any{"fn": "isSet", "argv": []any{map[string]any{"ref": "Endpoint"}}}},
				"endpoint":   endpoint(map[string]any{"ref": "Endpoint"}),
			},
			map[string]any{"type": "endpoint", "conditions": []any{}, "endpoint": endpoint(url)},
		},
	}
	b, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode endpoint rule set: %w", err)
	}
	return b, nil
}

// WriteConfig replaces the shared config file.
func (c *CLI) WriteConfig(content string) {
	c.t.Helper()
	if err := os.WriteFile(c.ConfigFile, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// WriteCredentials replaces the shared credentials file.
func (c *CLI) WriteCredentials(content string) {
	c.t.Helper()
	if err := os.WriteFile(c.CredentialsFile, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// SSOTokenFile is where the CLI caches an SSO token: the SHA-1 (hex) of
// the sso-session's name, or of the start URL for a legacy profile, in
// ~/.aws/sso/cache.
func (c *CLI) SSOTokenFile(sessionNameOrStartURL string) string {
	sum := sha1.Sum([]byte(sessionNameOrStartURL))
	return filepath.Join(c.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// RoleCredentialsCacheDir is ~/.aws/cli/cache, where the CLI caches the
// role credentials it got with an SSO token.
func (c *CLI) RoleCredentialsCacheDir() string {
	return filepath.Join(c.Home, ".aws", "cli", "cache")
}

// Environ is the whole environment the CLI runs with.
func (c *CLI) Environ() []string {
	env := []string{
		"HOME=" + c.Home,
		"PATH=" + os.Getenv("PATH"),
		"LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + c.ConfigFile,
		"AWS_SHARED_CREDENTIALS_FILE=" + c.CredentialsFile,
		"AWS_DATA_PATH=" + c.DataPath,
		"AWS_EC2_METADATA_DISABLED=true",
		// No pager, no auto-prompt: the CLI must never wait on a terminal.
		"AWS_PAGER=",
		"AWS_CLI_AUTO_PROMPT=off",
		// Python buffers a piped stdout; a test reading the URL that
		// `aws sso login --no-browser` prints must see it at once.
		"PYTHONUNBUFFERED=1",
	}
	return append(env, c.Env...)
}

// Command returns the CLI command, ready to start, for callers that read
// its output while it runs (e.g. to follow the URL `aws sso login` prints).
func (c *CLI) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, Path, args...)
	cmd.Env = c.Environ()
	cmd.Dir = c.Home
	cmd.Stdin = strings.NewReader("")
	return cmd
}

// Run runs the CLI to completion. err is non-nil when it could not start,
// timed out, or exited non-zero; its text includes stderr.
func (c *CLI) Run(args ...string) (stdout, stderr string, err error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := c.Command(ctx, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), timeout)
		}
		return out.String(), errOut.String(), fmt.Errorf("aws %s: %w\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String(), nil
}
