package prompter

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// lineTerminal is the far side of a line prompter: what it is sent is
// what a person typed (a line at a time, as a terminal in line mode sends
// it), and Ctrl-C is a signal.
type lineTerminal struct {
	p   *linePrompter
	in  *io.PipeWriter
	sig chan os.Signal

	mu  sync.Mutex
	out strings.Builder
}

func newLineTerminal(t *testing.T) *lineTerminal {
	r, w := io.Pipe()
	lt := &lineTerminal{in: w, sig: make(chan os.Signal, 1)}
	lt.p = newLinePrompter(r, writerFunc(func(b []byte) (int, error) {
		lt.mu.Lock()
		defer lt.mu.Unlock()
		return lt.out.Write(b)
	}))
	lt.p.interrupts = func() (<-chan os.Signal, func()) { return lt.sig, func() {} }
	t.Cleanup(func() { w.Close() })
	return lt
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func (lt *lineTerminal) screen() string {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	return lt.out.String()
}

// ask runs q, typing each line once the screen shows how many prompts
// (": ") a person would wait for.
func (lt *lineTerminal) ask(t *testing.T, q func() (any, error), lines ...string) (any, error) {
	t.Helper()
	type result struct {
		v   any
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := q()
		done <- result{v, err}
	}()
	for i, line := range lines {
		lt.waitPrompts(t, i+1)
		switch line {
		case "^C":
			lt.sig <- os.Interrupt
		case "^D":
			lt.in.Close()
		default:
			fmt.Fprintln(lt.in, line)
		}
	}
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("the question did not return; the screen shows:\n%s", lt.screen())
		return nil, nil
	}
}

func (lt *lineTerminal) waitPrompts(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(lt.screen(), ": ") < n {
		if time.Now().After(deadline) {
			t.Fatalf("prompt %d never came; the screen shows:\n%s", n, lt.screen())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLinePrompter(t *testing.T) {
	region := func(s string) error {
		if s == "" {
			return errors.New("enter a region, e.g. us-east-1")
		}
		if !strings.Contains(s, "-") {
			return errors.New("not an AWS region, e.g. us-east-1")
		}
		return nil
	}
	accounts := []string{"dev (111)", "sandbox (222)", "production (333)", "prod-eu (444)"}
	many := make([]string, 30)
	for i := range many {
		many[i] = fmt.Sprintf("account-%02d", i+1)
	}
	tests := []struct {
		name       string
		ask        func(p *linePrompter) (any, error)
		lines      []string
		want       any
		wantErr    error
		wantScreen string
	}{
		{
			name:       "Enter takes the default",
			ask:        func(p *linePrompter) (any, error) { return p.Input("Default client region", "us-east-1", region) },
			lines:      []string{""},
			want:       "us-east-1",
			wantScreen: "Default client region [us-east-1]: ",
		},
		{
			name:       "a refused answer is asked again, with the reason in words, once per try",
			ask:        func(p *linePrompter) (any, error) { return p.Input("SSO region", "", region) },
			lines:      []string{"", "Paris", "eu-west-3"},
			want:       "eu-west-3",
			wantScreen: "SSO region: \n  Enter a region, e.g. us-east-1\nSSO region: Paris\n  Not an AWS region, e.g. us-east-1\nSSO region: eu-west-3\n",
		},
		{
			name:    "Ctrl-C cancels",
			ask:     func(p *linePrompter) (any, error) { return p.Input("SSO session name", "", nil) },
			lines:   []string{"^C"},
			wantErr: ErrCancelled,
		},
		{
			name:    "Ctrl-D (the end of input) cancels instead of asking again",
			ask:     func(p *linePrompter) (any, error) { return p.Input("SSO session name", "", region) },
			lines:   []string{"^D"},
			wantErr: ErrCancelled,
		},
		{
			name:  "a number chooses",
			ask:   func(p *linePrompter) (any, error) { return p.Select("Choose an account", accounts, 0) },
			lines: []string{"3"},
			want:  2,
			wantScreen: "Choose an account:\n   1. dev (111)\n   2. sandbox (222)\n   3. production (333)\n   4. prod-eu (444)\n" +
				"Number, or text to narrow the list [1]: 3\n",
		},
		{
			name:  "text narrows the list, then a number chooses in it",
			ask:   func(p *linePrompter) (any, error) { return p.Select("Choose an account", accounts, 0) },
			lines: []string{"PROD", "2"},
			want:  3,
		},
		{
			name:  "text that matches one option chooses it",
			ask:   func(p *linePrompter) (any, error) { return p.Select("Choose an account", accounts, 0) },
			lines: []string{"sand"},
			want:  1,
		},
		{
			name:       "text that matches nothing says so, and the list stays",
			ask:        func(p *linePrompter) (any, error) { return p.Select("Choose an account", accounts, 0) },
			lines:      []string{"staging", "dev"},
			want:       0,
			wantScreen: "  Nothing matches \"staging\"; try other text, or a number from the list.\n",
		},
		{
			name:       "a long list shows its start and how many more",
			ask:        func(p *linePrompter) (any, error) { return p.Select("Choose an account", many, 0) },
			lines:      []string{"account-3"},
			want:       29,
			wantScreen: "  20. account-20\n  … and 10 more; type text to narrow the list\n",
		},
		{
			name:    "Ctrl-C cancels a select",
			ask:     func(p *linePrompter) (any, error) { return p.Select("Choose an account", accounts, 0) },
			lines:   []string{"^C"},
			wantErr: ErrCancelled,
		},
		{
			name:       "a confirmation takes y or n",
			ask:        func(p *linePrompter) (any, error) { return p.Confirm("Replace it?", false) },
			lines:      []string{"maybe", "y"},
			want:       true,
			wantScreen: "Replace it? [y/N]: maybe\n  Answer y or n.\nReplace it? [y/N]: y\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lt := newLineTerminal(t)
			got, err := lt.ask(t, func() (any, error) { return tt.ask(lt.p) }, tt.lines...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v; the screen shows:\n%s", err, tt.wantErr, lt.screen())
			}
			if tt.wantErr == nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			}
			screen := lt.screen()
			if tt.wantScreen != "" && !strings.Contains(withTyped(screen, tt.lines), tt.wantScreen) {
				t.Errorf("the screen lacks %q:\n%s", tt.wantScreen, withTyped(screen, tt.lines))
			}
			if strings.Contains(screen, `""`) {
				t.Errorf("the screen quotes an empty answer back:\n%s", screen)
			}
		})
	}
}

// withTyped puts the typed lines after their prompts, as a terminal that
// echoes them shows the screen.
func withTyped(screen string, lines []string) string {
	var b strings.Builder
	parts := strings.SplitAfter(screen, ": ")
	for i, part := range parts {
		b.WriteString(part)
		if i < len(lines) && i < len(parts)-1 && strings.HasSuffix(part, ": ") && !strings.HasPrefix(lines[i], "^") {
			b.WriteString(lines[i] + "\n")
		}
	}
	return b.String()
}

func TestNewChoosesLinesOnADumbTerminal(t *testing.T) {
	if _, ok := New(nil, io.Discard, func(string) string { return "dumb" }).(*linePrompter); !ok {
		t.Error("TERM=dumb does not get the line prompter")
	}
	if _, ok := New(nil, io.Discard, func(string) string { return "xterm-256color" }).(*huhPrompter); !ok {
		t.Error("xterm does not get the huh prompter")
	}
}
