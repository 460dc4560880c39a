package demo

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantKeep bool
		wantErr  bool
	}{
		{"no flags removes the home folder afterwards", nil, false, false},
		{"--keep keeps it", []string{"--keep"}, true, false},
		{"arguments are refused", []string{"extra"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmd(&cmdutil.Factory{IOStreams: ios}, nil, func(o *Options) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.ErrOut)
			cmd.SetErr(ios.ErrOut)
			err := cmd.Execute()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && got.Keep != tt.wantKeep {
				t.Errorf("Keep = %v, want %v", got.Keep, tt.wantKeep)
			}
		})
	}
}

func TestDemoStopsAtAFailingCommand(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	home := tempdir.New(t)
	var ran [][]string
	opts := &Options{
		IO:         ios,
		HTTPClient: http.DefaultClient,
		TempDir:    func() (string, error) { return home, nil },
		RemoveAll:  func(string) error { return nil },
		Run: func(_ context.Context, _ *cmdutil.Factory, args []string) int {
			ran = append(ran, args)
			return 3
		},
	}
	err := runDemo(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "`ssokit login --profile sso-user-1` exited with code 3") {
		t.Fatalf("err = %v, want the failing command and its exit code", err)
	}
	if len(ran) != 1 {
		t.Errorf("ran %d commands after a failure, want the demo to stop at the first", len(ran))
	}
	if !strings.Contains(out.String(), "[3] $ ssokit login --profile sso-user-1") {
		t.Errorf("output does not show the failing step:\n%s", out)
	}
	if _, err := os.Stat(home + "/.aws/credentials"); err != nil {
		t.Errorf("the profile was not written before sign-in: %v", err)
	}
}

// In PowerShell the demo exports PowerShell lines, after a PowerShell prompt.
func TestDemoSpeaksTheUsersShell(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	home := tempdir.New(t)
	var ran [][]string
	opts := &Options{
		IO:         ios,
		HTTPClient: http.DefaultClient,
		TempDir:    func() (string, error) { return home, nil },
		RemoveAll:  func(string) error { return nil },
		Shell:      export.FormatPowerShell,
		Run: func(_ context.Context, _ *cmdutil.Factory, args []string) int {
			ran = append(ran, args)
			if args[0] == "export" {
				return 1
			}
			return 0
		},
	}
	if err := runDemo(context.Background(), opts); err == nil {
		t.Fatal("the demo went on after a failing export")
	}
	want := [][]string{{"login", "--profile", "sso-user-1"}, {"export", "--profile", "sso-user-1", "--output", "powershell"}}
	if diff := cmp.Diff(want, ran); diff != "" {
		t.Errorf("commands run (-want +got):\n%s", diff)
	}
	if !strings.Contains(out.String(), "[4] PS> ssokit export --profile sso-user-1 --output powershell\n") {
		t.Errorf("output does not show the PowerShell step:\n%s", out)
	}
}
