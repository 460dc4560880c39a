package cmdutil

import (
	"math"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/redact"
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

// OldOutputFlag is the old name of a command's --output, -f/--format,
// kept working for scripts and hidden from help. Add it with AddTo, then
// call Resolve before using the --output value.
type OldOutputFlag struct{ value string }

// AddTo adds --format (-f) to fs.
func (o *OldOutputFlag) AddTo(fs *pflag.FlagSet) {
	fs.StringVarP(&o.value, "format", "f", "", "old name of --output")
	// Hidden, not MarkDeprecated: pflag's deprecation note goes to the
	// command's output, which is stdout, and `eval "$(ssokit export
	// --format env)"` would run it.
	_ = fs.MarkHidden("format")
}

// Resolve sets *output from --format when only the old name was given,
// noting the new name on stderr, and refuses the two names with different
// values.
func (o *OldOutputFlag) Resolve(fs *pflag.FlagSet, ios *iostreams.IOStreams, output *string) error {
	if !fs.Changed("format") {
		return nil
	}
	if fs.Changed("output") && *output != o.value {
		return FlagErrorf("--format is the old name of --output: give one of them, not --output %s and --format %s", redact.Quote(*output), redact.Quote(o.value))
	}
	*output = o.value
	ios.ErrPrintf("note: --format is now -o/--output; --format keeps working\n")
	return nil
}
