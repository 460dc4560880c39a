package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cobra"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/cli/prompter"
)

// The profile of the AWS Toolkit for Visual Studio documentation.
const (
	profileName = "sso-user-1"
	accountID   = "123456789011"
	roleName    = "readOnly"
	ssoRegion   = "us-east-2"
	region      = "us-west-2"
	demoUser    = "demo"
)

// RunFunc runs one ssokit command line against a Factory and returns its exit
// code; internal/cli/app passes its Run.
type RunFunc func(ctx context.Context, f *cmdutil.Factory, args []string) int

// Options for `ssokit demo`.
type Options struct {
	IO         *iostreams.IOStreams
	HTTPClient *http.Client
	// TempDir makes the demo's home folder; RemoveAll deletes it at the end.
	TempDir   func() (string, error)
	RemoveAll func(string) error
	Run       RunFunc

	// Keep leaves the temporary home folder in place and prints its path.
	Keep bool
}

// NewCmd builds `ssokit demo`; run executes the other commands in-process.
func NewCmd(f *cmdutil.Factory, run RunFunc, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO:         f.IOStreams,
		HTTPClient: f.HTTPClient,
		TempDir:    func() (string, error) { return os.MkdirTemp("", "ssokit-demo-") },
		RemoveAll:  os.RemoveAll,
		Run:        run,
	}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Show sign-in and credentials end to end on the built-in emulator",
		Long: `Runs the whole ssokit story against the built-in IAM Identity Center
emulator, in a temporary home folder: no AWS account, no network, and nothing
in your own ~/.aws is read or changed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDemo(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Keep, "keep", false, "keep the temporary home folder and print its path")
	return cmd
}

func runDemo(ctx context.Context, opts *Options) error {
	out := opts.IO.Out
	start := time.Now()
	st := &steps{w: out}

	home, err := opts.TempDir()
	if err != nil {
		return fmt.Errorf("create a temporary home folder for the demo: %w", err)
	}
	if opts.Keep {
		defer fmt.Fprintf(out, "\nThe demo's home folder is kept at %s\n", home)
	} else {
		defer opts.RemoveAll(home)
	}

	st.next("Start a local IAM Identity Center (the built-in emulator)")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	emu, err := emulator.Launch(ctx, emulator.Config{
		Addr:        "127.0.0.1:0",
		Region:      ssoRegion,
		Store:       emulator.StoreMemory,
		AutoApprove: demoUser,
		Logger:      discardLogger(),
	})
	if err != nil {
		return fmt.Errorf("start the emulator: %w", err)
	}
	defer emu.Close()
	fmt.Fprintf(out, "Listening on %s, start URL %s, SSO region %s.\n", emu.URL, emu.StartURL(), ssoRegion)
	fmt.Fprintf(out, "Every sign-in is approved as user %q, so no browser is needed.\n", demoUser)

	st.next("Write the SSO profile from the AWS Toolkit for Visual Studio docs")
	credsFile := filepath.Join(home, ".aws", "credentials")
	profile := fmt.Sprintf("[%s]\nsso_start_url = %s\nsso_region = %s\nsso_account_id = %s\nsso_role_name = %s\nregion = %s\n",
		profileName, emu.StartURL(), ssoRegion, accountID, roleName, region)
	if err := config.Edit(ctx, credsFile, func(f *config.File) error {
		s := f.AddSection(profileName)
		s.Set(config.KeySSOStartURL, emu.StartURL())
		s.Set(config.KeySSORegion, ssoRegion)
		s.Set(config.KeySSOAccountID, accountID)
		s.Set(config.KeySSORoleName, roleName)
		s.Set(config.KeyRegion, region)
		return nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s:\n%s", credsFile, indent(profile))

	f := demoFactory(opts, home, emu.URL)
	for _, args := range [][]string{
		{"login", "--profile", profileName},
		{"export", "--profile", profileName, "--output", "env"},
	} {
		if err := command(ctx, opts, st, f, args); err != nil {
			return err
		}
	}

	st.next("Prove the credentials are real: STS GetCallerIdentity through aws-sdk-go-v2")
	sess, err := f.Session(profileName, "")
	if err != nil {
		return err
	}
	provider := credentials.New(sess)
	client := sts.New(sts.Options{
		Region:       region,
		BaseEndpoint: aws.String(sess.SSO().Endpoints.STS),
		Credentials:  aws.NewCredentialsCache(provider),
		HTTPClient:   opts.HTTPClient,
	})
	id, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("call STS GetCallerIdentity at %s: %w", sess.SSO().Endpoints.STS, err)
	}
	fmt.Fprintf(out, "Account: %s\nArn:     %s\n", aws.ToString(id.Account), aws.ToString(id.Arn))

	if err := command(ctx, opts, st, f, []string{"status"}); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nDone in %d ms. With a real start URL, the same commands sign you in to AWS.\n", time.Since(start).Milliseconds())
	return nil
}

// command runs one ssokit command line as the next step, showing it as typed.
func command(ctx context.Context, opts *Options, st *steps, f *cmdutil.Factory, args []string) error {
	st.next("$ ssokit " + strings.Join(args, " "))
	if code := opts.Run(ctx, f, args); code != 0 {
		return fmt.Errorf("`ssokit %s` exited with code %d", strings.Join(args, " "), code)
	}
	return nil
}

// demoFactory is the Factory the demo's commands see: the temporary home
// folder, an environment that holds only the emulator's endpoints (so the
// user's AWS_PROFILE and friends cannot leak in), and a "browser" that just
// follows the URL, which the auto-approving emulator answers at once.
func demoFactory(opts *Options, home, url string) *cmdutil.Factory {
	env := map[string]string{}
	for _, kv := range emulator.Env(url) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return &cmdutil.Factory{
		IOStreams:  opts.IO,
		Getenv:     func(k string) string { return env[k] },
		Environ:    func() []string { return emulator.Env(url) },
		HomeDir:    func() (string, error) { return home, nil },
		Now:        time.Now,
		Browser:    followBrowser{client: opts.HTTPClient},
		Prompter:   prompter.New(opts.IO.In, opts.IO.ErrOut, os.Getenv), // the real terminal
		HTTPClient: opts.HTTPClient,
		Executable: os.Executable,
	}
}

type followBrowser struct{ client *http.Client }

func (b followBrowser) Open(url string) error {
	resp, err := b.client.Get(url)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// steps numbers the demo's steps as they are shown.
type steps struct {
	w io.Writer
	n int
}

func (s *steps) next(title string) {
	s.n++
	fmt.Fprintf(s.w, "\n[%d] %s\n", s.n, title)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
