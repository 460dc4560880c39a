package app

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
	"github.com/ssokit/ssokit/tokencache"
)

// theSecret is a secret access key every case's credentials file holds.
const theSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

// badHome is a signed-in home for one bad input; its paths, for setups.
type badHome struct {
	*signedin.Env
	aws, cache, token string
}

func (h *badHome) write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// replace puts a folder where path belongs.
func (h *badHome) folder(t *testing.T, path string) {
	t.Helper()
	os.Remove(path)
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
}

func (h *badHome) symlink(t *testing.T, target, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	os.Remove(path)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func (h *badHome) appendTo(t *testing.T, path, text string) {
	t.Helper()
	old, _ := os.ReadFile(path)
	h.write(t, path, append(old, text...))
}

// snapshot is every file under root with its bytes and mode; lock files
// (ssokit's own, created next to the files it locks) are left out.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".lock") {
			return nil
		}
		info, err := os.Lstat(path)
		if err != nil {
			return nil
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			m[path] = "link to " + target
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			m[path] = "unreadable " + info.Mode().String()
			return nil
		}
		m[path] = info.Mode().String() + " " + string(data)
		return nil
	})
	return m
}

// badInput is one mistake a user can make: a file or a flag.
type badInput struct {
	name  string
	setup func(t *testing.T, h *badHome)
	// args are the command line; args(h) when they need the home.
	args func(h *badHome) []string
	// codes are the exit codes allowed; nil means 1 or 2.
	codes []int
	// names are texts the message must hold: the file (and line) or the
	// flag; fix is a text of the fix.
	names func(h *badHome) []string
	fix   string
	// nonRoot: permissions do not hold for root.
	nonRoot bool
}

func cmdArgs(args ...string) func(*badHome) []string {
	return func(*badHome) []string { return args }
}

func badInputs() []badInput {
	cp := cmdArgs("credential-process", "--profile", signedin.Profile)
	doctor := cmdArgs("doctor")
	sync := cmdArgs("sync", "--profile", signedin.Profile)
	login := cmdArgs("login", "--profile", signedin.Profile, "--use-device-code", "--no-browser")
	configFile := func(line string) func(*badHome) []string {
		return func(h *badHome) []string { return []string{h.ConfigPath + line} }
	}
	credsFile := func(line string) func(*badHome) []string {
		return func(h *badHome) []string { return []string{h.CredentialsPath + line} }
	}
	huge := strings.Repeat("z", 10<<20)

	// Lines that break a file, each tried with a command that reads the
	// file and with doctor.
	type brokenFile struct {
		name  string
		creds bool // in the credentials file, else in the config file
		text  string
		line  string // ":N" the message names
		fix   string
	}
	broken := []brokenFile{
		{"a line that is neither key nor header", false, "\n[profile broken]\njust some words\n", "", "fix the line"},
		{"a key before any section", false, "", ":1", "put it inside a section"},
		{"a secret key without =", true, "\n[leaky]\naws_secret_access_key " + theSecret + "\n", "", "fix the line"},
		{"a secret key before any section", true, "", ":1", "put it inside a section"},
		{"a byte order mark", false, "", ":1", "without a byte order mark"},
		{"NUL bytes", false, "\n[profile nul]\nregion = eu\x00west\x00\n\x00\x00\x00\n", "", "fix the line"},
		{"binary garbage", false, "\n\xff\xfe\x00\x01garbage\x80\x81\n", "", "save the file as UTF-8"},
		{"a 10 MB line", false, "\n[profile big]\n" + huge + "\n", "", "fix the line"},
		{"a 10 MB line in the credentials file", true, "\n[big]\n" + huge + "\n", "", "fix the line"},
		{"an unclosed header", false, "\n[profile unclosed\nregion = x\n", "", "fix the line"},
		{"an indented line without = under an empty key", false, "\n[profile nested]\ns3 =\n  not a setting\n", "", "name = value"},
		{"a line that is not UTF-8 in the credentials file", true, "\n[latin1]\nregion = caf\xe9\n", "", "save the file as UTF-8"},
		{"old Mac line endings around garbage", false, "\r[profile mac]\rjunk here\r", "", "fix the line"},
	}
	var out []badInput
	for _, b := range broken {
		b := b
		setup := func(t *testing.T, h *badHome) {
			path := h.ConfigPath
			if b.creds {
				path = h.CredentialsPath
			}
			switch {
			case b.name == "a key before any section":
				old, _ := os.ReadFile(path)
				h.write(t, path, append([]byte("region = eu-west-1\n"), old...))
			case b.name == "a secret key before any section":
				old, _ := os.ReadFile(path)
				h.write(t, path, append([]byte("aws_secret_access_key = "+theSecret+"\n"), old...))
			case b.name == "a byte order mark":
				old, _ := os.ReadFile(path)
				h.write(t, path, append([]byte("\ufeff"), old...))
			default:
				h.appendTo(t, path, b.text)
			}
		}
		names := configFile(b.line)
		if b.creds {
			names = credsFile(b.line)
		}
		out = append(out,
			badInput{name: "credential-process: " + b.name, setup: setup, args: cp, names: names, fix: b.fix},
			badInput{name: "doctor: " + b.name, setup: setup, args: doctor, names: names, fix: b.fix, codes: []int{1}},
		)
	}

	out = append(out, []badInput{
		// Folders and unreadable files where files belong.
		{name: "credential-process: a folder where the config file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.ConfigPath) }, args: cp, names: configFile(""), fix: "move the folder away"},
		{name: "doctor: a folder where the config file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.ConfigPath) }, args: doctor, names: configFile(""), fix: "move the folder away"},
		{name: "sync: a folder where the credentials file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.CredentialsPath) }, args: sync, names: credsFile(""), fix: "move the folder away"},
		{name: "doctor: a folder where the credentials file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.CredentialsPath) }, args: doctor, names: credsFile(""), fix: "move the folder away"},
		{name: "login: a folder where the token file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.token) }, args: login,
			names: func(h *badHome) []string { return []string{h.token} }, fix: "remove that folder"},
		{name: "credential-process: a folder where the token file belongs", setup: func(t *testing.T, h *badHome) { h.folder(t, h.token) }, args: cp,
			names: func(h *badHome) []string { return []string{h.token} }, fix: "move the folder away"},
		{name: "login: a file where the token cache folder belongs", setup: func(t *testing.T, h *badHome) {
			if err := tempdir.RemoveAll(h.cache); err != nil {
				t.Fatal(err)
			}
			h.write(t, h.cache, []byte("not a folder"))
		}, args: login, names: func(h *badHome) []string { return []string{h.cache} }, fix: "it is a file, not a folder; move it away"},
		{name: "credential-process: AWS_CONFIG_FILE names a folder", setup: func(t *testing.T, h *badHome) {
			h.Vars["AWS_CONFIG_FILE"] = h.aws
		}, args: cp, names: func(h *badHome) []string { return []string{h.aws} }, fix: "move the folder away"},
		{name: "credential-process: an unreadable config file", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.ConfigPath, 0) }, args: cp, names: configFile(""), fix: "chmod 600"},
		{name: "doctor: an unreadable credentials file", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.CredentialsPath, 0) }, args: doctor, names: credsFile(""), fix: "chmod 600"},
		{name: "credential-process: an unreadable token file", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.token, 0) }, args: cp,
			names: func(h *badHome) []string { return []string{h.token} }, fix: "chmod 600"},

		// Read-only folders.
		{name: "sync: a read-only ~/.aws", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.aws, 0o500) }, args: sync,
			names: func(h *badHome) []string { return []string{h.aws} }, fix: "must be yours and writable"},
		{name: "login: a read-only token cache", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.cache, 0o500) }, args: login,
			names: func(h *badHome) []string { return []string{h.cache} }, fix: "writable"},
		{name: "configure: a read-only ~/.aws", nonRoot: true, setup: func(t *testing.T, h *badHome) { os.Chmod(h.aws, 0o500) },
			args:  cmdArgs("configure", "sso", "--sso-session", signedin.Session, "--profile", "new", "--account-id", "123456789011", "--role-name", "readOnly"),
			names: func(h *badHome) []string { return []string{h.aws} }, fix: "must be yours and writable"},

		// Links that lead nowhere or into a loop.
		{name: "sync: a credentials file that is a link to nowhere", setup: func(t *testing.T, h *badHome) {
			h.symlink(t, filepath.Join(h.Home, "gone"), h.CredentialsPath)
		}, args: sync, names: credsFile(""), fix: "create that file, or remove the link"},
		{name: "sync: a credentials file that is a loop of links", setup: func(t *testing.T, h *badHome) {
			other := filepath.Join(h.aws, "other")
			h.symlink(t, h.CredentialsPath, other)
			h.symlink(t, other, h.CredentialsPath)
		}, args: sync, names: credsFile(""), fix: "point the link at a file, or remove it"},
		{name: "credential-process: a config file that is a loop of links", setup: func(t *testing.T, h *badHome) {
			other := filepath.Join(h.aws, "other")
			h.symlink(t, h.ConfigPath, other)
			h.symlink(t, other, h.ConfigPath)
		}, args: cp, names: configFile(""), fix: "point the link at a file"},
		{name: "doctor: a config file that is a loop of links", setup: func(t *testing.T, h *badHome) {
			h.symlink(t, h.ConfigPath, h.ConfigPath)
		}, args: doctor, names: configFile(""), fix: "point the link at a file"},
		{name: "configure: a config file that is a link to nowhere", setup: func(t *testing.T, h *badHome) {
			h.symlink(t, filepath.Join(h.Home, "gone"), h.ConfigPath)
		}, args: cmdArgs("configure", "sso", "--sso-session", "fresh", "--start-url", "https://d-1234567890.awsapps.com/start", "--sso-region", "us-east-1",
			"--profile", "new", "--account-id", "123456789011", "--role-name", "readOnly"),
			names: configFile(""), fix: "create that file, or remove the link"},

		// Absurd expiry values in the token file: the token is unusable, so
		// the answer is a sign-in (exit 3), saying what is wrong with the file.
		{name: "credential-process: a token expiring in year 1", setup: tokenExpiry(`"0001-01-01T00:00:00Z"`), args: cp, codes: []int{3},
			names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},
		{name: "credential-process: a token expiry that is a number", setup: tokenExpiry(`1e308`), args: cp, codes: []int{3},
			names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},
		{name: "credential-process: a token expiry of 10 MB", setup: tokenExpiry(`"` + huge + `"`), args: cp, codes: []int{3},
			names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},
		{name: "credential-process: a token expiry in month 13", setup: tokenExpiry(`"2030-13-01T00:00:00Z"`), args: cp, codes: []int{3},
			names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},
		{name: "credential-process: a token that is binary garbage", setup: func(t *testing.T, h *badHome) { h.write(t, h.token, []byte("\x00\xff\xfe{garbage")) }, args: cp, codes: []int{3},
			names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},
		{name: "credential-process: a truncated token file", setup: func(t *testing.T, h *badHome) {
			data, _ := os.ReadFile(h.token)
			h.write(t, h.token, data[:len(data)/2])
		}, args: cp, codes: []int{3}, names: func(h *badHome) []string { return []string{h.token} }, fix: "a new sign-in will replace it"},

		// Bad flag values: usage errors naming the flag.
		{name: "accounts --rate NaN", args: cmdArgs("accounts", "--profile", signedin.Profile, "--rate", "NaN"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "accounts --rate +Inf", args: cmdArgs("accounts", "--profile", signedin.Profile, "--rate", "+Inf"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "accounts --rate -1", args: cmdArgs("accounts", "--profile", signedin.Profile, "--rate", "-1"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "accounts --rate 0", args: cmdArgs("accounts", "--profile", signedin.Profile, "--rate", "0"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "populate --rate 0.0001", args: cmdArgs("populate", "--sso-session", signedin.Session, "--rate", "0.0001"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "populate --rate 1e9", args: cmdArgs("populate", "--sso-session", signedin.Session, "--rate", "1e9"), names: flagName("--rate"), fix: "from 0.1 to 1000"},
		{name: "accounts --rate that is not a number", args: cmdArgs("accounts", "--rate", "fast"), names: flagName("--rate"), fix: "--help"},
		{name: "serve --addr x:y:z", args: cmdArgs("serve", "--profile", signedin.Profile, "--addr", "x:y:z"), names: flagName("--addr"), fix: "such as 127.0.0.1:9911"},
		{name: "serve --addr 0.0.0.0:0", args: cmdArgs("serve", "--profile", signedin.Profile, "--addr", "0.0.0.0:0"), names: flagName("--addr"), fix: "use 127.0.0.1 or [::1]"},
		{name: "serve --addr with a port out of range", args: cmdArgs("serve", "--addr", "127.0.0.1:99999"), names: flagName("--addr"), fix: "from 0 to 65535"},
		{name: "serve --output bogus", args: cmdArgs("serve", "--output", "bogus"), names: flagName("--output"), fix: "use one of"},
		{name: "export --output bogus", args: cmdArgs("export", "--profile", signedin.Profile, "--output", "bogus"), names: flagName("bogus"), fix: "use one of"},
		{name: "export --format bogus (the old name)", args: cmdArgs("export", "--profile", signedin.Profile, "--format", "bogus"), names: flagName("bogus"), fix: "use one of"},
		{name: "credential-process --profile of 100 kB", args: cmdArgs("credential-process", "--profile", strings.Repeat("p", 100<<10)), names: flagName("--profile"), fix: "at most 4096"},
		{name: "credential-process --profile of 4 kB", args: cmdArgs("credential-process", "--profile", strings.Repeat("p", 4000)), names: flagName("4000 characters"), fix: "ssokit profiles"},
		{name: "credential-process --profile with a line break", args: cmdArgs("credential-process", "--profile", "dev\nevil"), names: flagName(`"dev\nevil"`), fix: "ssokit profiles"},
		{name: "credential-process: AWS_PROFILE of 100 kB", setup: func(t *testing.T, h *badHome) { h.Vars["AWS_PROFILE"] = strings.Repeat("e", 100<<10) },
			args: cmdArgs("credential-process"), names: flagName("102400 characters"), fix: "ssokit profiles"},
		{name: "login --port 70000", args: cmdArgs("login", "--port", "70000"), names: flagName("--port"), fix: "from 1 to 65535"},
		{name: "login --port -1", args: cmdArgs("login", "--port", "-1"), names: flagName("--port"), fix: "from 1 to 65535"},
		{name: "login --profile with --sso-session", args: cmdArgs("login", "--profile", "a", "--sso-session", "b"), names: flagName("--sso-session"), fix: "choose one"},
		{name: "status --output yaml", args: cmdArgs("status", "--output", "yaml"), names: flagName("--output"), fix: "use one of table, json"},
		{name: "profiles --output xml", args: cmdArgs("profiles", "--output", "xml"), names: flagName("--output"), fix: "use one of table, json"},
		{name: "accounts --output of 100 kB", args: cmdArgs("accounts", "--output", strings.Repeat("o", 100<<10)), names: flagName("--output"), fix: "at most 4096"},
		{name: "console --duration 5s", args: cmdArgs("console", "--profile", signedin.Profile, "--duration", "5s"), names: flagName("--duration"), fix: "from 15m to 12h"},
		{name: "console --duration 13h", args: cmdArgs("console", "--profile", signedin.Profile, "--duration", "13h"), names: flagName("--duration"), fix: "from 15m to 12h"},
		{name: "console --destination ftp", args: cmdArgs("console", "--profile", signedin.Profile, "--destination", "ftp://x"), names: flagName("--destination"), fix: "console URL such as"},
		{name: "sync --as with a bracket", args: cmdArgs("sync", "--profile", signedin.Profile, "--as", "x]"), names: flagName("--as"), fix: ""},
		{name: "sync --as with several profiles", args: cmdArgs("sync", "-p", "a", "-p", "b", "--as", "x"), names: flagName("--as"), fix: "single --profile"},
		{name: "configure --account-id 12", args: cmdArgs("configure", "sso", "--account-id", "12"), names: flagName("--account-id"), fix: ""},
		{name: "configure --sso-region nowhere", args: cmdArgs("configure", "sso", "--sso-region", "nowhere"), names: flagName("--sso-region"), fix: ""},
		{name: "configure --start-url over http", args: cmdArgs("configure", "sso", "--start-url", "http://example.com/start"), names: flagName("--start-url"), fix: ""},
		{name: "populate without --sso-session where there are two", setup: func(t *testing.T, h *badHome) {
			h.appendTo(t, h.ConfigPath, "\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n")
		}, args: cmdArgs("populate"), names: flagName("--sso-session"), fix: "choose one with --sso-session"},
		{name: "populate --template that does not parse", args: cmdArgs("populate", "--sso-session", signedin.Session, "--template", "{{.Nope"), names: flagName("template"), fix: ""},
		{name: "logout --all --profile", args: cmdArgs("logout", "--all", "--profile", "x"), names: flagName("--all"), fix: "choose one"},
		{name: "an unknown flag", args: cmdArgs("credential-process", "--bogus"), names: flagName("--bogus"), fix: "--help"},
		{name: "an unknown command", args: cmdArgs("logn"), names: flagName("logn"), fix: "--help"},
		{name: "exec without a command", args: cmdArgs("exec", "--profile", signedin.Profile), names: flagName("command"), fix: ""},
	}...)
	return out
}

func flagName(s string) func(*badHome) []string {
	return func(*badHome) []string { return []string{s} }
}

// tokenExpiry sets the cached token's expiresAt to the raw JSON value.
func tokenExpiry(raw string) func(t *testing.T, h *badHome) {
	return func(t *testing.T, h *badHome) {
		data, err := os.ReadFile(h.token)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(data, []byte(`"expiresAt": "`))
		j := bytes.IndexByte(data[i+len(`"expiresAt": "`):], '"')
		if i < 0 || j < 0 {
			t.Fatalf("no expiresAt in %s", data)
		}
		out := append(append(append([]byte{}, data[:i]...), `"expiresAt": `+raw...), data[i+len(`"expiresAt": "`)+j+1:]...)
		h.write(t, h.token, out)
	}
}

// The floor of bad inputs: each exits 1 or 2 (3 where only a new sign-in
// can help), with a message that names the file (and line) or the flag
// and says what to do; no secret appears in any output, no output is
// longer than a screen, and no byte of any file under the home changes.
func TestBadInputs(t *testing.T) {
	inputs := badInputs()
	ran, skipped := 0, 0
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			if in.nonRoot && (os.Getuid() == 0 || runtime.GOOS == "windows") {
				skipped++
				t.Skip("file permissions do not stop root")
			}
			env := signedin.New(t)
			h := &badHome{Env: env, aws: filepath.Join(env.Home, ".aws"), cache: tokencache.DefaultDir(env.Home)}
			h.token = tokencache.New(h.cache).TokenPath(signedin.Session)
			h.appendTo(t, env.CredentialsPath, "\n[leaky-base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = "+theSecret+"\n")
			tok, err := tokencache.New(h.cache).LoadToken(signedin.Session)
			if err != nil {
				t.Fatal(err)
			}
			if in.setup != nil {
				in.setup(t, h)
			}
			t.Cleanup(func() { // permissions back, so the folder can be removed
				filepath.WalkDir(env.Home, func(p string, d fs.DirEntry, err error) error {
					os.Chmod(p, 0o700)
					return nil
				})
			})
			before := snapshot(t, env.Home)

			f, out, errOut := cmdtest.SignedIn(env)
			code := Run(context.Background(), f, in.args(h))
			ran++
			all := out.String() + errOut.String()
			codes := in.codes
			if codes == nil {
				codes = []int{1, 2}
			}
			if !slices.Contains(codes, code) {
				t.Errorf("exit %d, want one of %v", code, codes)
			}
			for _, name := range in.names(h) {
				if !strings.Contains(all, name) {
					t.Errorf("output does not name %q", name)
				}
			}
			if !strings.Contains(all, in.fix) {
				t.Errorf("output does not say %q", in.fix)
			}
			for _, secret := range []string{theSecret, theSecret[:12], tok.AccessToken, tok.RefreshToken, tok.ClientSecret, "staticsecret"} {
				if secret != "" && strings.Contains(all, secret) {
					t.Errorf("output shows a secret (%.6s…)", secret)
				}
			}
			if len(all) > 4000 {
				t.Errorf("output is %d bytes long", len(all))
			}
			after := snapshot(t, env.Home)
			for path, was := range before {
				if now, ok := after[path]; !ok || now != was {
					t.Errorf("%s changed", path)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("exit %d, output:\n%.2000s", code, all)
			}
		})
	}
	t.Logf("%d bad inputs, %d run, %d skipped (they need a user other than root)", len(inputs), ran, skipped)
	if len(inputs) < 60 {
		t.Errorf("only %d bad inputs, want at least 60", len(inputs))
	}
}
