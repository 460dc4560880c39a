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
//
// -f is a flag of its own, not --format's shorthand, so that the note
// names what was typed: pflag does not tell which form set a flag.
type OldOutputFlag struct{ long, short string }

// oldOutputShort is the long name of the flag behind -f; typed as --f it
// reads as -f.
const oldOutputShort = "f"

// AddTo adds --format and -f to fs.
func (o *OldOutputFlag) AddTo(fs *pflag.FlagSet) {
	fs.StringVar(&o.long, "format", "", "old name of --output")
	fs.StringVarP(&o.short, oldOutputShort, "f", "", "old name of -o")
	// Hidden, not MarkDeprecated: pflag's deprecation note goes to the
	// command's output, which is stdout, and `eval "$(ssokit export
	// --format env)"` would run it.
	_ = fs.MarkHidden("format")
	_ = fs.MarkHidden(oldOutputShort)
}

// Resolve sets *output from -f or --format when only the old name was
// given, noting the new name on stderr in the form typed, and refuses old
// and new names given different values.
func (o *OldOutputFlag) Resolve(fs *pflag.FlagSet, ios *iostreams.IOStreams, output *string) error {
	type given struct{ name, value string }
	var old []given
	if fs.Changed("format") {
		old = append(old, given{"--format", o.long})
	}
	if fs.Changed(oldOutputShort) {
		old = append(old, given{"-f", o.short})
	}
	if len(old) == 0 {
		return nil
	}
	for _, g := range old {
		if fs.Changed("output") && *output != g.value {
			return FlagErrorf("%s is the old name of --output: give one of them, not --output %s and %s %s", g.name, redact.Quote(*output), g.name, redact.Quote(g.value))
		}
		if g.value != old[0].value {
			return FlagErrorf("%s and %s are old names of --output: give one of them, not %s %s and %s %s", old[0].name, g.name, old[0].name, redact.Quote(old[0].value), g.name, redact.Quote(g.value))
		}
	}
	*output = old[0].value
	for _, g := range old {
		ios.ErrPrintf("note: %s is now -o/--output; %s keeps working\n", g.name, g.name)
	}
	return nil
}
