package exec

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the child that exec runs: with
// SSOKIT_EXEC_HELPER set it plays the part named there and exits.
const helperEnv = "SSOKIT_EXEC_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helper(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// helperArgv is the command line that runs the helper in mode.
func helperArgv(t *testing.T, args ...string) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{exe}, args...)
}

func helper(mode string, args []string) int {
	switch mode {
	case "env":
		// Print the named variables, "NAME=value" or "NAME unset".
		for _, name := range args {
			if v, ok := os.LookupEnv(name); ok {
				fmt.Printf("%s=%s\n", name, v)
			} else {
				fmt.Printf("%s unset\n", name)
			}
		}
		return 0
	case "exit":
		code, _ := strconv.Atoi(args[0])
		fmt.Fprintln(os.Stderr, "exiting with", code)
		return code
	case "wait-signal":
		// Report each signal that arrives; exit 40+signal on SIGTERM.
		sigs := make(chan os.Signal, 4)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		fmt.Println("ready")
		timeout := time.After(10 * time.Second)
		var seen []string
		for {
			select {
			case sig := <-sigs:
				seen = append(seen, sig.String())
				if sig == syscall.SIGTERM {
					fmt.Println("got", strings.Join(seen, ","))
					return 40 + int(sig.(syscall.Signal))
				}
			case <-timeout:
				fmt.Println("timed out")
				return 99
			}
		}
	case "wait-interrupt":
		// Exit 42 on os.Interrupt (Ctrl-C, or Ctrl-Break on Windows).
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt)
		fmt.Println("ready")
		select {
		case <-sigs:
			return 42
		case <-time.After(20 * time.Second):
			fmt.Println("timed out")
			return 99
		}
	case "sdk":
		return sdkHelper(args)
	case "relay":
		// Play ssokit exec: run the rest of the command line as the child.
		env := append(os.Environ(), helperEnv+"="+args[0])
		code, err := runChild(args[1:], env, os.Stdin, os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 101
		}
		return code
	case "count-sigint":
		// Count the SIGINTs that arrive within half a second of the first.
		sigs := make(chan os.Signal, 8)
		signal.Notify(sigs, syscall.SIGINT)
		fmt.Println("ready")
		select {
		case <-sigs:
		case <-time.After(10 * time.Second):
			fmt.Println("timed out")
			return 99
		}
		n := 1
		for deadline := time.After(500 * time.Millisecond); ; {
			select {
			case <-sigs:
				n++
				continue
			case <-deadline:
			}
			break
		}
		fmt.Printf("sigint %d\n", n)
		return 0
	}
	fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
	return 100
}
