package tokencache

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"
)

// The helper process takes the lock for a key, says so on stdout and holds
// it until it is killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("TOKENCACHE_LOCK_HELPER_DIR"); dir != "" {
		if _, err := New(dir).Lock(context.Background(), os.Getenv("TOKENCACHE_LOCK_HELPER_KEY")); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(1)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestLockExcludesOtherProcessesAndSurvivesACrash(t *testing.T) {
	c, _ := newCache(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TOKENCACHE_LOCK_HELPER_DIR="+c.Dir(), "TOKENCACHE_LOCK_HELPER_KEY=my-sso")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper did not take the lock: %q, %v", line, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if unlock, err := c.Lock(ctx, "my-sso"); err == nil {
		unlock()
		t.Fatal("took a lock another process holds")
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}

	// Another key is independent.
	unlock, err := c.Lock(context.Background(), "other")
	if err != nil {
		t.Fatal(err)
	}
	unlock()

	// The holder dies without unlocking: the lock must come free.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	unlock, err = c.Lock(ctx2, "my-sso")
	if err != nil {
		t.Fatalf("lock left by a dead process not recovered: %v", err)
	}
	unlock()
	if _, err := os.Stat(c.TokenPath("my-sso") + ".lock"); err != nil {
		t.Errorf("the lock file sits beside the token: %v", err)
	}
}
