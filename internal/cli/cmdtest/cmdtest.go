package cmdtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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

// SessionChoice is one way the config file and the environment name, or
// leave out, the sso-session a command acts for (rule 2 of CONTRIBUTING.md).
type SessionChoice struct {
	Name string
	// Session is the sso-session the command acts for.
	Session string
	// Config is the config file's text.
	Config string
	// Vars are added to the environment.
	Vars map[string]string
	// Only is set when the command must use the config's only sso-session
	// and say so on stderr.
	Only bool
	// Err is in the usage error the command must fail with; "" when it
	// must succeed, acting for the sso-session.
	Err string
}

// SessionChoices are the cases every command acting for an sso-session is
// tested with when no flag names one: AWS_PROFILE wins, a [default]
// profile wins, the config's only sso-session is used and named, and two
// are listed in the error. The sso-session is session, with srv's start
// URL and region.
func SessionChoices(srv *emulatortest.Server, session string) []SessionChoice {
	sso := "[sso-session " + session + "]\nsso_start_url = " + srv.StartURL + "\nsso_region = " + srv.Region + "\n"
	profile := func(name string) string {
		return "\n[" + name + "]\nsso_session = " + session + "\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n"
	}
	names := []string{session, "other"}
	slices.Sort(names)
	other := "\n[sso-session other]\nsso_start_url = https://d-0000000000.awsapps.com/start\nsso_region = eu-west-1\n"
	return []SessionChoice{
		{Name: "AWS_PROFILE wins", Session: session, Config: sso + profile("profile dev"), Vars: map[string]string{"AWS_PROFILE": "dev"}},
		{Name: "a default profile wins", Session: session, Config: sso + profile("default")},
		{Name: "the only sso-session is used and named", Session: session, Config: sso + profile("profile dev"), Only: true},
		{Name: "two sso-sessions are listed in the error", Session: session, Config: sso + other + profile("profile dev"),
			Err: "has 2 sso-sessions (" + strings.Join(names, ", ") + "): choose one with --sso-session"},
	}
}

// Check fails t unless the command run in home for c returned err and
// wrote stderr as c says: the usage error c.Err, or success with the line
// naming the only sso-session exactly when c.Only.
func (c SessionChoice) Check(t testing.TB, home string, err error, stderr string) {
	t.Helper()
	var flagErr *cmdutil.FlagError
	switch {
	case c.Err != "" && (!errors.As(err, &flagErr) || !strings.Contains(err.Error(), c.Err)):
		t.Errorf("error = %v, want a usage error saying %q", err, c.Err)
	case c.Err == "" && err != nil:
		t.Errorf("error = %v\nstderr:\n%s", err, stderr)
	}
	note := "Using sso-session "
	if c.Only {
		note = fmt.Sprintf("Using sso-session %q, the only one in %s.\n", c.Session, filepath.Join(home, ".aws", "config"))
	}
	if strings.Contains(stderr, note) != c.Only {
		t.Errorf("stderr says %q: %v, want %v:\n%s", note, !c.Only, c.Only, stderr)
	}
}
