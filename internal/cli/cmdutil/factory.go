package cmdutil

import (
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/ssokit/ssokit/export"
	"github.com/ssokit/ssokit/internal/cli/browser"
	"github.com/ssokit/ssokit/internal/cli/iostreams"
	"github.com/ssokit/ssokit/internal/cli/prompter"
	"github.com/ssokit/ssokit/tokencache"
)

// Factory carries the side effects a command may use. Commands copy what they
// need into their Options; tests build a Factory of their own.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Getenv reads an environment variable.
	Getenv func(string) string
	// Environ lists the environment as KEY=VALUE strings (for exec).
	Environ func() []string
	// HomeDir is the user's home folder (where .aws lives).
	HomeDir func() (string, error)
	// Now is the clock.
	Now func() time.Time
	// Keyring is where sessions with keyring storage keep their refresh
	// token and client registration; nil means the OS keyring.
	Keyring tokencache.Keyring
	// Browser opens URLs for the user.
	Browser browser.Opener
	// Prompter asks the user questions; only used when IOStreams.CanPrompt.
	Prompter prompter.Prompter
	// HTTPClient is used for every call to AWS or the emulator.
	HTTPClient *http.Client
	// Executable is the path of the running ssokit binary.
	Executable func() (string, error)
	// GOOS is the operating system whose conventions printed shell lines
	// follow (runtime.GOOS; tests set another).
	GOOS string
}

// Shell is the syntax of the shell lines ssokit prints for a person to
// paste or run: PowerShell on Windows, sh elsewhere (export.ShellFormat).
func (f *Factory) Shell() export.Format { return export.ShellFormat(f.GOOS, f.Getenv) }

// New returns the Factory of the real process.
func New() *Factory {
	ios := iostreams.System()
	return &Factory{
		IOStreams:  ios,
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		HomeDir:    os.UserHomeDir,
		Now:        time.Now,
		Browser:    browser.System{BrowserEnv: os.Getenv("BROWSER")},
		Prompter:   prompter.New(ios.In, ios.ErrOut, os.Getenv),
		HTTPClient: NewHTTPClient(os.Getenv),
		Executable: os.Executable,
		GOOS:       runtime.GOOS,
	}
}
