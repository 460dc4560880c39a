package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/ssokit/ssokit/emulator/emulatortest"
)

// A request's scheme is https when a TLS-terminating proxy says so; any
// other X-Forwarded-Proto value leaves it http.
func TestForwardedProtoSetsTheScheme(t *testing.T) {
	srv := emulatortest.NewServer(t)
	c := newClients(t, srv)
	reg := c.register(t, &ssooidc.RegisterClientInput{})
	for proto, wantScheme := range map[string]string{"https": "https", "HTTPS, http": "https", "http": "http", "": "http", "wss": "http"} {
		body := `{"clientId":"` + aws.ToString(reg.ClientId) + `","clientSecret":"` + aws.ToString(reg.ClientSecret) + `","startUrl":"` + srv.StartURL + `"}`
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/device_authorization", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "device.example.test"
		req.Header.Set("Content-Type", "application/json")
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := `"verificationUri":"` + wantScheme + `://device.example.test/device"`; !strings.Contains(string(got), want) {
			t.Errorf("X-Forwarded-Proto %q: %s, want %s", proto, got, want)
		}
	}
}
