package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/tokencache"
)

// Options are the dependencies of `ssokit doctor`.
type Options struct {
	IO *iostreams.IOStreams
	// Paths finds the two shared files.
	Paths func() (config.Paths, error)
	// Exists reports whether a file exists, for a note about a missing one.
	Exists func(path string) bool
	// CacheDir is the SSO token cache folder, checked for secrets that
	// sessions with keyring storage keep out of files; nil skips the check.
	CacheDir func() (string, error)
	Getenv   func(string) string
}

// NewCmd builds `ssokit doctor`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams,
		Paths: func() (config.Paths, error) {
			home, err := f.HomeDir()
			if err != nil {
				return config.Paths{}, fmt.Errorf("find your home folder: %w", err)
			}
			return config.DefaultPaths(f.Getenv, home), nil
		},
		Exists: func(path string) bool {
			_, err := os.Stat(path)
			return !errors.Is(err, fs.ErrNotExist)
		},
		CacheDir: func() (string, error) {
			home, err := f.HomeDir()
			if err != nil {
				return "", err
			}
			return tokencache.DefaultDir(home), nil
		},
		Getenv: f.Getenv,
	}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check your AWS config and credentials files for problems",
		Long: `Check ~/.aws/config and ~/.aws/credentials (or the files named by
AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE) the way the AWS CLI reads
them, and print each problem as "file:line: problem" with the fix under it.

It finds lines the AWS CLI cannot read, sections and keys written twice,
[profile NAME] in the credentials file, SSO profiles that do not resolve
(missing or empty keys, a missing sso-session, values that disagree with the
sso-session), sso_start_url that is not https, an sso_account_id that is not 12 digits,
static keys mixed with SSO keys, half a pair of static keys, and role_arn
without source_profile or credential_source (or the other way round),
a source_profile naming no profile, or a chain of them that loops; and a
file with secret keys that other users can read; and, for sessions that
keep their secrets in the OS keyring (ssokit_token_storage = keyring), a
file in the SSO token cache that still holds a refresh token or a client
secret.

It also notes legacy SSO profiles (sso_start_url in the profile, no
sso_session): they work, but sign in with a device code and cannot refresh
their token, so their user signs in again every few hours. 'ssokit
configure migrate' turns them into profiles using an [sso-session].

The exit code is 0 when nothing is wrong and 1 otherwise; notes do not
count.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	return cmd
}

func run(opts *Options) error {
	paths, err := opts.Paths()
	if err != nil {
		return err
	}
	for _, p := range []string{paths.Config, paths.Credentials} {
		if !opts.Exists(p) {
			opts.IO.ErrPrintf("note: %s does not exist\n", p)
		}
	}
	problems := config.Check(paths)
	if opts.CacheDir != nil {
		if dir, err := opts.CacheDir(); err == nil {
			problems = append(problems, keyringProblems(paths, dir, opts.Getenv)...)
		}
	}
	notes := config.LegacySSONotes(paths)
	w := opts.IO.Out
	for _, p := range problems {
		fmt.Fprintf(w, "%s: %s\n  fix: %s\n", p.Location, p.Message, p.Fix)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "%s: note: %s\n  fix: run: ssokit configure migrate --profile %s, to %s\n",
			n.Location, n.Message, cmdutil.ShellQuote(n.Profile), n.Fix)
	}
	noted := ""
	if len(notes) > 0 {
		noted = ", " + count(len(notes), "note")
	}
	if len(problems) == 0 {
		fmt.Fprintf(w, "no problems found in %s and %s%s\n", paths.Config, paths.Credentials, noted)
		return nil
	}
	fmt.Fprintf(w, "%s found%s\n", count(len(problems), "problem"), noted)
	return cmdutil.ErrSilent
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
