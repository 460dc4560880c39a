package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// peers is the folder of other projects' fixtures, read in place.
var peers = filepath.Join("..", "..", "shared", "conformance", "peers")

// fixtureFiles lists every INI fixture: the peers' and our own testdata.
func fixtureFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{
		filepath.Join(peers, "botocore", "tests", "unit", "cfg"),
		filepath.Join(peers, "aws-cli", "tests", "unit", "botocore", "cfg"),
		filepath.Join(peers, "aws-sdk-go-v2", "config", "testdata"),
		filepath.Join(peers, "aws-sdk-go-v2", "internal", "ini", "testdata", "valid"),
	} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && !strings.HasSuffix(e.Name(), "_expected") {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		t.Skipf("peer fixtures not found under %s", peers)
	}
	local, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, f := range local {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			files = append(files, f)
		}
	}
	return files
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t testing.TB, src string) *File {
	t.Helper()
	f, err := Parse("test", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRoundTripEveryFixture(t *testing.T) {
	for _, path := range fixtureFiles(t) {
		data := mustRead(t, path)
		if got := parse(path, data).Bytes(); string(got) != string(data) {
			t.Errorf("%s: parse then write changed the bytes:\n%s", path, cmp.Diff(string(data), string(got)))
		}
	}
}

func TestParseRefusesWhatBotocoreRefuses(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantLines []int
	}{
		{"a key before the first section (botocore aws_config_bad)", "aws_access_key_id = foo\n[default]\n", []int{1}},
		{"a nested line without '=' (botocore aws_config_nested_bad)", "[default]\ns3 =\n    bad_syntax @ s3v4\n", []int{3}},
		{"a line that is no key, header or comment", "[default]\nregion = x\njust words\n", []int{3}},
		{"a key with an empty name", "[default]\n= value\n", []int{2}},
		{"a byte order mark", "\ufeff[default]\nregion = x\n", []int{1}},
		{"every bad line is reported", "oops\n[a]\nwhat\nb = 1\nnope\n", []int{1, 3, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("/home/u/.aws/config", []byte(tt.src))
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("Parse error = %v, want a *ParseError", err)
			}
			var lines []int
			for _, p := range pe.Problems {
				lines = append(lines, p.Location.Line)
				if p.Location.File != "/home/u/.aws/config" || p.Fix == "" {
					t.Errorf("problem %+v: want the file named and a fix", p)
				}
			}
			if d := cmp.Diff(tt.wantLines, lines); d != "" {
				t.Errorf("lines (-want +got):\n%s", d)
			}
			if !strings.Contains(err.Error(), "/home/u/.aws/config:") {
				t.Errorf("error %q does not name file:line", err)
			}
		})
	}
}

func TestSectionValues(t *testing.T) {
	src := strings.Join([]string{
		"[default]",
		"Region = us-east-1 # not a comment for botocore",
		`quoted = "kept"`,
		"colon: value: with colon",
		"s3 =",
		"  max = 1",
		"",
		"  # skipped",
		"  style = path",
		"",
		"multi = first",
		"    second",
		"  [not-a-header]",
		"after = x",
		"\t\t[profile swallowed]",
		"        retry_mode = standard",
	}, "\n") + "\n"
	f := mustParse(t, src)
	d := f.Section("default")
	tests := []struct {
		key, want string
	}{
		{"region", "us-east-1 # not a comment for botocore"},
		{"REGION", "us-east-1 # not a comment for botocore"},
		{"quoted", `"kept"`},
		{"colon", "value: with colon"},
		{"s3", "\nmax = 1\n\nstyle = path"},
		{"multi", "first\nsecond\n[not-a-header]"},
		// Deeper than the key above, so botocore reads it as part of the
		// value, header and all (the Go SDK would start a section).
		{"after", "x\n[profile swallowed]\nretry_mode = standard"},
	}
	for _, tt := range tests {
		if got, ok := d.Get(tt.key); !ok || got != tt.want {
			t.Errorf("Get(%q) = %q, %v; want %q", tt.key, got, ok, tt.want)
		}
	}
	if diff := cmp.Diff([]string{"region", "quoted", "colon", "s3", "multi", "after"}, d.Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	// An indented header is a header when no key is open (botocore and the
	// Go SDK agree: fixture leading_ws).
	g := mustParse(t, "\t\t[profile indented]\n        retry_mode = standard")
	if s := g.Section("profile indented"); s == nil {
		t.Fatal("indented header not read as a section")
	} else if v, _ := s.Get("retry_mode"); v != "standard" {
		t.Errorf("retry_mode = %q", v)
	}
}

func TestSectionLookup(t *testing.T) {
	f := mustParse(t, "[profile 'my name']\na = 1\n[profile dev]\na = 2\n[profile dev]\na = 3\n")
	if s := f.Section(`profile "my name"`); s == nil || s.Line() != 1 {
		t.Errorf(`Section("profile \"my name\"") = %v, want the section at line 1`, s)
	}
	if s := f.Section("profile dev"); s == nil || s.Line() != 5 {
		t.Errorf("Section(profile dev) should return the last of the repeated sections")
	}
	if s := f.Section("profile nope"); s != nil {
		t.Errorf("Section(profile nope) = %v, want nil", s)
	}
	if got := len(f.Sections()); got != 3 {
		t.Errorf("Sections() has %d, want 3", got)
	}

	// A header written exactly so wins over one with the same words, as
	// credentials-file headers are not split by botocore.
	c := mustParse(t, "[my  name]\na = 1\n[my name]\na = 2\n")
	if s := c.Section("my  name"); s == nil || s.Line() != 1 {
		t.Errorf("Section(\"my  name\") should be the exact header at line 1")
	}
	if s := c.Section("my name"); s == nil || s.Line() != 3 {
		t.Errorf("Section(\"my name\") should be the exact header at line 3")
	}

	// Lookups see sections added and removed since.
	added := c.AddSection("profile new")
	if c.Section("profile 'new'") != added {
		t.Error("an added section is not found")
	}
	c.RemoveSection("profile new")
	if c.Section("profile new") != nil {
		t.Error("a removed section is still found")
	}
}

func TestEdits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		edit func(f *File)
		want string
	}{
		{
			name: "replacing a value keeps the line's spelling, separator and comments around",
			src:  "# top\n[default]\nRegion=us-east-1\n# keep\noutput = json\n",
			edit: func(f *File) { f.Section("default").Set("region", "eu-west-1") },
			want: "# top\n[default]\nRegion=eu-west-1\n# keep\noutput = json\n",
		},
		{
			name: "setting an empty key fills it in with a blank after the separator",
			src:  "[sso-user-1]\nsso_start_url =\nsso_region = us-east-2\n",
			edit: func(f *File) { f.Section("sso-user-1").Set("sso_start_url", "https://x.awsapps.com/start") },
			want: "[sso-user-1]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-2\n",
		},
		{
			name: "a new key goes after the last key, before trailing comments and blanks",
			src:  "[a]\nx = 1\n\n# about b\n[b]\ny = 2\n",
			edit: func(f *File) { f.Section("a").Set("z", "3") },
			want: "[a]\nx = 1\nz = 3\n\n# about b\n[b]\ny = 2\n",
		},
		{
			name: "a new key in a section with only a header",
			src:  "[a]\n[b]\n",
			edit: func(f *File) { f.Section("a").Set("k", "v") },
			want: "[a]\nk = v\n[b]\n",
		},
		{
			name: "CRLF files stay CRLF",
			src:  "[a]\r\nx = 1\r\n",
			edit: func(f *File) {
				f.Section("a").Set("y", "2")
				f.AddSection("b").Set("k", "v")
			},
			want: "[a]\r\nx = 1\r\ny = 2\r\n\r\n[b]\r\nk = v\r\n",
		},
		{
			name: "a file without a final newline gets one before anything is added",
			src:  "[a]\nx = 1",
			edit: func(f *File) { f.Section("a").Set("y", "2") },
			want: "[a]\nx = 1\ny = 2\n",
		},
		{
			name: "replacing the last line of a file without a final newline keeps it so",
			src:  "[a]\nx = 1",
			edit: func(f *File) { f.Section("a").Set("x", "2") },
			want: "[a]\nx = 2",
		},
		{
			name: "replacing a nested value removes its old continuation lines",
			src:  "[a]\ns3 =\n  k = v\n  j = w\nregion = r\n",
			edit: func(f *File) { f.Section("a").Set("s3", "\nk = new") },
			want: "[a]\ns3 =\n  k = new\nregion = r\n",
		},
		{
			name: "a repeated key is replaced once, the earlier repeat removed",
			src:  "[a]\nk = 1\nx = 0\nk = 2\n",
			edit: func(f *File) { f.Section("a").Set("k", "3") },
			want: "[a]\nx = 0\nk = 3\n",
		},
		{
			name: "unset removes the key with its continuation lines and all repeats",
			src:  "[a]\nk = 1\ns3 =\n  x = y\n# c\nk = 2\nz = 9\n",
			edit: func(f *File) {
				f.Section("a").Unset("K")
				f.Section("a").Unset("s3")
			},
			want: "[a]\n# c\nz = 9\n",
		},
		{
			name: "add a section to an empty file",
			src:  "",
			edit: func(f *File) {
				s := f.AddSection(ProfileHeader("my dev", false))
				s.Set("region", "us-east-1")
			},
			want: "[profile 'my dev']\nregion = us-east-1\n",
		},
		{
			name: "add a section after a file that already ends with a blank line",
			src:  "[a]\nx = 1\n\n",
			edit: func(f *File) { f.AddSection("b") },
			want: "[a]\nx = 1\n\n[b]\n",
		},
		{
			name: "remove a section in the middle keeps its neighbours",
			src:  "# head\n[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\nz = 3\n",
			edit: func(f *File) { f.RemoveSection("b") },
			want: "# head\n[a]\nx = 1\n\n[c]\nz = 3\n",
		},
		{
			name: "remove a repeated section removes every copy",
			src:  "[a]\nx = 1\n[b]\n[a]\ny = 2\n",
			edit: func(f *File) { f.RemoveSection("a") },
			want: "[b]\n",
		},
		{
			name: "removing a section in the middle leaves the end of the file alone",
			src:  "[a]\nx = 1\n[b]\ny = 2\n\n\n",
			edit: func(f *File) { f.RemoveSection("a") },
			want: "[b]\ny = 2\n\n\n",
		},
		{
			name: "replace puts the new key on the old key's line, keeping its indentation and the comments around",
			src:  "[p]\n# portal\n  sso_start_url = https://x.awsapps.com/start\n; region next\nsso_region = us-east-2 # ohio\nregion = r\n",
			edit: func(f *File) {
				s := f.Section("p")
				if !s.Replace("SSO_Start_URL", "sso_session", "x") {
					t.Error("Replace found no sso_start_url")
				}
				s.Unset("sso_region")
			},
			want: "[p]\n# portal\n  sso_session = x\n; region next\nregion = r\n",
		},
		{
			name: "replace removes the old key's continuation lines and repeats, and other lines of the new key",
			src:  "[p]\nsso_session = old\nk = 1\n  more\nx = 0\nk = 2\r\n",
			edit: func(f *File) { f.Section("p").Replace("k", "sso_session", "new") },
			want: "[p]\nx = 0\nsso_session = new\r\n",
		},
		{
			name: "replace of a missing key changes nothing",
			src:  "[p]\nsso_session = s\n",
			edit: func(f *File) {
				if f.Section("p").Replace("sso_start_url", "sso_session", "x") {
					t.Error("Replace reported a key that is not there")
				}
			},
			want: "[p]\nsso_session = s\n",
		},
		{
			name: "adding then removing a section restores the file",
			src:  "[a]\nx = 1\n",
			edit: func(f *File) {
				f.AddSection("sso-session corp").Set("sso_region", "eu-west-1")
				f.RemoveSection(SSOSessionHeader("corp"))
			},
			want: "[a]\nx = 1\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, tt.src)
			tt.edit(f)
			got := string(f.Bytes())
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Fatalf("bytes (-want +got):\n%s", d)
			}
			// What was written must read back the same way.
			if _, err := Parse("again", []byte(got)); err != nil {
				t.Errorf("the edited file does not parse: %v", err)
			}
		})
	}
}

func TestSetThenGet(t *testing.T) {
	f := mustParse(t, "[a]\n")
	s := f.Section("a")
	for _, v := range []string{"plain", "", "with = sign", "\nk = v\nj = w", "a # b ; c"} {
		s.Set("key", v)
		g := mustParse(t, string(f.Bytes()))
		got, ok := g.Section("a").Get("key")
		if !ok || got != v {
			t.Errorf("Set(%q) read back as %q, %v", v, got, ok)
		}
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"default in config", ProfileHeader("default", false), "default"},
		{"profile in config", ProfileHeader("dev", false), "profile dev"},
		{"blank in name is quoted like the AWS CLI", ProfileHeader("my dev", false), "profile 'my dev'"},
		{"a quote in a quoted name", ProfileHeader("it's mine", false), `profile 'it'"'"'s mine'`},
		{"credentials file uses the bare name", ProfileHeader("dev", true), "dev"},
		{"credentials file never quotes", ProfileHeader("my dev", true), "my dev"},
		{"sso-session", SSOSessionHeader("corp"), "sso-session corp"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	// Every header reads back as its name.
	for _, name := range []string{"dev", "default", "my dev", "it's mine", `back\slash "q"`, "tab\there"} {
		for _, creds := range []bool{false, true} {
			if got, ok := ProfileName(ProfileHeader(name, creds), creds); !ok || got != name {
				t.Errorf("ProfileName(ProfileHeader(%q, %v)) = %q, %v", name, creds, got, ok)
			}
		}
		if got, ok := SSOSessionName(SSOSessionHeader(name)); !ok || got != name {
			t.Errorf("SSOSessionName(SSOSessionHeader(%q)) = %q, %v", name, got, ok)
		}
	}
	for _, h := range []string{"profile", "profile a b", "sso-session x", "dev", `profile "open`, "plugins"} {
		if name, ok := ProfileName(h, false); ok {
			t.Errorf("ProfileName(%q) = %q, want no profile", h, name)
		}
	}
	if name, ok := ProfileName("profile dev", true); !ok || name != "profile dev" {
		t.Errorf("in a credentials file the header is the name: got %q", name)
	}
}

// Inputs that would make a naive reader quadratic: a long run of lone
// carriage returns, and one section with a great many keys. Quadratic time
// would run this test past its deadline.
func TestLargeInputsStayLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("[default]\r")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&b, "key%d = v\r", i)
	}
	data := b.String()
	f := mustParse(t, data)
	if got := len(f.sections[0].lines); got != 100001 {
		t.Fatalf("%d lines, want 100001", got)
	}
	if string(f.Bytes()) != data {
		t.Fatal("round trip changed the bytes")
	}
	c := build(Paths{Config: "c", Credentials: "k"}, [2]*File{f, f})
	p, err := c.Profile("default")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Get("key99999"); v != "v" || len(p.Keys()) != 100000 {
		t.Errorf("key99999 = %q, %d keys", v, len(p.Keys()))
	}
}

func TestLineEndingsAsPythonReadsThem(t *testing.T) {
	f := mustParse(t, "[a]\rk = 1\r\nj = 2\n\r\rl = 3")
	var got []string
	for _, ln := range f.sections[0].lines {
		got = append(got, fmt.Sprintf("%d:%q%q", ln.num, ln.text, ln.eol.String()))
	}
	want := []string{`1:"[a]""\r"`, `2:"k = 1""\r\n"`, `3:"j = 2""\n"`, `4:"""\r"`, `5:"""\r"`, `6:"l = 3"""`}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
	// A file with lone carriage returns gets them on new lines too.
	f.Section("a").Set("m", "4")
	if got := string(f.Bytes()); got != "[a]\rk = 1\r\nj = 2\n\r\rl = 3\rm = 4\r" {
		t.Errorf("after Set: %q", got)
	}
}
