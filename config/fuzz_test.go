package config

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func addSeeds(f *testing.F) {
	for _, path := range fixtureFiles(f) {
		f.Add(mustRead(f, path))
	}
	f.Add([]byte("[a]\r\nk = v\r\n  sub = 1\r\n"))
	f.Add([]byte("\t[x]\n  k:\n    a = b\n;c\n"))
}

// Whatever the input, reading never fails to give back the same bytes, and
// the merged view and checks never panic.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := parse("config", data)
		if got := file.Bytes(); !bytes.Equal(got, data) {
			t.Fatalf("round trip changed the bytes:\n%q\n%q", data, got)
		}
		strict, err := Parse("config", data)
		if (err == nil) != (len(file.problems) == 0) || (err == nil && !bytes.Equal(strict.Bytes(), data)) {
			t.Fatalf("Parse and parse disagree: %v", err)
		}
		c := build(Paths{Config: "config", Credentials: "credentials"}, [2]*File{file, parse("credentials", data)})
		for _, p := range c.Profiles() {
			c.ResolveSSO(p.Name, nil)
			c.EndpointURL(p.Name, "sso-oidc", func(string) string { return "" })
		}
		for _, s := range c.SSOSessionNames() {
			c.ResolveSSOSession(s, "", nil)
		}
		for _, p := range checkFiles(Paths{Config: "config", Credentials: "credentials"}, [2]*File{file, parse("credentials", data)}) {
			if p.Message == "" || p.Fix == "" || p.Location.File == "" {
				t.Fatalf("a problem without its message, fix or file: %+v", p)
			}
		}
	})
}

// Setting a key in a readable file keeps every other section byte for byte,
// reads back as set, and unsetting it removes it.
func FuzzEdit(f *testing.F) {
	for i, path := range fixtureFiles(f) {
		f.Add(mustRead(f, path), "region", "eu-west-1", uint8(i))
		f.Add(mustRead(f, path), "s3", "\nmax = 1\n\n  style = path  \n", uint8(i+1))
		f.Add(mustRead(f, path), "sso_start_url", "", uint8(i+2))
	}
	f.Fuzz(func(t *testing.T, data []byte, key, value string, which uint8) {
		file, err := Parse("config", data)
		if err != nil || len(file.sections) == 0 || !validKey(key) || !validValue(value) {
			return
		}
		i := int(which) % len(file.sections)
		var others [][]byte
		for j, s := range file.sections {
			if j != i && j != len(file.sections)-1 {
				others = append(others, sectionBytes(s))
			}
		}
		s := file.sections[i]
		s.Set(key, value)
		out := file.Bytes()
		again, err := Parse("config", out)
		if err != nil {
			t.Fatalf("after Set(%q, %q) the file no longer parses: %v\n%q", key, value, err, out)
		}
		if len(again.sections) != len(file.sections) {
			t.Fatalf("Set changed the number of sections: %q", out)
		}
		if got, _ := again.sections[i].Get(key); got != readBack(value) {
			t.Fatalf("Set(%q, %q) reads back as %q:\n%q", key, value, got, out)
		}
		k := 0
		for j, s := range again.sections {
			if j != i && j != len(again.sections)-1 {
				if !bytes.Equal(sectionBytes(s), others[k]) {
					t.Fatalf("section %d changed:\n%q\n%q", j, others[k], sectionBytes(s))
				}
				k++
			}
		}
		again.sections[i].Unset(key)
		if _, ok := again.sections[i].Get(key); ok {
			t.Fatalf("Unset(%q) left it: %q", key, again.Bytes())
		}
		if _, err := Parse("config", again.Bytes()); err != nil {
			t.Fatalf("after Unset the file no longer parses: %v", err)
		}
	})
}

func sectionBytes(s *Section) []byte {
	var b bytes.Buffer
	for _, ln := range s.lines {
		b.WriteString(ln.text + ln.eol.String())
	}
	return b.Bytes()
}

// Keys as a program would set them: a name, no separators or brackets.
func validKey(k string) bool {
	if k == "" || trim(k) != k || !utf8.ValidString(k) || strings.ContainsAny(k, "=:[]#;\r\n\ufeff") {
		return false
	}
	for _, r := range k {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Values a program would set: no carriage returns, no continuation line
// that would read as a comment, and a value starting with a line break (a
// nested one) made of "name = value" lines.
func validValue(v string) bool {
	if strings.ContainsAny(v, "\r\ufeff") || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsPrint(r) && !unicode.IsSpace(r) }) {
		return false
	}
	first, rest, _ := strings.Cut(v, "\n")
	nested := strings.TrimSpace(first) == ""
	for _, l := range strings.Split(rest, "\n") {
		if l = trim(l); strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			return false
		}
		if nested && l != "" && !strings.Contains(l, "=") {
			return false // nested settings are "name = value" lines
		}
	}
	return true
}

// readBack is what Set(value) reads back as: each line trimmed, trailing
// blank lines gone.
func readBack(v string) string {
	lines := strings.Split(strings.TrimRightFunc(v, isSpace), "\n")
	for i := range lines {
		lines[i] = trim(lines[i])
	}
	return strings.TrimRightFunc(strings.Join(lines, "\n"), isSpace)
}
