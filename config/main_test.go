package config

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

// The test binary doubles as a separate process that edits a file, for the
// cross-process lock test.
func TestMain(m *testing.M) {
	if spec := os.Getenv("SSOKIT_CONFIG_EDIT_HELPER"); spec != "" {
		path, name, _ := strings.Cut(spec, "|")
		err := Edit(context.Background(), path, func(f *File) error {
			f.AddSection(ProfileHeader(name, false)).Set(KeyRegion, "eu-west-1")
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Processes editing one file at once each add their profile; with the lock
// none is lost and the user's own lines stay.
func TestConcurrentProcessesLoseNothing(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	const mine = "# my notes\n[default]\nregion = us-east-1 ; closest\n"
	path := writeFile(t, tempdir.New(t), "config", mine)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), fmt.Sprintf("SSOKIT_CONFIG_EDIT_HELPER=%s|proc%d", path, i))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("process %d: %v: %s", i, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	data := string(mustRead(t, path))
	if !strings.HasPrefix(data, mine) {
		t.Errorf("the user's lines changed:\n%s", data)
	}
	c, err := Load(Paths{Config: path})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := c.Profile(fmt.Sprintf("proc%d", i)); err != nil {
			t.Errorf("lost an edit: %v", err)
		}
	}
}
