package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// Tests run on Windows too (under wine in CI), where the cleanup of
// t.TempDir fails; tempdir.New removes its folder on every system. A test
// file that builds on Windows must not call t.TempDir.
func TestTestsOnWindowsUseTempdirNew(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files, bad int
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
		if !strings.HasSuffix(path, "_test.go") || strings.Contains(filepath.ToSlash(path), "internal/testutil/tempdir/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if !buildsOnWindows(f, path) {
			return nil
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "TempDir" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name != "os" {
				bad++
				t.Errorf("%s: %s.TempDir() fails its cleanup under wine; use tempdir.New(%s)", fset.Position(call.Pos()), x.Name, x.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("found only %d test files under %s", files, root)
	}
}

// buildsOnWindows reports whether a file's name and build line leave it in
// a Windows build.
func buildsOnWindows(f *ast.File, path string) bool {
	base := strings.TrimSuffix(filepath.Base(path), "_test.go")
	for _, unix := range []string{"_unix", "_linux", "_darwin"} {
		if strings.HasSuffix(base, unix) {
			return false
		}
	}
	for _, group := range f.Comments {
		for _, c := range group.List {
			if line, ok := strings.CutPrefix(c.Text, "//go:build "); ok {
				if strings.Contains(line, "!windows") || line == "unix" || line == "linux" || line == "darwin" {
					return false
				}
			}
		}
		if group.Pos() > f.Package {
			break
		}
	}
	return true
}
