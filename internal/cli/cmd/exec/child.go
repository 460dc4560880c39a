package exec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	osexec "os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/ssokit/ssokit/internal/cli/cmdutil"
)

// runChild runs argv with env and the given streams, relays the signals
// meant for it, and returns its exit code. A child killed by a signal gets
// 128+signal, as a shell reports it; a command that cannot be found or
// started is a *cmdutil.ExitCodeError with a shell's code, 127 or 126.
//
// While the child runs, ssokit catches the signals that would otherwise end
// it first (Ctrl-C, SIGTERM, SIGHUP) and passes each on, except those the
// terminal already sent to the child: Ctrl-C reaches the whole foreground
// process group, and a second copy would turn a graceful stop into a hard
// one in tools such as Terraform.
func runChild(argv, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	path, err := lookCommand(argv[0])
	if err != nil {
		return 0, err
	}
	cmd := osexec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr

	// Catch from before the start, so no signal falls in between; those that
	// arrive early wait in the channel.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, relayedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		// Found but not startable: a binary for another system, a script
		// without its interpreter line, no permission.
		return 0, &cmdutil.ExitCodeError{Code: cmdutil.ExitCannotRun, Err: fmt.Errorf("cannot run %s: %w", argv[0], err)}
	}
	done := make(chan struct{})
	relayed := make(chan struct{})
	go func() {
		defer close(relayed)
		for {
			select {
			case sig := <-sigs:
				if !deliveredByTerminal(sig) {
					_ = cmd.Process.Signal(sig)
				}
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	<-relayed
	var exitErr *osexec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 0, fmt.Errorf("run %s: %w", argv[0], err)
	}
	return exitCode(cmd.ProcessState), nil
}

// lookCommand finds name as a shell would, failing with a shell's exit
// code and a message that says what to do: 127 when there is no such
// command, 126 when there is one that cannot be run.
func lookCommand(name string) (string, error) {
	path, err := osexec.LookPath(name)
	if err == nil {
		return path, nil
	}
	notFound := func(format string, a ...any) error {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitNotFound, Err: fmt.Errorf(format, a...)}
	}
	cannotRun := func(format string, a ...any) error {
		return &cmdutil.ExitCodeError{Code: cmdutil.ExitCannotRun, Err: fmt.Errorf(format, a...)}
	}
	switch {
	case errors.Is(err, osexec.ErrNotFound) && strings.ContainsAny(name, `/`+string(filepath.Separator)):
		// A path, which Windows tries with each PATHEXT extension.
		if _, statErr := os.Stat(name); statErr == nil {
			return "", cannotRun("command %q is not executable: %s", name, notExecutableFix())
		}
		return "", notFound("command %q not found: there is no such file", name)
	case errors.Is(err, osexec.ErrNotFound):
		if file := nonExecutableInPath(name); file != "" {
			return "", cannotRun("command %q is %s, which is not executable: %s", name, file, notExecutableFix())
		}
		return "", notFound("command %q not found in PATH: check its spelling or give its full path", name)
	case errors.Is(err, fs.ErrNotExist):
		return "", notFound("command %q not found: there is no such file", name)
	case errors.Is(err, fs.ErrPermission):
		return "", cannotRun("command %q is not executable: %s", name, notExecutableFix())
	case errors.Is(err, syscall.EISDIR):
		return "", cannotRun("command %q is a folder, not a program", name)
	}
	return "", cannotRun("command %q: %w", name, err)
}

// notExecutableFix says how to run a file that is not executable. Windows
// has no executable bit: it runs files by their extension, and may refuse
// a user by the file's access list.
func notExecutableFix() string {
	if runtime.GOOS == "windows" {
		return "Windows runs files whose extension is in PATHEXT (.exe, .cmd, .bat, ...): run it with its interpreter, or check its permissions under Properties > Security"
	}
	return "make it executable (chmod +x) or run it with its interpreter"
}

// nonExecutableInPath is the first file called name in a PATH folder, for
// a name LookPath did not find because no such file is executable; "" when
// there is none. A shell reports such a file with exit code 126.
func nonExecutableInPath(name string) string {
	if runtime.GOOS == "windows" || strings.ContainsRune(name, filepath.Separator) {
		return ""
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			continue
		}
		file := filepath.Join(dir, name)
		if fi, err := os.Stat(file); err == nil && fi.Mode().IsRegular() {
			return file
		}
	}
	return ""
}
