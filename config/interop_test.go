package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// oracleScript asks the AWS CLI's own botocore (the copy vendored in the AWS
// CLI v2 as awscli.botocore, or a botocore install) for the merged view of
// each pair of files: the same full_config every CLI command reads.
const oracleScript = `
import json, os, sys
try:
    from awscli.botocore import session as bsession
except ImportError:
    from botocore import session as bsession
out = []
for c in json.load(sys.stdin):
    os.environ['AWS_CONFIG_FILE'] = c['config']
    os.environ['AWS_SHARED_CREDENTIALS_FILE'] = c['credentials']
    try:
        fc = bsession.Session().full_config
        out.append({'profiles': fc.get('profiles', {}), 'sso_sessions': fc.get('sso_sessions', {}), 'services': fc.get('services', {})})
    except Exception as e:
        ctx = e.__context__
        out.append({'error': type(e).__name__, 'cause': type(ctx).__name__ if ctx else ''})
print(json.dumps(out))
`

type oracleCase struct {
	Name        string `json:"-"`
	Config      string `json:"config"`
	Credentials string `json:"credentials"`
}

type oracleResult struct {
	Profiles    map[string]map[string]any `json:"profiles"`
	SSOSessions map[string]map[string]any `json:"sso_sessions"`
	Services    map[string]map[string]any `json:"services"`
	Error       string                    `json:"error"`
	Cause       string                    `json:"cause"`
}

// runOracle runs the script with the Python of the AWS CLI v2 install
// (/usr/bin/aws is a Python script on Debian), or skips with -short or when
// there is none.
func runOracle(t *testing.T, cases []oracleCase) []oracleResult {
	t.Helper()
	if testing.Short() {
		t.Skip("drives botocore in Python; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("drives botocore in the Linux Python; the interop tests run on Linux")
	}
	var python string
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			if exec.Command(path, "-c", "import awscli.botocore").Run() == nil || exec.Command(path, "-c", "import botocore").Run() == nil {
				python = path
				break
			}
		}
	}
	if python == "" {
		t.Skip("no Python with the AWS CLI's botocore (install awscli) to compare with")
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(python, "-c", oracleScript)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Env = append(os.Environ(), "PYTHONUTF8=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore: %v", err)
	}
	var results []oracleResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(cases) {
		t.Fatalf("botocore answered %d results for %d cases: %v", len(results), len(cases), err)
	}
	return results
}

// Tricky inputs, each read by botocore and by this package.
var edgeCases = map[string]string{
	"inline comment and colon":           "[default]\nregion = us-east-1 # c\nout: json\n",
	"default then profile default":       "[default]\nregion = b\n[profile default]\noutput = x\n",
	"profile default then default":       "[profile default]\nregion = a\n[default]\nregion = b\n",
	"a header starting with profiles":    "[profiles x]\nregion = a\n",
	"quoted name with blanks":            "[profile  'my  name' ]\nregion = a\n",
	"blank before profile":               "[ profile x]\nregion = a\n",
	"DEFAULT section":                    "[DEFAULT]\nregion = d\n[profile a]\n[profile b]\nregion = e\n[sso-session s]\nsso_region = x\n",
	"indented keys":                      "[default]\n  region = indented\n    cont = x\n",
	"nested with blanks and comments":    "[default]\ns3 =\n\n  a = 1\n\n  # c\n  b = 2\n\nregion = r\n",
	"nested line without equals":         "[default]\nkey =\n  not nested line\n",
	"multi-line value":                   "[default]\nkey = first\n  second line\n  third = x\n",
	"upper-case keys":                    "[default]\nREGION = up\nMiXeD_Key = v\n",
	"indented header":                    "\t\t[profile lead]\n  region = r\n",
	"comments before the first section":  "# c\n; c\n\n[default]\n",
	"empty key name":                     "[default]\n=novalue\n",
	"a key without a value":              "[default]\nnovalue\n",
	"text after a header":                "[default] trailing\nregion = r\n",
	"bracket inside a header":            "[a]b]\nk = v\n",
	"empty header":                       "[]\n",
	"mixed line endings":                 "[default]\nk = v\r\nj = w\r\n",
	"CRLF":                               "[default]\r\nk = v\r\n",
	"separators in values":               "[default]\nk=v=w:x\nj:v=w\n",
	"quoted sso-session":                 "[sso-session 'my sess']\nsso_region = r\n",
	"quotes kept":                        "[default]\nregion = \"quoted\"\n",
	"non-ASCII":                          "[profile ünï]\nRÉGION = x\n",
	"blank-only line then indented key":  "[default]\n    \n\tregion = x\n",
	"indented header inside a value":     "[default]\nk = v\n  [profile swallowed]\n  region = x\n",
	"repeated section":                   "[profile x]\nk = 1\n[profile x]\nk = 2\n",
	"repeated key":                       "[profile x]\nk = 1\nk = 2\n",
	"byte order mark":                    "\ufeff[default]\nk = v\n",
	"empty file":                         "",
	"escaped blank in a name":            "[profile a\\ b]\nk = v\n",
	"vertical tab indent":                "[default]\n\vk = v\n",
	"a lone blank inside a value":        "[default]\nk = v\n \n  cont\n",
	"non-breaking space indent":          "[default]\nk = v\n\u00a0\u00a0cont\n",
	"lone carriage return":               "[default]\nk = a\rb = c\n",
	"information separator as blank":     "[default]\nk = v\x1f\n\x1ecol = x\n",
	"no final newline":                   "[default]\nk = v",
	"tab in a header":                    "[profile\tx]\nk = v\n",
	"profile alone":                      "[profile]\nk = v\n",
	"services and endpoint":              "[default]\nservices = s\n[services s]\nsso_oidc =\n  endpoint_url = http://x\n",
	"a sub-key with colon, not equals":   "[default]\ns3 =\n  a: b\n",
	"comment-looking value continuation": "[default]\nk = v\n  ;not a comment\n",
	"section-looking line after a blank": "[default]\nk = v\n\n  [x]\n",
	"not UTF-8":                          "[default]\nk = caf\xe9\n",
}

// Every fixture and edge case, as a config file and as a credentials file,
// read by botocore and by Load: the same profiles, sso-sessions and
// services with the same values, or both refusing the file. The one
// difference on purpose: a file with a repeated section or key, which
// botocore refuses and Load reads (with a warning).
func TestSameViewAsBotocore(t *testing.T) {
	dir := tempdir.New(t)
	none := filepath.Join(dir, "does-not-exist")
	var cases []oracleCase
	add := func(name, path string) {
		cases = append(cases,
			oracleCase{Name: name + " as config", Config: path, Credentials: none},
			oracleCase{Name: name + " as credentials", Config: none, Credentials: path})
	}
	for _, path := range fixtureFiles(t) {
		add(path, path)
	}
	for name, text := range edgeCases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		add(name, path)
	}
	g := filepath.Join(peers, "aws-sdk-go-v2", "config", "testdata")
	for _, pair := range [][2]string{{"load_config", "load_credentials"}, {"shared_config", "shared_credentials"}, {"gh1204_config", "gh1204_credentials"}} {
		cases = append(cases, oracleCase{Name: pair[0] + " with " + pair[1], Config: filepath.Join(g, pair[0]), Credentials: filepath.Join(g, pair[1])})
	}
	cases = append(cases, oracleCase{Name: "typical files", Config: filepath.Join("testdata", "typical_config"), Credentials: filepath.Join("testdata", "crlf_credentials")})

	results := runOracle(t, cases)
	// AWS CLI versions before services support return none; then services
	// are not compared.
	compareServices := false
	for i, c := range cases {
		if strings.HasSuffix(c.Config, "aws_services_config") && len(results[i].Services) > 0 {
			compareServices = true
		}
	}
	for i, c := range cases {
		want := results[i]
		got, err := Load(Paths{Config: c.Config, Credentials: c.Credentials})
		switch {
		case want.Error != "" && strings.HasPrefix(want.Cause, "Duplicate"):
			if err != nil {
				t.Errorf("%s: botocore refuses a repeat (%s), Load should read it: %v", c.Name, want.Cause, err)
			} else if len(got.Warnings()) == 0 {
				t.Errorf("%s: a repeat (%s) read without a warning", c.Name, want.Cause)
			}
		case want.Error != "":
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%s: botocore refuses the file (%s: %s); Load = %v", c.Name, want.Error, want.Cause, err)
			}
		case err != nil:
			t.Errorf("%s: botocore reads the file; Load: %v", c.Name, err)
		default:
			d := dump(got)
			w := map[string]map[string]map[string]any{"profiles": norm(want.Profiles), "sso_sessions": norm(want.SSOSessions), "services": norm(want.Services)}
			if !compareServices {
				w["services"], d["services"] = nil, nil
			}
			if diff := cmp.Diff(w, d); diff != "" {
				t.Errorf("%s: view differs from botocore's (-botocore +ours):\n%s", c.Name, diff)
			}
		}
	}
}

// norm turns JSON's nested objects into the map[string]string dump uses.
func norm(m map[string]map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, keys := range m {
		out[name] = map[string]any{}
		for k, v := range keys {
			if sub, ok := v.(map[string]any); ok {
				s := map[string]string{}
				for sk, sv := range sub {
					s[sk], _ = sv.(string)
				}
				out[name][k] = s
			} else {
				out[name][k] = v
			}
		}
	}
	return out
}
