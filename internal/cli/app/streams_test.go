package app

import (
	"context"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/internal/cli/cmdtest"
)

// What a person asked to see is output, so it can be piped and redirected:
// `source <(ssokit completion bash)`, `ssokit --help | less`. Errors stay
// on stderr, and stdout then stays empty.
func TestAskedForOutputGoesToStdout(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // each must be on stdout
		wantErr  []string // each must be on stderr; none means stderr is empty
	}{
		{name: "--help", args: []string{"--help"}, wantOut: []string{"Usage:", "ssokit [command]", "completion"}},
		{name: "help for a command", args: []string{"help", "login"}, wantOut: []string{"ssokit login", "--use-device-code"}},
		{name: "a command's --help", args: []string{"exec", "--help"}, wantOut: []string{"Run COMMAND with the temporary role credentials"}},
		{name: "--version", args: []string{"--version"}, wantOut: []string{"ssokit version " + versionString()}},
		{name: "a bash completion script", args: []string{"completion", "bash"}, wantOut: []string{"# bash completion V2 for ssokit", "__start_ssokit"}},
		{name: "a zsh completion script", args: []string{"completion", "zsh"}, wantOut: []string{"#compdef ssokit"}},
		{name: "a fish completion script", args: []string{"completion", "fish"}, wantOut: []string{"complete -c ssokit"}},
		{name: "an unknown command is an error", args: []string{"lgoin"}, wantCode: 2,
			wantErr: []string{`ssokit: unknown command "lgoin" for "ssokit"`, "Run `ssokit --help` for usage."}},
		{name: "an unknown flag is an error", args: []string{"status", "--bogus"}, wantCode: 2,
			wantErr: []string{"unknown flag: --bogus", "Run `ssokit status --help` for usage."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cmdtest.NewEnv(t, nil)
			code := Run(context.Background(), env.F, tt.args)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, env.ErrOut)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(env.Out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, env.Out)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(env.ErrOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, env.ErrOut)
				}
			}
			if len(tt.wantErr) == 0 && env.ErrOut.Len() > 0 {
				t.Errorf("stderr = %q, want nothing", env.ErrOut)
			}
			if len(tt.wantOut) == 0 && env.Out.Len() > 0 {
				t.Errorf("stdout = %q, want nothing on an error", env.Out)
			}
		})
	}
}

// The completion command is listed in the help, with the shells it knows.
func TestHelpListsCompletion(t *testing.T) {
	env := cmdtest.NewEnv(t, nil)
	if code := Run(context.Background(), env.F, []string{"--help"}); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	var listed bool
	for _, line := range strings.Split(env.Out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "completion" {
			listed = true
		}
	}
	if !listed {
		t.Errorf("`completion` is not listed in the help:\n%s", env.Out)
	}
}
