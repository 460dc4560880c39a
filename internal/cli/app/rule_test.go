package app

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// These tests hold every command to the flag and output rules of
// CONTRIBUTING.md ("Flags and output"), so a new command or flag cannot
// drift from them.

// outputIsAValue are the commands whose --output is a value written into
// a file, not the shape of ssokit's stdout: it keeps the AWS CLI's name
// and has no -o.
var outputIsAValue = map[string]bool{
	"ssokit configure sso": true, // the profile's `output` key, as `aws configure sso --output`
}

// eachCommand calls fn for every runnable command of the tree.
func eachCommand(t *testing.T, fn func(t *testing.T, cmd *cobra.Command)) {
	ios, _, _, _ := iostreams.Test()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() {
			t.Run(c.CommandPath(), func(t *testing.T) { fn(t, c) })
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(&cmdutil.Factory{IOStreams: ios}))
}

func TestFlagRule(t *testing.T) {
	shorthands := map[string]string{"profile": "p", "output": "o"}
	eachCommand(t, func(t *testing.T, cmd *cobra.Command) {
		cmd.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			want, ruled := shorthands[fl.Name]
			switch {
			case fl.Name == "output" && outputIsAValue[cmd.CommandPath()]:
				if fl.Shorthand != "" {
					t.Errorf("--output writes a value into a file here: it takes no -%s", fl.Shorthand)
				}
			case ruled && fl.Shorthand != want:
				t.Errorf("--%s has shorthand %q, want -%s", fl.Name, fl.Shorthand, want)
			case fl.Shorthand == "p" && fl.Name != "profile", fl.Shorthand == "o" && fl.Name != "output":
				t.Errorf("-%s is --%s here; it means --%s everywhere else", fl.Shorthand, fl.Name, map[string]string{"p": "profile", "o": "output"}[fl.Shorthand])
			case fl.Name == "format" && !fl.Hidden:
				t.Errorf("--format chooses the output: name it -o/--output (keep --format hidden, as export does)")
			case fl.Name == "region" && fl.Shorthand != "":
				t.Errorf("--region has shorthand -%s; it has none anywhere", fl.Shorthand)
			}
		})
	})
}

// profileNamedNotUsed are the commands whose --profile names a profile to
// write or to pick out, not the one they act for: left out, they ask or
// take every profile, never AWS_PROFILE's.
var profileNamedNotUsed = map[string]bool{
	"ssokit configure sso":     true,
	"ssokit configure migrate": true,
}

// TestProfileFlagSaysItsDefault: a command acting for a profile uses the
// same one the AWS CLI would when --profile is left out (rule 1), and its
// help says so in the same words everywhere.
func TestProfileFlagSaysItsDefault(t *testing.T) {
	const want = "(default: $AWS_PROFILE, then default)"
	eachCommand(t, func(t *testing.T, cmd *cobra.Command) {
		fl := cmd.LocalFlags().Lookup("profile")
		if fl == nil || profileNamedNotUsed[cmd.CommandPath()] {
			return
		}
		if !strings.HasSuffix(fl.Usage, want) {
			t.Errorf("--profile's help %q does not end %q", fl.Usage, want)
		}
	})
}

// TestJSONOutputIsOneObject runs every command whose --output offers json
// against the emulator, and checks stdout is one JSON object.
func TestJSONOutputIsOneObject(t *testing.T) {
	env := signedin.New(t)
	ran := 0
	eachCommand(t, func(t *testing.T, cmd *cobra.Command) {
		fl := cmd.LocalFlags().Lookup("output")
		if fl == nil || outputIsAValue[cmd.CommandPath()] || !strings.Contains(fl.Usage, "json") {
			return
		}
		args := append(strings.Fields(cmd.CommandPath())[1:], "-o", "json")
		if cmd.LocalFlags().Lookup("profile") != nil {
			args = append(args, "-p", signedin.Profile)
		}
		f, out, errOut := cmdtest.SignedIn(env)
		if code := Run(context.Background(), f, args); code != 0 && code != cmdutil.ExitError {
			t.Fatalf("%v: exit code %d\nstderr: %s", args, code, errOut)
		}
		var obj map[string]any
		if !strings.HasPrefix(out.String(), "{") || json.Unmarshal(out.Bytes(), &obj) != nil {
			t.Errorf("%v printed %q, want one JSON object", args, out.String())
		}
		ran++
	})
	if ran < 5 {
		t.Errorf("%d commands offer -o json; want at least status, profiles, accounts, doctor and export", ran)
	}
}

// TestUnknownOutputSaysTheSame: every command refuses an -o it does not
// have in the same words, naming the ones it has.
func TestUnknownOutputSaysTheSame(t *testing.T) {
	eachCommand(t, func(t *testing.T, cmd *cobra.Command) {
		if cmd.LocalFlags().Lookup("output") == nil || outputIsAValue[cmd.CommandPath()] {
			return
		}
		args := append(strings.Fields(cmd.CommandPath())[1:], "-o", "bogus")
		f, _, errOut := cmdtest.SignedIn(signedin.New(t))
		if code := Run(context.Background(), f, args); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit code %d, want %d\nstderr: %s", args, code, cmdutil.ExitUsage, errOut)
		}
		if want := `ssokit: --output "bogus": use one of `; !strings.HasPrefix(errOut.String(), want) {
			t.Errorf("%v said %q, want it to begin %q", args, errOut.String(), want)
		}
	})
}

// TestNoBrowserHelpSaysWhatHappens: --no-browser prints a URL that comes
// back to this machine, and where no browser can open, a device code is
// used instead; its help says both.
func TestNoBrowserHelpSaysWhatHappens(t *testing.T) {
	eachCommand(t, func(t *testing.T, cmd *cobra.Command) {
		fl := cmd.LocalFlags().Lookup("no-browser")
		if fl == nil {
			return
		}
		for _, want := range []string{"this machine", "device code"} {
			if !strings.Contains(fl.Usage, want) {
				t.Errorf("--no-browser's help %q does not say %q", fl.Usage, want)
			}
		}
	})
}

// TestHintsNameAWholeCommand: a message that tells the person to run
// `ssokit configure` names the subcommand too (`ssokit configure sso`):
// the group alone only prints its help. Every string in the module and
// the README are read.
func TestHintsNameAWholeCommand(t *testing.T) {
	check := func(where, text string) {
		for rest := text; ; {
			i := strings.Index(rest, "ssokit configure")
			if i < 0 {
				return
			}
			rest = rest[i+len("ssokit configure"):]
			if len(rest) < 2 || rest[0] != ' ' || rest[1] < 'a' || rest[1] > 'z' {
				t.Errorf("%s: %q names the command group, not a command: say `ssokit configure sso`", where, text[max(0, len(text)-len(rest)-40):len(text)-len(rest)])
			}
		}
	}
	for pkg, files := range pkgFiles(t) {
		for _, file := range files {
			ast.Inspect(file, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						check(pkg, s)
					}
				}
				return true
			})
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	check("README.md", string(readme))
}
