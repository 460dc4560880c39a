package emulator_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// TestJSSDKv3 runs testdata/jssdk/check.mjs, which drives the emulator with
// the AWS SDK for JavaScript v3 (sso-oidc, sso, sts clients) and prints what
// it got, including the names of the typed errors. It needs node and a
// node_modules folder holding @aws-sdk/client-sso-oidc, client-sso and
// client-sts, named by SSOKIT_JS_SDK_MODULES:
//
//	npm install --prefix /tmp/js @aws-sdk/client-sso-oidc @aws-sdk/client-sso @aws-sdk/client-sts
//	SSOKIT_JS_SDK_MODULES=/tmp/js/node_modules go test -run JSSDK ./emulator/
func TestJSSDKv3(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the AWS SDK for JavaScript in node; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("drives the AWS SDK for JavaScript in the Linux node; the interop tests run on Linux")
	}
	modules := os.Getenv("SSOKIT_JS_SDK_MODULES")
	node, err := exec.LookPath("node")
	if modules == "" || err != nil {
		t.Skip("set SSOKIT_JS_SDK_MODULES to a node_modules folder with the AWS SDK v3 clients (and install node) to run")
	}
	srv := emulatortest.NewServer(t, func(o *emulator.Options) { o.AutoApprove = "demo" })
	script, err := os.ReadFile(filepath.Join("testdata", "jssdk", "check.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// ES modules resolve packages from the script's folder upwards.
	dir := tempdir.New(t)
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "check.mjs"), script, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, filepath.Join(dir, "check.mjs"), srv.URL, srv.StartURL).Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s", err, out)
	}
	for _, want := range []string{
		"accounts page: [ '111122223333', '123456789011' ] next: true",
		"caller: arn:aws:sts::123456789011:assumed-role/AWSReservedSSO_readOnly_",
		"bad device code -> InvalidGrantException 400 invalid_grant",
		"bad secret -> InvalidClientException 401 invalid_client",
		"tampered sts -> SignatureDoesNotMatch 403",
		"after logout -> UnauthorizedException 401",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
}
