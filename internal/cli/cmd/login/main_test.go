package login

import (
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
)

// envBrowserAt makes this test binary a BROWSER for ssokit processes: it
// posts the URL it is given to the test's address and exits, and the test
// plays the person's part (see browserLaunches).
const envBrowserAt = "SSOKIT_TEST_BROWSER_AT"

func TestMain(m *testing.M) {
	if at := os.Getenv(envBrowserAt); at != "" {
		resp, err := http.PostForm(at, url.Values{"url": {os.Args[len(os.Args)-1]}})
		if err != nil || resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	ssokitbin.Cleanup()
	os.Exit(code)
}
