package cmdtest

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

type options struct {
	Factory *cmdutil.Factory
	Name    string
}

// newCmd is a command in the shape of ours: it wires one flag and hands the
// Options to runF.
func newCmd(f *cmdutil.Factory, runF func(*options) error) *cobra.Command {
	opts := &options{Factory: f}
	cmd := &cobra.Command{
		Use:  "x",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opts.Name == "bad" {
				return cmdutil.FlagErrorf("--name %q", opts.Name)
			}
			return runF(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "")
	return cmd
}

func TestParseFlags(t *testing.T) {
	got, err := ParseFlags(nil, newCmd, "--name", "a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "a" || got.Factory == nil || got.Factory.IOStreams == nil {
		t.Errorf("options = %+v, want Name a and a Factory with streams", got)
	}
	var fe *cmdutil.FlagError
	if _, err := ParseFlags(nil, newCmd, "--name", "bad"); !errors.As(err, &fe) {
		t.Errorf("error = %v, want the command's FlagError", err)
	}
	env := NewEnv(t, nil)
	if got := MustParseFlags(t, env.F, newCmd); got.Factory != env.F {
		t.Error("the Options do not carry the Factory given")
	}
}

func TestNewEnvReadsHomeAndVarsAtEachCall(t *testing.T) {
	env := NewEnv(t, nil)
	env.Vars["K"] = "v"
	env.Home = "/elsewhere"
	if got := env.F.Getenv("K"); got != "v" {
		t.Errorf("Getenv(K) = %q, want v", got)
	}
	if home, _ := env.F.HomeDir(); home != "/elsewhere" {
		t.Errorf("HomeDir = %q, want /elsewhere", home)
	}
	env.F.IOStreams.Out.Write([]byte("out"))
	if env.Out.String() != "out" {
		t.Errorf("Out = %q", env.Out)
	}
}
