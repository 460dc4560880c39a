package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ssokit/ssokit"

// pkgFiles is every package of the module, by import path, with its
// non-test files parsed.
func pkgFiles(t *testing.T) map[string][]*ast.File {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		full, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		imp := module
		if rel != "." {
			imp += "/" + filepath.ToSlash(rel)
		}
		pkgs[imp] = append(pkgs[imp], full)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages under %s", len(pkgs), root)
	}
	return pkgs
}

func imports(files []*ast.File) []string {
	var out []string
	for _, f := range files {
		for _, s := range f.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			out = append(out, p)
		}
	}
	return out
}

// floor tells which floor a package is on: "cli" (internal/cli/...),
// "testutil" (internal/testutil/..., helpers of tests on the library floor
// and above), "ground" (the other internal packages), "cmd" (cmd/ssokit)
// or "library" (the packages at the module root and below, such as config
// and emulator/oidc).
func floor(pkg string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
	switch {
	case strings.HasPrefix(rel, "internal/cli"):
		return "cli"
	case strings.HasPrefix(rel, "internal/testutil"):
		return "testutil"
	case strings.HasPrefix(rel, "internal/"):
		return "ground"
	case strings.HasPrefix(rel, "cmd/"):
		return "cmd"
	}
	return "library"
}

// Arrows point down: cmd → CLI floor → library → ground floor; and no
// command imports another command.
func TestImportsPointDown(t *testing.T) {
	rank := map[string]int{"cmd": 3, "cli": 2, "testutil": 1, "library": 1, "ground": 0}
	for pkg, files := range pkgFiles(t) {
		for _, imp := range imports(files) {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			from, to := floor(pkg), floor(imp)
			if rank[to] > rank[from] || from == "library" && to == "testutil" {
				t.Errorf("%s (%s floor) imports %s (%s floor): arrows must point down", pkg, from, imp, to)
			}
			const cmds = module + "/internal/cli/cmd/"
			if strings.HasPrefix(pkg, cmds) && strings.HasPrefix(imp, cmds) {
				a := strings.SplitN(strings.TrimPrefix(pkg, cmds), "/", 2)[0]
				b := strings.SplitN(strings.TrimPrefix(imp, cmds), "/", 2)[0]
				if a != b {
					t.Errorf("command %s imports command %s: shared code belongs in cmdutil", pkg, imp)
				}
			}
		}
	}
}

// Programs embed the library packages: their messages carry facts, and the
// advice to run an ssokit command is added by the CLI (hint, SignInCommand).
func TestLibrariesGiveNoSsokitAdvice(t *testing.T) {
	advice := regexp.MustCompile(`ssokit (login|logout|status|profiles|doctor|credential-process|export|exec|serve|sync|console|configure|accounts|populate)\b`)
	checked := 0
	for pkg, files := range pkgFiles(t) {
		if floor(pkg) != "library" || strings.Contains(pkg, "/emulator") {
			continue
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				checked++
				if v, _ := strconv.Unquote(lit.Value); advice.MatchString(v) {
					t.Errorf("%s: string %s gives ssokit command advice", pkg, lit.Value)
				}
				return true
			})
		}
	}
	if checked == 0 {
		t.Fatal("no string literal was checked")
	}
}

// Rule 9 of CONTRIBUTING.md: a command in a hint or an error is quoted in
// backticks. Messages are interpreted string literals; help texts, raw
// strings that cannot hold a backtick, are left to review.
func TestMessagesQuoteCommandsInBackticks(t *testing.T) {
	quoted := regexp.MustCompile(`(?i)\brun '|'(ssokit|aws)\b`)
	checked := 0
	for pkg, files := range pkgFiles(t) {
		if floor(pkg) != "cli" {
			continue
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING || !strings.HasPrefix(lit.Value, `"`) {
					return true
				}
				checked++
				if quoted.MatchString(lit.Value) {
					t.Errorf("%s: string %s quotes a command in single quotes; use backticks", pkg, lit.Value)
				}
				return true
			})
		}
	}
	if checked == 0 {
		t.Fatal("no string literal was checked")
	}
}
