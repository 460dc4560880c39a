package login

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// --all leaves a fresh session alone and signs in to the others in turn,
// each under a header, with a summary at the end: the second sso-session
// in the browser, the start URL of the legacy profile with a code.
func TestRunAllSignsInWhereNeeded(t *testing.T) {
	e := newEnv(t)
	if err := run(e.opts(Options{Profile: "dev"})); err != nil {
		t.Fatalf("first sign-in: %v\n%s", err, e.err)
	}
	e.appendConfig(t, "\n[sso-session other]\nsso_start_url = "+e.srv.StartURL+"\nsso_region = "+e.srv.Region+"\n")
	authorize := e.srv.Count("Authorize")
	e.err.Reset()

	if err := run(e.opts(Options{All: true})); err != nil {
		t.Fatalf("run --all: %v\nstderr:\n%s", err, e.err)
	}
	stderr := e.err.String()
	wantInOrder := []string{
		`[1/3] sso-session "my-sso" (` + e.srv.StartURL + ")\nAlready signed in; token valid until ",
		`[2/3] sso-session "other" (` + e.srv.StartURL + ")\n",
		`Signed in to ` + e.srv.StartURL + ` as session "other"`,
		"[3/3] " + e.srv.StartURL + " (profile old, without an sso-session)\n",
		"Signed in to " + e.srv.StartURL + "; token valid until ",
		"Sessions: 2 signed in, 1 already signed in.\n",
	}
	rest := stderr
	for _, want := range wantInOrder {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("stderr lacks %q (in this order):\n%s", want, stderr)
		}
		rest = rest[i+len(want):]
	}
	if got := e.srv.Count("Authorize") - authorize; got != 1 {
		t.Errorf("browser sign-ins = %d, want 1 (sso-session other)", got)
	}
	if got := e.srv.Count("StartDeviceAuthorization"); got != 1 {
		t.Errorf("device code sign-ins = %d, want 1 (the legacy start URL)", got)
	}
	for _, key := range []string{"my-sso", "other", e.srv.StartURL} {
		if _, err := e.cache.LoadToken(key); err != nil {
			t.Errorf("no token for %q: %v", key, err)
		}
	}
}

// A token near its end is refreshed silently, not signed in again; a
// session that cannot be signed in to is reported and the others go on,
// and the exit code says one failed.
func TestRunAllRefreshesAndReportsFailures(t *testing.T) {
	e := newEnv(t)
	if err := run(e.opts(Options{Profile: "dev"})); err != nil {
		t.Fatalf("first sign-in: %v\n%s", err, e.err)
	}
	first, err := e.cache.LoadToken("my-sso")
	if err != nil {
		t.Fatal(err)
	}
	e.appendConfig(t, "\n[sso-session broken]\nsso_start_url = "+e.srv.StartURL+"\nsso_region = "+e.srv.Region+"\n")
	// A folder where the token belongs: it can be neither read nor saved.
	if err := os.MkdirAll(e.cache.TokenPath("broken"), 0o700); err != nil {
		t.Fatal(err)
	}
	soon := first.ExpiresAt.Add(-10 * time.Minute)
	e.f.Now = func() time.Time { return soon }
	authorize := e.srv.Count("Authorize")
	e.err.Reset()

	err = run(e.opts(Options{All: true}))
	if err == nil || !strings.Contains(err.Error(), `could not sign in to sso-session "broken"`) {
		t.Fatalf("run --all = %v, want an error naming the broken session\nstderr:\n%s", err, e.err)
	}
	stderr := e.err.String()
	for _, want := range []string{
		`[1/3] sso-session "broken"`, "Failed: ",
		`[2/3] sso-session "my-sso"`, "Already signed in; token valid until ",
		"Sessions: 1 signed in, 1 already signed in, 1 failed.\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if got := e.srv.Count("Authorize") - authorize; got != 0 {
		t.Errorf("browser sign-ins = %d, want none: my-sso refreshes silently", got)
	}
	refreshed, err := e.cache.LoadToken("my-sso")
	if err != nil || refreshed.AccessToken == first.AccessToken {
		t.Errorf("my-sso token after --all: %v, %v; want a refreshed one", refreshed, err)
	}
}

// At a terminal, --all asks before each sign-in: s skips the session,
// Enter signs in; Ctrl-C stops the whole run as cancelled.
func TestRunAllAsksAtATerminal(t *testing.T) {
	t.Run("skip one, sign in to the other", func(t *testing.T) {
		e := newEnv(t)
		e.ios.SetTTY(true)
		p := &answerer{answers: []string{"s", ""}}
		e.f.Prompter = p
		if err := run(e.opts(Options{All: true})); err != nil {
			t.Fatalf("run --all: %v\nstderr:\n%s", err, e.err)
		}
		want := []string{
			`Press Enter to sign in to sso-session "my-sso" (` + e.srv.StartURL + "), s to skip",
			"Press Enter to sign in to " + e.srv.StartURL + " (profile old, without an sso-session), s to skip",
		}
		if diff := cmp.Diff(want, p.asked); diff != "" {
			t.Errorf("prompts (-want +got):\n%s", diff)
		}
		if a, d := e.srv.Count("Authorize"), e.srv.Count("StartDeviceAuthorization"); a != 0 || d != 1 {
			t.Errorf("Authorize = %d, StartDeviceAuthorization = %d; want only the legacy start URL's code", a, d)
		}
		if !strings.Contains(e.err.String(), "Skipped.\n") || !strings.HasSuffix(e.err.String(), "Sessions: 1 signed in, 1 skipped.\n") {
			t.Errorf("stderr:\n%s", e.err)
		}
	})
	t.Run("Ctrl-C", func(t *testing.T) {
		e := newEnv(t)
		e.ios.SetTTY(true)
		e.f.Prompter = &answerer{}
		if err := run(e.opts(Options{All: true})); !errors.Is(err, cmdutil.ErrCancel) {
			t.Fatalf("run --all = %v, want the prompt's cancellation", err)
		}
		if e.srv.Count("Authorize")+e.srv.Count("StartDeviceAuthorization") != 0 {
			t.Error("a sign-in started after the prompt was cancelled")
		}
	})
}

// answerer answers Input with its answers in turn (each checked as a
// person's would be), then cancels as Ctrl-C does.
type answerer struct {
	answers []string
	asked   []string
}

func (a *answerer) Input(prompt, _ string, check func(string) error) (string, error) {
	a.asked = append(a.asked, prompt)
	if len(a.answers) == 0 {
		return "", cmdutil.ErrCancel
	}
	v := a.answers[0]
	a.answers = a.answers[1:]
	if err := check(v); err != nil {
		return "", err
	}
	return v, nil
}
func (a *answerer) Select(string, []string, int) (int, error) {
	return 0, errors.New("unexpected Select")
}
func (a *answerer) Confirm(string, bool) (bool, error) {
	return false, errors.New("unexpected Confirm")
}
