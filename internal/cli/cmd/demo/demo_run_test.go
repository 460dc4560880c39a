package demo_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/internal/cli/app"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// The demo runs the real commands against the real emulator: its output must
// show a session, credentials and an assumed-role ARN that STS returned.
func TestDemoEndToEnd(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	t.Setenv("TMPDIR", tempdir.New(t))
	f := &cmdutil.Factory{
		IOStreams:  ios,
		Getenv:     func(string) string { return "" },
		HomeDir:    func() (string, error) { t.Fatal("the demo must not use the user's home folder"); return "", nil },
		Now:        time.Now,
		HTTPClient: &http.Client{Timeout: 10 * time.Second},
	}
	if code := app.Run(context.Background(), f, []string{"demo"}); code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\[3\] \$ ssokit login --profile sso-user-1$`),
		regexp.MustCompile(`(?m)^export AWS_ACCESS_KEY_ID=ASIA[A-Z0-9]{16}$`),
		regexp.MustCompile(`(?m)^Arn: +arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_[0-9a-f]{16}/demo$`),
		regexp.MustCompile(`(?m)^\(no sso-session\) +https://d-\d{10}\.awsapps\.com/start +us-east-2 .*sso-user-1$`),
	} {
		if !want.MatchString(got) {
			t.Errorf("output lacks %v:\n%s", want, got)
		}
	}
	if !strings.Contains(errOut.String(), "Signed in to https://d-") {
		t.Errorf("stderr lacks the sign-in message:\n%s", errOut)
	}
	left, _ := os.ReadDir(os.Getenv("TMPDIR"))
	if len(left) != 0 {
		t.Errorf("the temporary home folder was left behind: %v", left)
	}
}
