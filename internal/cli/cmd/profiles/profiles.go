package profiles

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
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
(credential_process), or other. For an assume-role profile, ACCOUNT and
ROLE are those of its role_arn, and the SSO column names the session its
source_profile chain ends in, with the profiles it goes through ("corp
(via hub)"). DEFINED AT is the file and line of the profile's header: in
the config file when it has one, then in the credentials file when that
has one too (its keys win).

With --output json the document is:
  {"profiles": [{"name", "kind", "definedAt", "file", "line", "alsoAt",
                 "ssoSession", "ssoStartUrl", "ssoRegion", "ssoAccountId",
                 "ssoRoleName", "region", "roleArn", "sourceProfile",
                 "chain"}],
   "ssoSessions": [{"name", "startUrl", "region", "scopes", "definedAt",
                    "file", "line"}]}
Every key is always present; a setting the profile does not have is null.
"chain" lists the profiles source_profile leads through, the profile's own
name first, as written (it stops at a loop or a profile that does not
exist); null for a profile without source_profile.`,
		Example: `  ssokit profiles
  ssokit profiles --output json | jq -r '.profiles[] | select(.kind == "sso-session") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch opts.Output {
			case "table", "json":
			default:
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
		opts.IO.ErrPrintf("No profiles in %s or %s.\nTo add an SSO profile, run: ssokit configure sso\n", cfg.Paths().Config, cfg.Paths().Credentials)
	} else {
		err = writeTables(opts.IO, list)
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
	RoleARN      *string  `json:"roleArn"`
	Source       *string  `json:"sourceProfile"`
	Chain        []string `json:"chain"`

	// via is the SSO session or start URL the chain ends in, for the table.
	via *string
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
		pr := profile{
			Name: p.Name, Kind: p.Kind.String(), DefinedAt: loc.String(), File: loc.File, Line: loc.Line, AlsoAt: also,
			SSOSession: get(config.KeySSOSession), SSOStartURL: get(config.KeySSOStartURL), SSORegion: get(config.KeySSORegion),
			SSOAccountID: get(config.KeySSOAccountID), SSORoleName: get(config.KeySSORoleName), Region: get(config.KeyRegion),
			RoleARN: get(config.KeyRoleARN), Source: get(config.KeySourceProfile),
		}
		if pr.Source != nil {
			var root *config.Profile
			pr.Chain, root = chainOf(cfg, p)
			if root != nil {
				if v, ok := root.Get(config.KeySSOSession); ok {
					pr.via = &v
				} else if v, ok := root.Get(config.KeySSOStartURL); ok {
					pr.via = &v
				}
			}
		}
		l.Profiles = append(l.Profiles, pr)
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

// chainOf follows source_profile from p as written, without judging it:
// the profiles passed through, p first, and the last one when it exists.
// A loop or a missing profile ends the chain.
func chainOf(cfg *config.Config, p *config.Profile) ([]string, *config.Profile) {
	chain := []string{p.Name}
	for cur := p; ; {
		next, ok := cur.Get(config.KeySourceProfile)
		if !ok || slices.Contains(chain, next) {
			return chain, cur
		}
		chain = append(chain, next)
		np, err := cfg.Profile(next)
		if err != nil {
			return chain, nil
		}
		cur = np
	}
}

// writeTables writes the profiles, then the sso-sessions, each table
// fitted to the terminal as every ssokit table is (cmdutil.Table).
func writeTables(ios *iostreams.IOStreams, l listing) error {
	if len(l.Profiles) > 0 {
		t := cmdutil.NewTable(ios)
		t.AddHeader("NAME", "KIND", "ACCOUNT", "ROLE", "SSO SESSION OR START URL", "DEFINED AT")
		for _, p := range l.Profiles {
			account, role, sso := cell(p.SSOAccountID), cell(p.SSORoleName), p.SSOSession
			if sso == nil {
				sso = p.SSOStartURL
			}
			ssoCell := cell(sso)
			if p.RoleARN != nil {
				account, role = roleCells(*p.RoleARN)
			}
			if len(p.Chain) > 1 {
				ssoCell = cell(p.via) + " (via " + strings.Join(p.Chain[1:], " -> ") + ")"
			}
			at := strings.Join(append([]string{p.DefinedAt}, p.AlsoAt...), ", ")
			for _, v := range []string{cell(&p.Name), p.Kind, account, role, ssoCell, at} {
				t.AddField(v)
			}
			t.EndRow()
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if len(l.SSOSessions) > 0 {
		if len(l.Profiles) > 0 {
			fmt.Fprintln(ios.Out)
		}
		t := cmdutil.NewTable(ios)
		t.AddHeader("SSO SESSION", "START URL", "SSO REGION", "DEFINED AT")
		for _, s := range l.SSOSessions {
			for _, v := range []string{cell(&s.Name), cell(s.StartURL), cell(s.Region), s.DefinedAt} {
				t.AddField(v)
			}
			t.EndRow()
		}
		return t.Render()
	}
	return nil
}

// roleCells are the account and role name of a role ARN
// (arn:aws:iam::ACCOUNT:role/PATH/NAME), or "-" and the value as written.
func roleCells(arn string) (account, role string) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 || f[0] != "arn" || !strings.HasPrefix(f[5], "role/") {
		return "-", cell(&arn)
	}
	name := f[5][strings.LastIndexByte(f[5], '/')+1:]
	return cell(&f[4]), cell(&name)
}

// cell shows an unset or empty value as "-" so columns stay readable, and
// keeps tabs and line breaks in a value from breaking the table.
func cell(v *string) string {
	if v == nil || *v == "" {
		return "-"
	}
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(*v)
}
