//go:build !unix

package config

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
