package exec

import (
	"errors"
	"fmt"
	"io"
	"os"
	osexec "os/exec"
	"os/signal"
)

// runChild runs argv with env and the given streams, relays the signals
// meant for it, and returns its exit code. A child killed by a signal gets
// 128+signal, as a shell reports it.
//
// While the child runs, ssokit catches the signals that would otherwise end
// it first (Ctrl-C, SIGTERM, SIGHUP) and passes each on, except those the
// terminal already sent to the child: Ctrl-C reaches the whole foreground
// process group, and a second copy would turn a graceful stop into a hard
// one in tools such as Terraform.
func runChild(argv, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	path, err := osexec.LookPath(argv[0])
	if err != nil {
		if errors.Is(err, osexec.ErrNotFound) {
			return 0, fmt.Errorf("command %q not found in PATH: check its spelling or give its full path", argv[0])
		}
		return 0, fmt.Errorf("command %q: %w", argv[0], err)
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
		return 0, fmt.Errorf("start %s: %w", argv[0], err)
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
