package profiles

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/redact"
)

// Options are the dependencies and flags of `ssokit profiles`.
type Options struct {
	IO *iostreams.IOStreams
	// Config loads the shared config files.
	Config func() (*config.Config, error)

	// Output is "table" or "json".
	Output string
}

// NewCmd builds `ssokit profiles`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:     f.IOStreams,
		Config: f.Config,
	}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the profiles and sso-sessions in your AWS config files",
		Long: `List every profile in ~/.aws/config and ~/.aws/credentials (or the files
named by AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE), merged as the AWS
CLI merges them, and every [sso-session] section.

KIND says how a profile gets credentials, in the order the AWS CLI tries
them: assume-role (role_arn), sso-session (sso_session = NAME), sso (legacy:
sso_start_url in the profile), static (access keys), process
(credential_process), or other. DEFINED AT is the file and line of the
profile's header: in the config file when it has one, then in the
credentials file when that has one too (its keys win).

With --output json the document is:
  {"profiles": [{"name", "kind", "definedAt", "file", "line", "alsoAt",
                 "ssoSession", "ssoStartUrl", "ssoRegion", "ssoAccountId",
                 "ssoRoleName", "region"}],
   "ssoSessions": [{"name", "startUrl", "region", "scopes", "definedAt",
                    "file", "line"}]}
Every key is always present; a setting the profile does not have is null.`,
		Example: `  ssokit profiles
  ssokit profiles --output json | jq -r '.profiles[] | select(.kind == "sso-session") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch opts.Output {
			case "table", "json":
			default:
				return cmdutil.FlagErrorf("invalid --output %s: use table or json", redact.Quote(opts.Output))
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
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	list := collect(cfg)
	if opts.Output == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(list)
	} else if len(list.Profiles) == 0 && len(list.SSOSessions) == 0 {
		opts.IO.ErrPrintf("No profiles in %s or %s.\nTo add an SSO profile, run: ssokit configure\n", cfg.Paths().Config, cfg.Paths().Credentials)
	} else {
		err = writeTables(opts.IO.Out, list)
	}
	if n := len(cfg.Warnings()); n > 0 && err == nil {
		s := "s"
		if n == 1 {
			s = ""
		}
		opts.IO.ErrPrintf("note: the files have %d problem%s the AWS CLI may read differently; run: ssokit doctor\n", n, s)
	}
	return err
}

// listing is the --output json document.
type listing struct {
	Profiles    []profile    `json:"profiles"`
	SSOSessions []ssoSession `json:"ssoSessions"`
}

type profile struct {
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	DefinedAt    string   `json:"definedAt"`
	File         string   `json:"file"`
	Line         int      `json:"line"`
	AlsoAt       []string `json:"alsoAt"`
	SSOSession   *string  `json:"ssoSession"`
	SSOStartURL  *string  `json:"ssoStartUrl"`
	SSORegion    *string  `json:"ssoRegion"`
	SSOAccountID *string  `json:"ssoAccountId"`
	SSORoleName  *string  `json:"ssoRoleName"`
	Region       *string  `json:"region"`
}

type ssoSession struct {
	Name      string   `json:"name"`
	StartURL  *string  `json:"startUrl"`
	Region    *string  `json:"region"`
	Scopes    []string `json:"scopes"`
	DefinedAt string   `json:"definedAt"`
	File      string   `json:"file"`
	Line      int      `json:"line"`
}

// collect reads the values as written, without validating them: a listing
// must work on files that are not right yet (doctor says what is wrong).
func collect(cfg *config.Config) listing {
	l := listing{Profiles: []profile{}, SSOSessions: []ssoSession{}}
	for _, p := range cfg.Profiles() {
		get := func(key string) *string {
			if v, ok := p.Get(key); ok {
				return &v
			}
			return nil
		}
		loc, also := p.Location(), []string{}
		for _, at := range p.Locations()[1:] {
			also = append(also, at.String())
		}
		l.Profiles = append(l.Profiles, profile{
			Name: p.Name, Kind: p.Kind.String(), DefinedAt: loc.String(), File: loc.File, Line: loc.Line, AlsoAt: also,
			SSOSession: get(config.KeySSOSession), SSOStartURL: get(config.KeySSOStartURL), SSORegion: get(config.KeySSORegion),
			SSOAccountID: get(config.KeySSOAccountID), SSORoleName: get(config.KeySSORoleName), Region: get(config.KeyRegion),
		})
	}
	for _, name := range cfg.SSOSessionNames() {
		s := ssoSession{Name: name, Scopes: []string{}}
		loc, _ := cfg.SSOSessionLocation(name)
		s.DefinedAt, s.File, s.Line = loc.String(), loc.File, loc.Line
		if v, ok := cfg.SSOSessionValue(name, config.KeySSOStartURL); ok {
			s.StartURL = &v
		}
		if v, ok := cfg.SSOSessionValue(name, config.KeySSORegion); ok {
			s.Region = &v
		}
		if v, ok := cfg.SSOSessionValue(name, config.KeySSORegistrationScopes); ok {
			s.Scopes = append(s.Scopes, config.SplitScopes(v)...)
		}
		l.SSOSessions = append(l.SSOSessions, s)
	}
	return l
}

func writeTables(w io.Writer, l listing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(l.Profiles) > 0 {
		fmt.Fprintln(tw, "NAME\tKIND\tACCOUNT\tROLE\tSSO SESSION OR START URL\tDEFINED AT")
		for _, p := range l.Profiles {
			sso := p.SSOSession
			if sso == nil {
				sso = p.SSOStartURL
			}
			at := strings.Join(append([]string{p.DefinedAt}, p.AlsoAt...), ", ")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", cell(&p.Name), p.Kind, cell(p.SSOAccountID), cell(p.SSORoleName), cell(sso), at)
		}
	}
	if len(l.SSOSessions) > 0 {
		if len(l.Profiles) > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintln(tw, "SSO SESSION\tSTART URL\tSSO REGION\tDEFINED AT")
		for _, s := range l.SSOSessions {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cell(&s.Name), cell(s.StartURL), cell(s.Region), s.DefinedAt)
		}
	}
	return tw.Flush()
}

// cell shows an unset or empty value as "-" so columns stay readable, and
// keeps tabs and line breaks in a value from breaking the table.
func cell(v *string) string {
	if v == nil || *v == "" {
		return "-"
	}
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(*v)
}
