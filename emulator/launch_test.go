package emulator_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:4510":  true,
		"127.0.0.1:0":     true,
		"127.1.2.3:80":    true,
		"[::1]:4510":      true,
		"localhost:4510":  true,
		"LOCALHOST:1":     true,
		":4510":           false,
		"0.0.0.0:4510":    false,
		"[::]:4510":       false,
		"192.168.1.5:80":  false,
		"example.com:443": false,
		"127.0.0.1":       false, // no port: not a listen address
	} {
		if got := emulator.LoopbackAddr(addr); got != want {
			t.Errorf("LoopbackAddr(%q) = %v, want %v", addr, got, want)
		}
	}
}

// Launch refuses, before listening, an address other machines can reach
// unless that was asked for.
func TestLaunchRefusesRemoteAddressesUnlessAllowed(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		_, err := emulator.Launch(context.Background(), emulator.Config{Addr: addr, Store: emulator.StoreMemory})
		if err == nil || !strings.Contains(err.Error(), "can be reached from other machines") {
			t.Errorf("Launch on %s = %v, want a refusal", addr, err)
		}
	}
}

func TestBannerShowsTheBoundAddressAndWarnsWhenRemote(t *testing.T) {
	inst, err := emulator.Launch(context.Background(), emulator.Config{Addr: "127.0.0.1:0", Store: emulator.StoreMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	port := inst.Addr.(*net.TCPAddr).Port
	if port == 0 || inst.URL != "http://127.0.0.1:"+strconv.Itoa(port) {
		t.Fatalf("URL = %s, Addr = %s: want the port actually bound", inst.URL, inst.Addr)
	}
	var w, env bytes.Buffer
	writeEnv := func(vars []string) {
		for _, kv := range vars {
			fmt.Fprintf(&env, "export %s\n", kv)
		}
	}
	inst.WriteBanner(&w, writeEnv, "~/.aws/config")
	if !strings.HasPrefix(w.String(), "Identity Center emulator listening on "+inst.URL+"\n") {
		t.Errorf("banner starts %q", strings.SplitN(w.String(), "\n", 2)[0])
	}
	if strings.Contains(w.String(), "Warning") || strings.Contains(w.String(), "bound to") {
		t.Errorf("a loopback emulator's banner warns:\n%s", w.String())
	}

	// What the banner says when bound to every interface (tests do not
	// bind beyond loopback, so the address is set by hand).
	inst.Addr = &net.TCPAddr{IP: net.IPv4zero, Port: port}
	w.Reset()
	inst.WriteBanner(&w, writeEnv, "~/.aws/config")
	for _, want := range []string{
		"listening on " + inst.URL + "\n",
		"  bound to   every network interface, port " + strconv.Itoa(port) + "\n",
		"Warning: other machines can reach this emulator (--allow-remote).",
	} {
		if !strings.Contains(w.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, w.String())
		}
	}
	if strings.Contains(w.String(), "0.0.0.0") || strings.Contains(w.String(), ":0\n") {
		t.Errorf("banner shows an address clients cannot use:\n%s", w.String())
	}
}

func TestLaunchWithTLSWritesTheCAAndPrintsTheBundle(t *testing.T) {
	caFile := filepath.Join(tempdir.New(t), "sub", "ca.pem")
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
	} else if fi.Mode().Perm()&0o077 != 0 && runtime.GOOS != "windows" {
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
