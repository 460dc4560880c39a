package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/awscli"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/internal/testutil/syncbuf"
)

func TestNewCmdFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr bool
	}{
		{name: "defaults: a free port on 127.0.0.1, sh syntax", args: nil, want: Options{Addr: "127.0.0.1:0", Format: "env"}},
		{name: "profile, address and output", args: []string{"--profile", "dev", "--addr", "[::1]:9911", "--output", "powershell"},
			want: Options{Profile: "dev", Addr: "[::1]:9911", Format: "powershell"}},
		{name: "short flags and a region", args: []string{"-p", "dev", "-o", "fish", "--region", "eu-west-1"},
			want: Options{Profile: "dev", Addr: "127.0.0.1:0", Format: "fish", Region: "eu-west-1"}},
		{name: "the old --format still works", args: []string{"--format", "powershell"}, want: Options{Addr: "127.0.0.1:0", Format: "powershell"}},
		{name: "the old -f still works", args: []string{"-f", "windows-cmd"}, want: Options{Addr: "127.0.0.1:0", Format: "windows-cmd"}},
		{name: "the old and new names disagreeing", args: []string{"-f", "fish", "-o", "env"}, wantErr: true},
		{name: "a format that is not a shell's", args: []string{"--output", "json"}, wantErr: true},
		{name: "arguments are refused", args: []string{"dev"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cmdtest.ParseFlags(nil, NewCmd, tt.args...)
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Options{Profile: got.Profile, Addr: got.Addr, Format: got.Format, Region: got.Region}); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// serving is a `ssokit serve` running in the background.
type serving struct {
	url, token string
	// vars are the variables serve printed.
	vars   map[string]string
	errOut *syncbuf.Buffer
	stop   func() error
}

func startServe(t *testing.T, env *signedin.Env, now func() time.Time) *serving {
	t.Helper()
	return startServing(t, env, now, signedin.Profile)
}

// startServing is startServe for another profile, with more flags.
func startServing(t *testing.T, env *signedin.Env, now func() time.Time, profile string, flags ...string) *serving {
	t.Helper()
	f, _, _ := cmdtest.SignedIn(env)
	if now != nil {
		f.Now = now
	}
	pr, pw := io.Pipe()
	errOut := &syncbuf.Buffer{}
	f.IOStreams = &iostreams.IOStreams{In: strings.NewReader(""), Out: pw, ErrOut: errOut}
	opts := cmdtest.MustParseFlags(t, f, NewCmd, append([]string{"--profile", profile}, flags...)...)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, opts); pw.Close() }()
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(5 * time.Second):
				stopErr = errors.New("serve did not stop within 5s of Ctrl-C")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })

	lines := bufio.NewScanner(pr)
	vars := map[string]string{}
	printed := 2
	if opts.Region != "" {
		printed = 4
	}
	for i := 0; i < printed && lines.Scan(); i++ {
		k, v, _ := strings.Cut(strings.TrimPrefix(lines.Text(), "export "), "=")
		vars[k] = v
	}
	go io.Copy(io.Discard, pr)
	// serve prints its stderr line just after the variables: wait for it,
	// so a busy machine cannot make the checks below run before it.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(errOut.String(), "Press Ctrl-C") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	s := &serving{url: vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"], token: vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"], vars: vars, errOut: errOut, stop: stop}
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || s.token == "" {
		t.Fatalf("printed %v; stderr %s", vars, errOut)
	}
	return s
}

func TestRunServesUntilCancelled(t *testing.T) {
	env := signedin.New(t)
	s := startServe(t, env, nil)

	resp, err := http.Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the token: status %d, want 401", resp.StatusCode)
	}

	creds, err := endpointcreds.New(s.url, func(o *endpointcreds.Options) { o.AuthorizationToken = s.token }).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, signedin.RoleARNPrefix()) {
		t.Errorf("served credentials belong to %s", arn)
	}
	msg := s.errOut.String()
	if !strings.Contains(msg, "Press Ctrl-C to stop") {
		t.Errorf("stderr = %q", msg)
	}
	if strings.Contains(msg, s.token) || strings.Contains(msg, creds.SecretAccessKey) {
		t.Error("stderr carries a secret")
	}
	if err := s.stop(); err != nil {
		t.Errorf("run after Ctrl-C: %v", err)
	}
	if _, err := http.Get(s.url); err == nil {
		t.Error("still serving after Ctrl-C")
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 1 {
		t.Errorf("GetRoleCredentials called %d times, want 1", n)
	}
}

// clock is a settable clock shared by the emulator and ssokit.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// TestServeRenewsBeforeExpiry plays a job that runs longer than one set of
// role credentials: as their end nears, the endpoint hands out new ones
// from the portal. (STS would refuse signatures made on the real clock
// once the shared one has moved, so validity is checked elsewhere.)
func TestServeRenewsBeforeExpiry(t *testing.T) {
	c := &clock{t: time.Now()}
	env := signedin.New(t, func(o *emulator.Options) { o.Now = c.Now })
	s := startServe(t, env, c.Now)
	fetch := func() aws.Credentials {
		t.Helper()
		creds, err := endpointcreds.New(s.url, func(o *endpointcreds.Options) { o.AuthorizationToken = s.token }).Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return creds
	}
	first := fetch()
	c.Advance(30 * time.Minute)
	if again := fetch(); again.AccessKeyID != first.AccessKeyID {
		t.Errorf("credentials renewed with 30 minutes left")
	}
	c.Advance(20 * time.Minute) // 10 minutes left: inside the window
	renewed := fetch()
	if renewed.AccessKeyID == first.AccessKeyID {
		t.Fatal("credentials not renewed with 10 minutes left")
	}
	if !renewed.Expires.After(first.Expires) {
		t.Errorf("renewed credentials expire at %v, not after %v", renewed.Expires, first.Expires)
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 2 {
		t.Errorf("GetRoleCredentials called %d times, want 2", n)
	}
}

// TestServeToTheAWSCLI: botocore's container provider, in the real AWS CLI,
// gets working credentials from the endpoint.
func TestServeToTheAWSCLI(t *testing.T) {
	env := signedin.New(t)
	cli := awscli.New(t, env.Srv.URL)
	s := startServe(t, env, nil)
	cli.Env = []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=" + s.url, "AWS_CONTAINER_AUTHORIZATION_TOKEN=" + s.token, "AWS_REGION=" + signedin.ProfileRegion}
	out, _, err := cli.Run("sts", "get-caller-identity", "--output", "json")
	if err != nil {
		t.Fatal(err)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.HasPrefix(id.Arn, signedin.RoleARNPrefix()) {
		t.Errorf("the CLI called STS as %q", id.Arn)
	}
}

// Another interface, or no address at all, is a usage mistake found
// before any sign-in or portal call.
func TestRunRefusesOtherInterfacesAndBadAddresses(t *testing.T) {
	env := signedin.New(t)
	for _, addr := range []string{"0.0.0.0:0", "x:y:z", "127.0.0.1:99999"} {
		f, out, _ := cmdtest.SignedIn(env)
		_, err := cmdtest.ParseFlags(f, NewCmd, "--profile", signedin.Profile, "--addr", addr)
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("--addr %s: error = %v, want a usage error pointing to 127.0.0.1", addr, err)
		}
		if out.Len() != 0 {
			t.Errorf("stdout = %q", out.String())
		}
	}
	if n := env.Srv.Count("GetRoleCredentials"); n != 0 {
		t.Errorf("GetRoleCredentials calls = %d, want none", n)
	}
}

// An assume-role profile is served like an SSO one.
func TestServeChainedProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	s := startServing(t, env, nil, signedin.Chained)
	creds, err := endpointcreds.New(s.url, func(o *endpointcreds.Options) { o.AuthorizationToken = s.token }).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); arn != signedin.ChainedARN() {
		t.Errorf("served credentials belong to %s, want %s", arn, signedin.ChainedARN())
	}
	if msg := s.errOut.String(); !strings.Contains(msg, "profile "+signedin.Chained) {
		t.Errorf("stderr = %q, want the profile named", msg)
	}
}

func TestServePrintsTheRegionAsked(t *testing.T) {
	env := signedin.New(t)
	s := startServing(t, env, nil, signedin.Profile, "--region", "eu-west-1")
	if s.vars["AWS_REGION"] != "eu-west-1" || s.vars["AWS_DEFAULT_REGION"] != "eu-west-1" || len(s.vars) != 4 {
		t.Errorf("printed %v, want the endpoint, the token and both region variables", s.vars)
	}
}
