package emulator_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator"
)

func TestLaunchWithTLSWritesTheCAAndPrintsTheBundle(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "sub", "ca.pem")
	inst, err := emulator.Launch(context.Background(), emulator.Config{
		Addr: "127.0.0.1:0", Store: emulator.StoreMemory, TLS: true, CAFile: caFile,
		TLSHosts: []string{"oidc.us-east-2.amazonaws.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	if !regexp.MustCompile(`^https://127\.0\.0\.1:[1-9]\d*$`).MatchString(inst.URL) {
		t.Errorf("URL = %s, want https on the bound port", inst.URL)
	}
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pemData, inst.CA().PEM()) {
		t.Error("the CA file does not hold the CA's PEM")
	}
	if fi, err := os.Stat(caFile); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("CA file mode %v, want 0600", fi.Mode())
	}
	want := []string{
		"AWS_ENDPOINT_URL_SSO=" + inst.URL, "AWS_ENDPOINT_URL_SSO_OIDC=" + inst.URL,
		"AWS_ENDPOINT_URL_STS=" + inst.URL, "AWS_ENDPOINT_URL_SIGNIN=" + inst.URL,
		"AWS_CA_BUNDLE=" + caFile,
	}
	if diff := cmp.Diff(want, inst.Env()); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}

	pool := inst.CA().Pool()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(inst.URL + "/assignment/accounts")
	if err != nil {
		t.Fatalf("GET over TLS with the CA: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.TLS == nil {
		t.Errorf("status %d, TLS %v; want 401 over TLS", resp.StatusCode, resp.TLS != nil)
	}
	leaf := resp.TLS.PeerCertificates[0]
	for _, host := range []string{"127.0.0.1", "::1", "localhost", "oidc.us-east-2.amazonaws.com"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("the serving certificate does not cover %s: %v", host, err)
		}
	}
	if _, err := http.Get(inst.URL + "/assignment/accounts"); err == nil {
		t.Error("a client without the CA trusted the emulator")
	}

	t.Run("TLS needs a CA file", func(t *testing.T) {
		_, err := emulator.Launch(context.Background(), emulator.Config{Addr: "127.0.0.1:0", Store: emulator.StoreMemory, TLS: true})
		if err == nil {
			t.Error("Launch with TLS and no CA file succeeded")
		}
	})
}
