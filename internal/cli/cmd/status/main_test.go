package status

import (
	"os"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ssokitbin.Cleanup()
	os.Exit(code)
}
