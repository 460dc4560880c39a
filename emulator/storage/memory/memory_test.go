package memory_test

import (
	"testing"

	"github.com/ssokit/ssokit/emulator/storage"
	"github.com/ssokit/ssokit/emulator/storage/conformance"
	"github.com/ssokit/ssokit/emulator/storage/memory"
)

func TestConformance(t *testing.T) {
	conformance.Run(t, func(*testing.T) storage.Storage { return memory.New() })
}
