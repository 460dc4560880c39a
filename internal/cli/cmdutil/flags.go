package cmdutil

import (
	"math"
	"unicode/utf8"

	"github.com/spf13/pflag"
)

// Bounds of --rate, the portal requests per second of a listing: below
// the minimum a listing would sit silent for minutes per request; above
// the maximum no limit is left (the real service allows about 20).
const (
	MinRate = 0.1
	MaxRate = 1000
)

// CheckRate is the check of a --rate flag: a number of requests per second
// from MinRate to MaxRate (not NaN, not infinite).
func CheckRate(v float64) error {
	if math.IsNaN(v) || v < MinRate || v > MaxRate {
		return FlagErrorf("--rate %v: want a number of requests per second from %g to %g", v, float64(MinRate), float64(MaxRate))
	}
	return nil
}

// MaxFlagValue is the longest value a flag takes, in characters: longer
// is a mistake (a file pasted in place of a name), and would fill the
// terminal when a message quotes it.
const MaxFlagValue = 4096

// CheckFlagLengths refuses a flag set on the command line with a value
// longer than MaxFlagValue, naming the flag, not quoting the value.
func CheckFlagLengths(fs *pflag.FlagSet) error {
	var err error
	fs.Visit(func(f *pflag.Flag) {
		if n := utf8.RuneCountInString(f.Value.String()); err == nil && n > MaxFlagValue {
			err = FlagErrorf("--%s: a value of %d characters is longer than any it takes (at most %d)", f.Name, n, MaxFlagValue)
		}
	})
	return err
}
