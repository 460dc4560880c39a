package exec

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestRunChildReturnsTheExitCode(t *testing.T) {
	for _, code := range []int{0, 1, 7, 255} {
		var out, errOut bytes.Buffer
		env := append(os.Environ(), helperEnv+"=exit")
		got, err := runChild(helperArgv(t, strconv.Itoa(code)), env, strings.NewReader(""), &out, &errOut)
		if err != nil {
			t.Fatal(err)
		}
		if got != code {
			t.Errorf("exit code %d, want %d", got, code)
		}
		if want := "exiting with " + strconv.Itoa(code) + "\n"; errOut.String() != want {
			t.Errorf("child stderr = %q, want %q", errOut.String(), want)
		}
	}
}

func TestRunChildUnknownCommand(t *testing.T) {
	_, err := runChild([]string{"ssokit-no-such-command"}, nil, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `command "ssokit-no-such-command" not found in PATH`) {
		t.Errorf("error = %v", err)
	}
}
