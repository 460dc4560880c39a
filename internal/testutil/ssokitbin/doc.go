// Package ssokitbin builds the ssokit command for tests that run it as a
// separate process, as a user's shell or an AWS SDK's credential_process
// would.
//
// Path builds github.com/ssokit/ssokit/cmd/ssokit on its first call and
// returns the same binary to every later call in the test binary. The
// build inherits the environment as it is (GOFLAGS, CGO_ENABLED, ...), so
// it uses the build cache entries of the test run instead of compiling
// every package again under another configuration. Path skips the test
// with -short and when the go command is not on PATH.
// SSOKIT_TEST_BINARY names a binary to use instead of building one.
//
// A package using Path removes the build at the end of its TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		ssokitbin.Cleanup()
//		os.Exit(code)
//	}
//
//	bin := ssokitbin.Path(t)
//	out, err := exec.Command(bin, "credential-process", "--profile", "dev").Output()
package ssokitbin
