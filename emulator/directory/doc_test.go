package directory

import (
	"go/doc/comment"
	"os"
	"strings"
	"testing"
)

// TestDocExampleLoads keeps the YAML example in doc.go valid.
func TestDocExampleLoads(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, line := range strings.Split(string(src), "\n") {
		if c, ok := strings.CutPrefix(line, "//"); ok {
			text = append(text, strings.TrimPrefix(c, " "))
		}
	}
	var p comment.Parser
	var yaml string
	for _, block := range p.Parse(strings.Join(text, "\n")).Content {
		if code, ok := block.(*comment.Code); ok && strings.Contains(code.Text, "users:") {
			yaml = code.Text
		}
	}
	if yaml == "" {
		t.Fatal("doc.go has no YAML example")
	}
	d, err := Parse("doc.go example", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	if dur, ok := d.CanAssume("carol", "111122223333", "Admin"); !ok || dur.Hours() != 8 {
		t.Errorf("carol's Admin role: %v, %v", dur, ok)
	}
}
