package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ssokit/ssokit/internal/redact"
)

// ProfileChainEnv is the variable through which nested credential exports
// see which profiles are already being resolved. The AWS CLI's
// `configure export-credentials` uses the same name and format (CSV), so a
// loop through both tools is caught by either.
const ProfileChainEnv = "_AWS_CLI_PROFILE_CHAIN"

// MaxProfileChain is how many profiles may already be in the chain: one
// for running the command by hand with a profile whose credential_process
// runs it again, plus padding, as the AWS CLI allows.
const MaxProfileChain = 4

// ProfileChainError reports a credential_process that resolves itself,
// directly or through other profiles. Its text is the AWS CLI's.
type ProfileChainError struct {
	// Seen are the profiles already in the chain, outermost first.
	Seen []string
	// Profile is the one being resolved now.
	Profile string
	// Cycle is true when Profile is already in Seen; false when the chain
	// is simply too long.
	Cycle bool
}

func (e *ProfileChainError) Error() string {
	if e.Cycle {
		return "Credential process resolution detected an infinite loop, profile cycle: " +
			strings.Join(append(slices.Clone(e.Seen), e.Profile), " -> ")
	}
	return fmt.Sprintf("Maximum recursive credential process resolution reached (%d).\nProfiles seen: %s",
		MaxProfileChain, strings.Join(e.Seen, " -> "))
}

// CheckProfileChain checks that resolving profile does not loop, given
// chain, the value of ProfileChainEnv ("" when unset). It returns the value
// to pass on to child processes: chain with profile appended.
func CheckProfileChain(chain, profile string) (next string, err error) {
	seen, err := parseChain(chain)
	if err != nil {
		return "", err
	}
	if len(seen) >= MaxProfileChain {
		return "", &ProfileChainError{Seen: seen, Profile: profile}
	}
	if slices.Contains(seen, profile) {
		return "", &ProfileChainError{Seen: seen, Profile: profile, Cycle: true}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(append(seen, profile)); err != nil {
		return "", fmt.Errorf("%s: %w", ProfileChainEnv, err)
	}
	w.Flush()
	return strings.TrimRight(b.String(), "\r\n"), nil
}

func parseChain(chain string) ([]string, error) {
	if chain == "" {
		return nil, nil
	}
	r := csv.NewReader(strings.NewReader(chain))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	seen, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s=%s: %w; unset it and try again", ProfileChainEnv, redact.Quote(chain), err)
	}
	return seen, nil
}
