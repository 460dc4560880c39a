package cmdtest

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/browserstub"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// Env is a temporary home folder and a Factory that lives in it.
type Env struct {
	F *cmdutil.Factory
	// Home is what F.HomeDir returns and Vars what F.Getenv reads, both
	// read at each call: a test may change them.
	Home string
	Vars map[string]string
	// Out and ErrOut hold what the command wrote to F.IOStreams.
	Out, ErrOut *bytes.Buffer
}

// NewEnv returns a Factory with test streams (no terminal), an empty
// temporary home, a browserstub.Stub, the real clock and an HTTP client with a
// timeout. When srv is not nil, Vars holds srv.Env(): every AWS endpoint
// is the emulator.
func NewEnv(t testing.TB, srv *emulatortest.Server) *Env {
	t.Helper()
	e := &Env{Home: tempdir.New(t), Vars: map[string]string{}}
	if srv != nil {
		for _, kv := range srv.Env() {
			k, v, _ := strings.Cut(kv, "=")
			e.Vars[k] = v
		}
	}
	ios, _, out, errOut := iostreams.Test()
	e.Out, e.ErrOut = out, errOut
	e.F = &cmdutil.Factory{
		IOStreams: ios,
		Getenv:    func(k string) string { return e.Vars[k] },
		HomeDir:   func() (string, error) { return e.Home, nil },
		Now:       time.Now,
		Browser:   &browserstub.Stub{},
	}
	e.F.HTTPClient = cmdutil.NewHTTPClient(e.F.Getenv)
	return e
}

// ParseFlags builds the command with newCmd and f, runs it with args, and
// returns the Options its run function was given, without running the
// command itself. A nil f is a Factory with test streams and nothing else.
// What cobra prints (usage on an error) is discarded.
func ParseFlags[O any](f *cmdutil.Factory, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	if f == nil {
		ios, _, _, _ := iostreams.Test()
		f = &cmdutil.Factory{IOStreams: ios}
	}
	var got *O
	cmd := newCmd(f, func(o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	return got, err
}

// MustParseFlags is ParseFlags for arguments that must parse.
func MustParseFlags[O any](t testing.TB, f *cmdutil.Factory, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, args ...string) *O {
	t.Helper()
	got, err := ParseFlags(f, newCmd, args...)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// SignedIn returns a Factory for the signed-in home e: no terminal, e's
// recording browser stub and environment, the real clock.
func SignedIn(e *signedin.Env) (f *cmdutil.Factory, out, errOut *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	return &cmdutil.Factory{
		IOStreams:  ios,
		Getenv:     func(k string) string { return e.Vars[k] },
		Environ:    e.Environ,
		HomeDir:    func() (string, error) { return e.Home, nil },
		Now:        time.Now,
		Browser:    e.Browser,
		HTTPClient: cmdutil.NewHTTPClient(func(k string) string { return e.Vars[k] }),
		Executable: os.Executable,
	}, out, errOut
}
