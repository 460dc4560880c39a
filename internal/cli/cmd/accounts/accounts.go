package accounts

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	listing "github.com/ssokit/ssokit/accounts"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// Output formats of the accounts command.
var formats = []string{"table", "json", "csv"}

// Options are the accounts command's dependencies and flags.
type Options struct {
	Factory *cmdutil.Factory
	// ListerOptions tune the listing engine beyond --rate (tests).
	ListerOptions []func(*listing.Options)

	Profile    string
	SSOSession string
	Output     string
	Rate       float64
}

// NewCmd returns `ssokit accounts`. runF replaces the work in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Factory: f}
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "List every AWS account and role you can use",
		Long: `List every AWS account and role the SSO session lets you use, one line per
role. Uses the cached sign-in of the profile or sso-session; when it has
expired, a terminal offers to sign in, a script is told to run 'ssokit login'.

The profile is --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else
"default"; when none is named and "default" is not an SSO profile, the
config file's only [sso-session] is used (and named on stderr).

Organisations with thousands of accounts are listed under a client-side
rate limit (--rate), which eases off and retries when the portal throttles.`,
		Example: `  ssokit accounts --sso-session corp
  ssokit accounts --profile dev --output csv > roles.csv
  ssokit accounts --sso-session corp --output json | jq '.accounts[].accountId'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Profile != "" && opts.SSOSession != "" {
				return cmdutil.FlagErrorf("--profile and --sso-session cannot be used together: choose one")
			}
			if !contains(formats, opts.Output) {
				return cmdutil.OutputError(opts.Output, formats...)
			}
			if err := cmdutil.CheckRate(opts.Rate); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Profile, "profile", "p", "", "SSO profile whose session to list (default: $AWS_PROFILE, then default)")
	cmd.Flags().StringVar(&opts.SSOSession, "sso-session", "", "[sso-session] section to list")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "table", "output format: "+strings.Join(formats, ", "))
	cmd.Flags().Float64Var(&opts.Rate, "rate", listing.DefaultRequestsPerSecond, "most portal requests per second")
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	f := opts.Factory
	sess, err := f.Session(opts.Profile, opts.SSOSession)
	if err != nil {
		return err
	}
	// A person at the terminal is offered to sign in when the session
	// has expired; a script gets the sign-in-required error.
	tok, err := cmdutil.EnsureToken(ctx, f, sess)
	if err != nil {
		return err
	}
	bar := cmdutil.NewProgressBar(f)
	bar.Begin("Listing the accounts and roles of %s (at most %g requests per second)...", cmdutil.DescribeSession(sess.SSO()), opts.Rate)
	l := cmdutil.NewLister(sess, tok, append([]func(*listing.Options){func(o *listing.Options) {
		o.RequestsPerSecond = opts.Rate
		o.Progress = bar.Update
	}}, opts.ListerOptions...)...)
	accts, err := cmdutil.ListAll(ctx, sess, l)
	bar.Done()
	if err != nil {
		return err
	}
	listing.SortByName(accts)
	return write(f.IOStreams.Out, opts.Output, accts)
}

// accountsJSON is --output json: one object, so fields can be added.
type accountsJSON struct {
	Accounts []accountJSON `json:"accounts"`
}

// accountJSON is one account in --output json: the portal's member names,
// with the roles folded in.
type accountJSON struct {
	AccountID    string   `json:"accountId"`
	AccountName  string   `json:"accountName"`
	EmailAddress string   `json:"emailAddress"`
	Roles        []string `json:"roles"`
}

func write(w io.Writer, format string, accts []listing.Account) error {
	switch format {
	case "json":
		out := accountsJSON{Accounts: make([]accountJSON, len(accts))}
		for i, a := range accts {
			out.Accounts[i] = accountJSON{AccountID: a.ID, AccountName: a.Name, EmailAddress: a.Email, Roles: a.Roles}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"account_id", "account_name", "email", "role"})
		for _, a := range accts {
			for _, r := range a.Roles {
				_ = cw.Write([]string{a.ID, a.Name, a.Email, r})
			}
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACCOUNT ID\tACCOUNT NAME\tROLE\tEMAIL")
		for _, a := range accts {
			for _, r := range a.Roles {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, oneLine(a.Name), r, a.Email)
			}
		}
		return tw.Flush()
	}
}

// oneLine keeps a table row on one line whatever an account name holds.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
