package cmdutil

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// The note about -f/--format names the form typed, and so does the error
// when an old name and a new one disagree.
func TestOldOutputFlag(t *testing.T) {
	tests := []struct {
		args       []string
		wantOutput string
		wantNote   string
		wantErr    string
	}{
		{args: nil, wantOutput: "process"},
		{args: []string{"-o", "env"}, wantOutput: "env"},
		{args: []string{"--format", "env"}, wantOutput: "env", wantNote: "note: --format is now -o/--output; --format keeps working\n"},
		{args: []string{"--format=env"}, wantOutput: "env", wantNote: "note: --format is now -o/--output; --format keeps working\n"},
		{args: []string{"-f", "env"}, wantOutput: "env", wantNote: "note: -f is now -o/--output; -f keeps working\n"},
		{args: []string{"-fenv"}, wantOutput: "env", wantNote: "note: -f is now -o/--output; -f keeps working\n"},
		{args: []string{"-f", "env", "-o", "env"}, wantOutput: "env", wantNote: "note: -f is now -o/--output; -f keeps working\n"},
		{args: []string{"-f", "fish", "-o", "env"}, wantErr: `-f is the old name of --output: give one of them, not --output "env" and -f "fish"`},
		{args: []string{"--format", "fish", "-o", "env"}, wantErr: `--format is the old name of --output: give one of them, not --output "env" and --format "fish"`},
		{args: []string{"--format", "fish", "-f", "env"}, wantErr: `--format and -f are old names of --output: give one of them, not --format "fish" and -f "env"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
			var output string
			fs.StringVarP(&output, "output", "o", "process", "")
			var old OldOutputFlag
			old.AddTo(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			ios, _, _, errOut := iostreams.Test()
			err := old.Resolve(fs, ios, &output)
			if tt.wantErr != "" {
				var flagErr *FlagError
				if !errors.As(err, &flagErr) || err.Error() != tt.wantErr {
					t.Errorf("error = %v, want the usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if output != tt.wantOutput || errOut.String() != tt.wantNote {
				t.Errorf("output %q, stderr %q; want %q, %q", output, errOut, tt.wantOutput, tt.wantNote)
			}
		})
	}
}
