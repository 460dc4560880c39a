//go:build !unix

package emulator_test

import "time"

// processCPU is not measured here; the benchmark then omits its CPU metric.
func processCPU() time.Duration { return 0 }
