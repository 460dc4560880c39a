package emulator

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/oidc"
	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
)

// Options are the dependencies and flags of `ssokit emulator`.
type Options struct {
	IO      *iostreams.IOStreams
	Getenv  func(string) string
	HomeDir func() (string, error)
	Now     func() time.Time
	// Context ends the emulator when cancelled (Ctrl-C).
	Context context.Context
	// GOOS picks the user cache folder convention for the default --db, and
	// with Getenv the shell syntax of the printed environment lines.
	GOOS string

	Config  emulator.Config
	Verbose bool
	// PrintDirectory prints the directory as YAML instead of serving it.
	PrintDirectory bool
}

// NewCmd builds `ssokit emulator`; runF replaces run in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:      f.IOStreams,
		Getenv:  f.Getenv,
		HomeDir: f.HomeDir,
		Now:     f.Now,
		GOOS:    runtime.GOOS,
	}
	c := &opts.Config
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local IAM Identity Center for testing, with no AWS account",
		Long: `Run a local AWS IAM Identity Center: the SSO OIDC and SSO portal APIs,
STS GetCallerIdentity and AssumeRole, console federation, and the sign-in and
approval pages, all on one port. The AWS CLI, the SDKs and ssokit use it unmodified once
AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_STS point
at it (the command prints the lines to paste, and a config block).

Without --directory it serves a built-in organisation: user "demo" (password
printed at start, or --demo-password) with role readOnly in account
123456789011 and more, plus "alice" (with a TOTP second factor) and "bob",
and the IAM roles arn:aws:iam::210987654321:role/Admin, which that readOnly
role may assume, and arn:aws:iam::210987654321:role/NoTrust, which it may not.
--generate-accounts builds a large organisation for scale tests instead.

Tokens and role credentials are kept in a SQLite file (--db) so they keep
working after a restart; --store memory forgets them. As on the real service,
an access token that comes with a refresh token lives an hour (--token-ttl),
and refreshing works until the session ends (--session-duration, 8 hours).

--tls serves HTTPS with a certificate from a CA made at start and written to
--ca-file; the printed AWS_CA_BUNDLE line makes clients trust it. The emulator
listens on 127.0.0.1 only unless --allow-remote is given.

Fault flags make the APIs slow, flaky or rate limited, to test retries.`,
		Example: `  # The demo organisation, approving every sign-in as "demo" without pages
  ssokit emulator --auto-approve demo

  # Start a directory file from the demo one, then serve it on any free port
  ssokit emulator --print-directory > org.yaml
  ssokit emulator --addr 127.0.0.1:0 --store memory --directory org.yaml

  # HTTPS, with the CA written where AWS_CA_BUNDLE (printed) points
  ssokit emulator --tls

  # 2000 accounts with 5 roles each, 50 ms latency, 2% errors, 20 requests/s
  ssokit emulator --generate-accounts 2000 --roles-per-account 5 \
      --latency 50ms --error-rate 0.02 --rate-limit 20`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Context = cmd.Context()
			if err := validate(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return run(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&c.Addr, "addr", emulator.DefaultAddr, "address to listen on (port 0 picks a free port)")
	fl.BoolVar(&c.AllowRemote, "allow-remote", false, "allow an --addr other machines can reach (not 127.0.0.1 or localhost)")
	fl.BoolVar(&c.TLS, "tls", false, "serve HTTPS with a CA made at start; clients trust it through AWS_CA_BUNDLE")
	fl.StringVar(&c.CAFile, "ca-file", "", "where --tls writes the CA certificate (default in your user cache folder)")
	fl.StringSliceVar(&c.TLSHosts, "tls-host", nil, "more host `names` the --tls certificate covers, e.g. oidc.us-east-1.amazonaws.com")
	fl.StringVar(&c.StartURL, "start-url", emulator.DefaultStartURL, "the portal start URL clients configure")
	fl.StringVar(&c.Region, "region", emulator.DefaultRegion, "the SSO region clients configure")
	fl.StringVar(&c.DirectoryFile, "directory", "", "YAML `file` of users, groups, accounts, permission sets, assignments and IAM roles")
	fl.StringVar(&c.Store, "store", emulator.StoreSQLite, "where state is kept: sqlite or memory")
	fl.StringVar(&c.DBPath, "db", "", "SQLite database `file` (default in your user cache folder)")
	fl.StringVar(&c.AutoApprove, "auto-approve", "", "approve every sign-in as this `user`, with no pages")
	fl.StringVar(&c.DemoPassword, "demo-password", "", "password of user demo in the built-in directory (default random)")
	fl.IntVar(&c.GenerateAccounts, "generate-accounts", 0, "serve a generated organisation of `N` accounts, all assigned to demo")
	fl.IntVar(&c.RolesPerAccount, "roles-per-account", 1, "roles in each generated account")
	fl.DurationVar(&c.Faults.Latency, "latency", 0, "delay added to every API response")
	fl.DurationVar(&c.Faults.Jitter, "jitter", 0, "random extra delay, up to this much")
	fl.Float64Var(&c.Faults.ErrorRate, "error-rate", 0, "fraction (0..1) of API requests answered with 500 or 503")
	fl.Float64Var(&c.Faults.RateLimit, "rate-limit", 0, "API requests per second before throttling (OIDC SlowDownException, portal TooManyRequestsException); the real service allows about 20 (0: no limit)")
	fl.DurationVar(&c.AccessTokenTTL, "token-ttl", oidc.DefaultAccessTokenTTL, "lifetime of access tokens that come with a refresh token")
	fl.DurationVar(&c.SessionDuration, "session-duration", oidc.DefaultSessionDuration, "how long a sign-in lasts: refresh fails after it, and tokens without a refresh token live this long")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "log every API request on stderr")
	fl.BoolVar(&opts.PrintDirectory, "print-directory", false, "print the directory as YAML (a start for a --directory file) and exit")
	return cmd
}

func validate(opts *Options) error {
	c := opts.Config
	switch {
	case c.Store != emulator.StoreSQLite && c.Store != emulator.StoreMemory:
		return cmdutil.FlagErrorf("invalid --store %q: use sqlite or memory", c.Store)
	case c.Store == emulator.StoreMemory && c.DBPath != "":
		return cmdutil.FlagErrorf("--db only applies to --store sqlite")
	case !c.AllowRemote && !emulator.LoopbackAddr(c.Addr):
		return cmdutil.FlagErrorf("--addr %s can be reached from other machines: add --allow-remote if that is what you want, or listen on 127.0.0.1", c.Addr)
	case !c.TLS && (c.CAFile != "" || len(c.TLSHosts) > 0):
		return cmdutil.FlagErrorf("--ca-file and --tls-host only apply with --tls")
	case c.DirectoryFile != "" && c.GenerateAccounts > 0:
		return cmdutil.FlagErrorf("use --directory or --generate-accounts, not both")
	case c.DirectoryFile != "" && c.DemoPassword != "":
		return cmdutil.FlagErrorf("--demo-password only applies to the built-in directory; set passwords in %s", c.DirectoryFile)
	case c.GenerateAccounts < 0 || c.RolesPerAccount < 1:
		return cmdutil.FlagErrorf("--generate-accounts must be 0 or more and --roles-per-account 1 or more")
	case c.Faults.ErrorRate < 0 || c.Faults.ErrorRate > 1:
		return cmdutil.FlagErrorf("invalid --error-rate %v: use a fraction from 0 to 1", c.Faults.ErrorRate)
	case c.Faults.RateLimit < 0 || c.Faults.Latency < 0 || c.Faults.Jitter < 0:
		return cmdutil.FlagErrorf("--rate-limit, --latency and --jitter cannot be negative")
	case c.AccessTokenTTL < time.Minute:
		return cmdutil.FlagErrorf("--token-ttl %s is too short: use at least 1m", c.AccessTokenTTL)
	case c.SessionDuration < time.Minute:
		return cmdutil.FlagErrorf("--session-duration %s is too short: use at least 1m", c.SessionDuration)
	}
	return nil
}

func run(opts *Options) error {
	cfg := opts.Config
	if opts.PrintDirectory {
		dir, err := cfg.Directory()
		if err != nil {
			return err
		}
		data, err := dir.YAML()
		if err != nil {
			return fmt.Errorf("write the directory as YAML: %w", err)
		}
		_, err = opts.IO.Out.Write(data)
		return err
	}
	cfg.Now = opts.Now
	if cfg.Store == emulator.StoreSQLite && cfg.DBPath == "" {
		cache, err := userCacheDir(opts.GOOS, opts.Getenv, opts.HomeDir)
		if err != nil {
			return fmt.Errorf("find a folder for the emulator database (or pass --db): %w", err)
		}
		cfg.DBPath = emulator.DefaultDBPath(cache)
	}
	if cfg.TLS && cfg.CAFile == "" {
		cache, err := userCacheDir(opts.GOOS, opts.Getenv, opts.HomeDir)
		if err != nil {
			return fmt.Errorf("find a folder for the CA certificate (or pass --ca-file): %w", err)
		}
		cfg.CAFile = emulator.DefaultCAPath(cache)
	}
	if opts.Verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(opts.IO.ErrOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	inst, err := emulator.Launch(ctx, cfg)
	if err != nil {
		return err
	}
	if err := writeBanner(inst, opts); err != nil {
		_ = inst.Close()
		return err
	}
	if err := inst.Wait(); err != nil {
		return err
	}
	opts.IO.ErrPrintf("Emulator stopped. To use real AWS again in a shell where you set its variables, run:\n  %s\n", unsetLine(export.ShellFormat(opts.GOOS, opts.Getenv), envNames(inst.Env())))
	return nil
}

// writeBanner prints how to use inst: the environment lines to stdout, in
// the user's shell syntax, the rest to stderr.
func writeBanner(inst *emulator.Instance, opts *Options) error {
	shell := export.ShellFormat(opts.GOOS, opts.Getenv)
	configFile := "~/.aws/config"
	if opts.GOOS == "windows" {
		configFile = `%USERPROFILE%\.aws\config`
	}
	var err error
	inst.WriteBanner(opts.IO.ErrOut, func(env []string) {
		vars := make([]string, 0, 2*len(env))
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			vars = append(vars, k, v)
		}
		err = export.WriteVars(opts.IO.Out, shell, vars...)
	}, configFile)
	return err
}

// unsetLine is the one line that removes names from the environment of a
// shell that reads format.
func unsetLine(format export.Format, names []string) string {
	if format == export.FormatEnv {
		return "unset " + strings.Join(names, " ")
	}
	cmds := make([]string, len(names))
	for i, name := range names {
		cmds[i] = export.UnsetCommand(format, name)
	}
	return strings.Join(cmds, "; ")
}

// envNames are the names of NAME=VALUE pairs.
func envNames(env []string) []string {
	names := make([]string, len(env))
	for i, e := range env {
		names[i], _, _ = strings.Cut(e, "=")
	}
	return names
}

// userCacheDir follows os.UserCacheDir's conventions with injected
// environment and home folder.
func userCacheDir(goos string, getenv func(string) string, homeDir func() (string, error)) (string, error) {
	switch goos {
	case "windows":
		if dir := getenv("LocalAppData"); dir != "" {
			return dir, nil
		}
		return "", fmt.Errorf("%%LocalAppData%% is not set")
	case "darwin", "ios":
		home, err := homeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Caches"), nil
	default:
		if dir := getenv("XDG_CACHE_HOME"); filepath.IsAbs(dir) {
			return dir, nil
		}
		home, err := homeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".cache"), nil
	}
}
