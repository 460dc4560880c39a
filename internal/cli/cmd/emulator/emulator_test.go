package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestNewCmdFlags(t *testing.T) {
	defaults := emulator.Config{
		Addr: "127.0.0.1:4510", StartURL: emulator.DefaultStartURL, Region: "us-east-2",
		Store: "sqlite", RolesPerAccount: 1, AccessTokenTTL: time.Hour, SessionDuration: 8 * time.Hour,
	}
	tests := []struct {
		name    string
		args    []string
		want    func(c *emulator.Config)
		verbose bool
		wantErr string
	}{
		{"no flags give the defaults", nil, func(*emulator.Config) {}, false, ""},
		{"every flag", []string{
			"--addr", ":0", "--allow-remote", "--tls", "--ca-file", "ca.pem", "--tls-host", "oidc.eu-west-1.amazonaws.com,portal.sso.eu-west-1.amazonaws.com",
			"--start-url", "https://d-1111111111.awsapps.com/start", "--region", "eu-west-1",
			"--store", "memory", "--auto-approve", "demo", "--demo-password", "pw",
			"--generate-accounts", "30", "--roles-per-account", "4", "--latency", "20ms", "--jitter", "5ms",
			"--error-rate", "0.1", "--rate-limit", "20", "--token-ttl", "30m", "--session-duration", "12h", "-v",
		}, func(c *emulator.Config) {
			c.Addr, c.StartURL, c.Region, c.Store = ":0", "https://d-1111111111.awsapps.com/start", "eu-west-1", "memory"
			c.AllowRemote, c.TLS, c.CAFile = true, true, "ca.pem"
			c.TLSHosts = []string{"oidc.eu-west-1.amazonaws.com", "portal.sso.eu-west-1.amazonaws.com"}
			c.AutoApprove, c.DemoPassword, c.GenerateAccounts, c.RolesPerAccount = "demo", "pw", 30, 4
			c.Faults = emulator.Faults{Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond, ErrorRate: 0.1, RateLimit: 20}
			c.AccessTokenTTL, c.SessionDuration = 30*time.Minute, 12*time.Hour
		}, true, ""},
		{"print the directory", []string{"--print-directory", "--demo-password", "pw"}, func(c *emulator.Config) { c.DemoPassword = "pw" }, false, ""},
		{"a directory file and a database", []string{"--directory", "org.yaml", "--db", "/tmp/x.db"}, func(c *emulator.Config) {
			c.DirectoryFile, c.DBPath = "org.yaml", "/tmp/x.db"
		}, false, ""},
		{"a loopback address needs no permission", []string{"--addr", "[::1]:0"}, func(c *emulator.Config) { c.Addr = "[::1]:0" }, false, ""},
		{"localhost needs no permission", []string{"--addr", "localhost:9999"}, func(c *emulator.Config) { c.Addr = "localhost:9999" }, false, ""},
		{"every interface needs --allow-remote", []string{"--addr", "0.0.0.0:4510"}, nil, false, "--addr 0.0.0.0:4510 can be reached from other machines: add --allow-remote"},
		{"an empty host needs --allow-remote", []string{"--addr", ":4510"}, nil, false, "add --allow-remote"},
		{"a LAN address needs --allow-remote", []string{"--addr", "192.168.1.20:4510"}, nil, false, "add --allow-remote"},
		{"a CA file without --tls", []string{"--ca-file", "ca.pem"}, nil, false, "only apply with --tls"},
		{"a TLS host without --tls", []string{"--tls-host", "example.com"}, nil, false, "only apply with --tls"},
		{"an unknown store", []string{"--store", "redis"}, nil, false, `invalid --store "redis"`},
		{"a database with the memory store", []string{"--store", "memory", "--db", "x.db"}, nil, false, "--db only applies"},
		{"a directory and generated accounts", []string{"--directory", "a.yaml", "--generate-accounts", "3"}, nil, false, "not both"},
		{"a demo password with a directory", []string{"--directory", "a.yaml", "--demo-password", "x"}, nil, false, "--demo-password only applies"},
		{"an error rate above 1", []string{"--error-rate", "1.5"}, nil, false, "invalid --error-rate"},
		{"a negative latency", []string{"--latency", "-1s"}, nil, false, "cannot be negative"},
		{"a tiny token TTL", []string{"--token-ttl", "5s"}, nil, false, "--token-ttl 5s is too short"},
		{"a tiny session", []string{"--session-duration", "5s"}, nil, false, "--session-duration 5s is too short"},
		{"an argument", []string{"extra"}, nil, false, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := cmdtest.ParseFlags(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var fe *cmdutil.FlagError
				if !errors.As(err, &fe) && !strings.Contains(err.Error(), "unknown command") {
					t.Errorf("err %v is not a FlagError (exit code 2)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			tt.want(&want)
			if diff := cmp.Diff(want, got.Config, cmpopts.IgnoreFields(emulator.Config{}, "Logger", "Now")); diff != "" {
				t.Errorf("Config (-want +got):\n%s", diff)
			}
			if got.PrintDirectory != strings.Contains(tt.name, "print") {
				t.Errorf("PrintDirectory = %v", got.PrintDirectory)
			}
			if got.Verbose != tt.verbose {
				t.Errorf("Verbose = %v, want %v", got.Verbose, tt.verbose)
			}
		})
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	cache := tempdir.New(t)
	opts := &Options{
		Getenv:  func(k string) string { return map[string]string{"XDG_CACHE_HOME": cache, "LocalAppData": cache}[k] },
		HomeDir: func() (string, error) { return cache, nil },
		Now:     time.Now,
		GOOS:    "linux",
		Verbose: true,
		Config: emulator.Config{
			Addr: "127.0.0.1:0", StartURL: "https://d-2222222222.awsapps.com/start", Region: "eu-central-1",
			Store: "sqlite", DemoPassword: "let-me-in", AutoApprove: "demo", AccessTokenTTL: time.Hour,
		},
	}
	out, errOut, stop := startRun(t, opts)
	m := regexp.MustCompile(`(?m)^export AWS_ENDPOINT_URL_SSO=(http://127\.0\.0\.1:\d+)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("stdout has no AWS_ENDPOINT_URL_SSO line:\n%s", out.String())
	}
	base := m[1]
	wantOut := "export AWS_ENDPOINT_URL_SSO=" + base + "\nexport AWS_ENDPOINT_URL_SSO_OIDC=" + base + "\nexport AWS_ENDPOINT_URL_STS=" + base + "\nexport AWS_ENDPOINT_URL_SIGNIN=" + base + "\n"
	if diff := cmp.Diff(wantOut, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	banner := errOut.String()
	for _, want := range []string{
		"listening on " + base,
		"start URL  https://d-2222222222.awsapps.com/start",
		"SSO region eu-central-1",
		filepath.Join(cache, "ssokit", "emulator.db"),
		"demo     password let-me-in",
		"alice    password ",
		"(TOTP secret ",
		"[sso-session emulator]\nsso_start_url = https://d-2222222222.awsapps.com/start\nsso_region = eu-central-1\n",
		"[profile emulator]\nsso_session = emulator\nsso_account_id = 123456789011\nsso_role_name = readOnly\n",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner does not contain %q:\n%s", want, banner)
		}
	}

	resp, err := http.Get(base + "/assignment/accounts")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /assignment/accounts = %d, want 401", resp.StatusCode)
	}
	if !strings.Contains(errOut.String(), "op=ListAccounts method=GET path=/assignment/accounts") {
		t.Errorf("--verbose logged no request line:\n%s", errOut.String())
	}
	if _, err := os.Stat(filepath.Join(cache, "ssokit", "emulator.db")); err != nil {
		t.Errorf("database not created in the cache folder: %v", err)
	}

	stop()
	if !strings.Contains(errOut.String(), "Emulator stopped.") {
		t.Errorf("no goodbye on stderr:\n%s", errOut.String())
	}
	// The goodbye says how to leave it: the variables it printed, unset.
	if want := "\n  unset AWS_ENDPOINT_URL_SSO AWS_ENDPOINT_URL_SSO_OIDC AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_SIGNIN\n"; !strings.Contains(errOut.String(), want) {
		t.Errorf("the goodbye does not say how to go back to real AWS (%q):\n%s", want, errOut.String())
	}
}

// With --tls the CA lands in the cache folder, and the printed lines point
// clients at https and at that file.
func TestRunServesTLS(t *testing.T) {
	cache := tempdir.New(t)
	opts := &Options{
		Getenv:  func(k string) string { return map[string]string{"XDG_CACHE_HOME": cache}[k] },
		HomeDir: func() (string, error) { return cache, nil },
		Now:     time.Now,
		GOOS:    "linux",
		Config:  emulator.Config{Addr: "127.0.0.1:0", Store: "memory", TLS: true},
	}
	out, errOut, stop := startRun(t, opts)
	caFile := filepath.Join(cache, "ssokit", "emulator-ca.pem")
	m := regexp.MustCompile(`(?m)^export AWS_ENDPOINT_URL_SSO=(https://127\.0\.0\.1:[1-9]\d*)$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("stdout has no https AWS_ENDPOINT_URL_SSO line:\n%s", out.String())
	}
	base := m[1]
	if !strings.Contains(out.String(), "\nexport AWS_CA_BUNDLE="+export.Quote(export.FormatEnv, caFile)+"\n") {
		t.Errorf("stdout has no AWS_CA_BUNDLE line for %s:\n%s", caFile, out.String())
	}
	if !strings.Contains(errOut.String(), "  CA         "+caFile) {
		t.Errorf("the banner does not name the CA file:\n%s", errOut.String())
	}
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(base + "/assignment/accounts")
	if err != nil {
		t.Fatalf("GET with the CA file as the only root: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /assignment/accounts = %d, want 401", resp.StatusCode)
	}
	stop()
}

// startRun runs the command with opts in the background, with streams of
// its own, until the banner is out; stop cancels it as Ctrl-C does and
// waits for run to return nil.
func startRun(t *testing.T, opts *Options) (out, errOut *syncbuf.Buffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// Written by the emulator's goroutine and read by the test.
	out, errOut = &syncbuf.Buffer{}, &syncbuf.Buffer{}
	ios, _, _, _ := iostreams.Test()
	ios.Out, ios.ErrOut = out, errOut
	opts.IO, opts.Context = ios, ctx
	done := make(chan error, 1)
	go func() { done <- run(opts) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(errOut.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("no banner after 10s; stderr:\n%s", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return out, errOut, func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run after Ctrl-C = %v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("run did not return after the context was cancelled")
		}
	}
}

func TestRunReportsBadInput(t *testing.T) {
	dir := tempdir.New(t)
	bad := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(bad, []byte("users:\n  - name: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy, err := emulator.Launch(context.Background(), emulator.Config{Addr: "127.0.0.1:0", Store: "memory"})
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name    string
		config  emulator.Config
		wantErr string
	}{
		{"an invalid directory file names the file and line", emulator.Config{DirectoryFile: bad, Store: "memory"}, bad + ": line 2: "},
		{"a missing directory file", emulator.Config{DirectoryFile: filepath.Join(dir, "nope.yaml"), Store: "memory"}, "nope.yaml"},
		{"an address in use", emulator.Config{Addr: strings.TrimPrefix(busy.URL, "http://"), Store: "memory"}, "pick another --addr"},
		{"an auto-approve user who does not exist", emulator.Config{Addr: "127.0.0.1:0", AutoApprove: "mallory", Store: "memory"}, `"mallory" is not in the directory`},
		{"a start URL that is not https", emulator.Config{Addr: "127.0.0.1:0", StartURL: "http://localhost/start", Store: "memory"}, "want https://"},
		{"a database that is not SQLite", emulator.Config{Addr: "127.0.0.1:0", DBPath: bad}, bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			err := run(&Options{IO: ios, Context: context.Background(), Now: time.Now, Config: tt.config,
				Getenv: func(string) string { return "" }, HomeDir: func() (string, error) { return dir, nil }, GOOS: "linux"})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("run = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestUserCacheDir(t *testing.T) {
	home := func() (string, error) { return "/home/u", nil }
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name, goos string
		env        map[string]string
		want       string
	}{
		{"linux uses XDG_CACHE_HOME", "linux", map[string]string{"XDG_CACHE_HOME": "/xdg"}, "/xdg"},
		{"linux ignores a relative XDG_CACHE_HOME", "linux", map[string]string{"XDG_CACHE_HOME": "rel"}, filepath.Join("/home/u", ".cache")},
		{"darwin uses Library/Caches", "darwin", nil, filepath.Join("/home/u", "Library", "Caches")},
		{"windows uses LocalAppData", "windows", map[string]string{"LocalAppData": `C:\Users\u\AppData\Local`}, `C:\Users\u\AppData\Local`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.goos == "linux" && runtime.GOOS == "windows" {
				t.Skip("a Linux path is not absolute on Windows")
			}
			got, err := userCacheDir(tt.goos, env(tt.env), home)
			if err != nil || got != tt.want {
				t.Errorf("userCacheDir = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPrintDirectory(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	err := run(&Options{IO: ios, PrintDirectory: true, Config: emulator.Config{GenerateAccounts: 3, RolesPerAccount: 2, DemoPassword: "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(tempdir.New(t), "org.yaml")
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := directory.Load(path)
	if err != nil {
		t.Fatalf("the printed directory does not load: %v\n%s", err, out)
	}
	if _, ok := d.CheckPassword("demo", "pw"); !ok || len(d.Assignments("demo")) != 3 {
		t.Errorf("printed directory: %s", out)
	}
}

// On Windows the lines to paste are PowerShell's, and the config file is
// named the Windows way; a CA file in a folder with a space stays one value.
func TestRunPrintsPowerShellLinesOnWindows(t *testing.T) {
	cache := filepath.Join(tempdir.New(t), "Local App Data")
	opts := &Options{
		Getenv:  func(k string) string { return map[string]string{"LocalAppData": cache}[k] },
		HomeDir: func() (string, error) { return cache, nil },
		Now:     time.Now,
		GOOS:    "windows",
		Config: emulator.Config{
			Addr: "127.0.0.1:0", StartURL: emulator.DefaultStartURL, Region: emulator.DefaultRegion,
			Store: "memory", TLS: true, AccessTokenTTL: time.Hour, SessionDuration: time.Hour,
		},
	}
	out, errOut, stop := startRun(t, opts)
	m := regexp.MustCompile(`(?m)^\$Env:AWS_ENDPOINT_URL_SSO="(https://127\.0\.0\.1:\d+)"$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("stdout has no PowerShell AWS_ENDPOINT_URL_SSO line:\n%s", out.String())
	}
	base := m[1]
	caFile := emulator.DefaultCAPath(cache)
	wantOut := `$Env:AWS_ENDPOINT_URL_SSO="` + base + "\"\n" +
		`$Env:AWS_ENDPOINT_URL_SSO_OIDC="` + base + "\"\n" +
		`$Env:AWS_ENDPOINT_URL_STS="` + base + "\"\n" +
		`$Env:AWS_ENDPOINT_URL_SIGNIN="` + base + "\"\n" +
		`$Env:AWS_CA_BUNDLE="` + caFile + "\"\n"
	if diff := cmp.Diff(wantOut, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if want := "and add to %USERPROFILE%\\.aws\\config:"; !strings.Contains(errOut.String(), want) {
		t.Errorf("banner does not contain %q:\n%s", want, errOut.String())
	}
	stop()
	// The goodbye's way back to real AWS is PowerShell's too.
	if want := "\n  Remove-Item Env:AWS_ENDPOINT_URL_SSO; Remove-Item Env:AWS_ENDPOINT_URL_SSO_OIDC; Remove-Item Env:AWS_ENDPOINT_URL_STS; Remove-Item Env:AWS_ENDPOINT_URL_SIGNIN"; !strings.Contains(errOut.String(), want) || strings.Contains(errOut.String(), "unset ") {
		t.Errorf("the goodbye does not give PowerShell's way back to real AWS (%q):\n%s", want, errOut.String())
	}
}
