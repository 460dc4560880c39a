package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

	// Output is "table" or "json".
	Output string
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

With --output json, stdout is one object: the two files, and "findings",
each with file, line (0: the file as a whole), severity ("error"; "note"
for a legacy SSO profile or a file that does not exist), message and fix.

The exit code is 0 when nothing is wrong and 1 otherwise; notes do not
count.`,
		Example: `  ssokit doctor
  ssokit doctor --output json | jq '.findings[] | select(.severity == "error")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Output != "table" && opts.Output != "json" {
				return cmdutil.OutputError(opts.Output, "table", "json")
			}
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output format: table or json")
	return cmd
}

func run(opts *Options) error {
	paths, err := opts.Paths()
	if err != nil {
		return err
	}
	var missing []string
	for _, p := range []string{paths.Config, paths.Credentials} {
		if !opts.Exists(p) {
			missing = append(missing, p)
		}
	}
	problems := config.Check(paths)
	if opts.CacheDir != nil {
		if dir, err := opts.CacheDir(); err == nil {
			problems = append(problems, keyringProblems(paths, dir, opts.Getenv)...)
		}
	}
	notes := config.LegacySSONotes(paths)
	if opts.Output == "json" {
		if err := writeJSON(opts.IO.Out, paths, missing, problems, notes); err != nil {
			return err
		}
		if len(problems) > 0 {
			return cmdutil.ErrSilent
		}
		return nil
	}
	for _, p := range missing {
		opts.IO.ErrPrintf("note: %s does not exist\n", p)
	}
	w := opts.IO.Out
	for _, p := range problems {
		fmt.Fprintf(w, "%s: %s\n  fix: %s\n", p.Location, p.Message, p.Fix)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "%s: note: %s\n  fix: %s\n", n.Location, n.Message, migrateFix(n))
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

// migrateFix is what to do about a legacy SSO profile.
func migrateFix(n config.LegacySSONote) string {
	return fmt.Sprintf("run: ssokit configure migrate --profile %s, to %s", cmdutil.ShellQuote(n.Profile), n.Fix)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// finding is one entry of --output json.
type finding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

func writeJSON(w io.Writer, paths config.Paths, missing []string, problems []config.Problem, notes []config.LegacySSONote) error {
	out := struct {
		ConfigFile      string    `json:"configFile"`
		CredentialsFile string    `json:"credentialsFile"`
		Findings        []finding `json:"findings"`
	}{ConfigFile: paths.Config, CredentialsFile: paths.Credentials, Findings: []finding{}}
	for _, p := range missing {
		out.Findings = append(out.Findings, finding{File: p, Severity: "note", Message: "the file does not exist"})
	}
	for _, p := range problems {
		out.Findings = append(out.Findings, finding{File: p.Location.File, Line: p.Location.Line, Severity: "error", Message: p.Message, Fix: p.Fix})
	}
	for _, n := range notes {
		out.Findings = append(out.Findings, finding{File: n.Location.File, Line: n.Location.Line, Severity: "note", Message: n.Message,
			Fix: migrateFix(n)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
