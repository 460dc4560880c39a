package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ssokit/ssokit/internal/testutil/syncbuf"

	"golang.org/x/sys/unix"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/emulator"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/emulator/emulatortest"
	"github.com/ssokit/ssokit/emulator/storage/memory"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
	"github.com/ssokit/ssokit/tokencache"
)

// padSize is the size of what pads the file each command rewrites, so
// that the write takes long enough to be interrupted in the middle.
const padSize = 4 << 20

// padding is comment lines of about padSize bytes.
func padding() []byte {
	line := "# " + strings.Repeat("p", 76) + "\n"
	return bytes.Repeat([]byte(line), padSize/len(line))
}

// crashCommand is a command whose write of one file is interrupted.
type crashCommand struct {
	name string
	// args are the command's for trial n; consecutive trials change the file.
	args func(n int) []string
	// beforeRun, when set, runs before each run.
	beforeRun func(env *signedin.Env)
	// prepare pads the file the command rewrites and returns its path.
	prepare func(t *testing.T, env *signedin.Env) string
	// complete says whether the file is whole: the old one or a new one,
	// readable and with all of its padding.
	complete func(data []byte) bool
}

// regions alternate between runs, so that each run changes the file.
var regions = [2]string{"eu-west-1", "eu-west-2"}

func wholeINI(data []byte) bool {
	_, err := config.Parse("f", data)
	return err == nil && bytes.Contains(data, padding())
}

func crashCommands() []crashCommand {
	padINI := func(path string) func(t *testing.T, env *signedin.Env) string {
		return func(t *testing.T, env *signedin.Env) string {
			t.Helper()
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(padding(), old...), 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	return []crashCommand{
		{
			name: "sync",
			args: func(int) []string { return []string{"sync", "--profile", signedin.Profile} },
			// New role credentials each time: the cache would hand out the
			// same ones, and an unchanged file is not written.
			beforeRun: func(env *signedin.Env) { os.RemoveAll(filepath.Join(env.Home, ".aws", "cli", "cache")) },
			prepare: func(t *testing.T, env *signedin.Env) string {
				return padINI(env.CredentialsPath)(t, env)
			},
			complete: wholeINI,
		},
		{
			name: "populate",
			args: func(n int) []string {
				return []string{"populate", "--sso-session", signedin.Session, "--region", regions[n%2]}
			},
			prepare: func(t *testing.T, env *signedin.Env) string {
				return padINI(env.ConfigPath)(t, env)
			},
			complete: wholeINI,
		},
		{
			name: "configure",
			args: func(n int) []string {
				return []string{"configure", "sso", "--sso-session", signedin.Session, "--profile", "configured",
					"--account-id", directory.DemoAccount, "--role-name", directory.DemoRole, "--region", regions[n%2]}
			},
			prepare: func(t *testing.T, env *signedin.Env) string {
				return padINI(env.ConfigPath)(t, env)
			},
			complete: wholeINI,
		},
		{
			name: "login",
			args: func(int) []string {
				return []string{"login", "--profile", signedin.Profile, "--use-device-code", "--no-browser"}
			},
			prepare: func(t *testing.T, env *signedin.Env) string {
				t.Helper()
				// Fields other tools added to a token file are kept: a big
				// one makes the token's write a long one.
				cache := tokencache.New(tokencache.DefaultDir(env.Home))
				path := cache.TokenPath(signedin.Session)
				var m map[string]any
				data, err := os.ReadFile(path)
				if err != nil || json.Unmarshal(data, &m) != nil {
					t.Fatalf("read the token: %v", err)
				}
				m["padding"] = string(padding())
				data, _ = json.Marshal(m)
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			},
			complete: func(data []byte) bool {
				var tok struct {
					AccessToken, ExpiresAt, Padding string
				}
				return json.Unmarshal(data, &tok) == nil && tok.AccessToken != "" && tok.ExpiresAt != "" && tok.Padding == string(padding())
			},
		},
	}
}

// watchTemp reports, on the channel, the first temp file WriteAtomic
// creates next to path.
func watchTemp(t *testing.T, path string) (<-chan string, func()) {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := unix.InotifyAddWatch(fd, filepath.Dir(path), unix.IN_CREATE); err != nil {
		t.Fatal(err)
	}
	// Through the runtime's poller, so that Close ends a pending Read.
	f := os.NewFile(uintptr(fd), "inotify")
	prefix := "." + filepath.Base(path) + ".tmp-"
	found := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			for off := 0; off+unix.SizeofInotifyEvent <= n; {
				ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
				end := off + unix.SizeofInotifyEvent + int(ev.Len)
				if end > n {
					break
				}
				name := strings.TrimRight(string(buf[off+unix.SizeofInotifyEvent:end]), "\x00")
				if strings.HasPrefix(name, prefix) {
					select {
					case found <- name:
					default:
					}
				}
				off = end
			}
		}
	}()
	return found, func() { f.Close() }
}

func tempFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// The floor of interrupted writes: sync, populate, configure and login
// are each sent SIGKILL, SIGTERM or SIGHUP at the moment they write their
// file, 20 times for each signal. No file is ever left truncated, every
// temp file left behind is readable by its owner alone, and after the
// next command in that folder none is left. SIGTERM and SIGHUP end the
// write cleanly: they leave no temp file at all.
func TestSignalsAtTheMomentOfAWrite(t *testing.T) {
	bin := buildSSOKit(t)
	const trials = 20
	signals := []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGHUP}
	for _, c := range crashCommands() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Signed in on one emulator; commands talk to a second one on
			// the same store that approves sign-ins by itself.
			store := memory.New()
			env := signedin.New(t, func(o *emulator.Options) { o.Store = store })
			approving := emulatortest.NewServer(t, func(o *emulator.Options) { o.Store, o.AutoApprove = store, directory.DemoUser })
			for _, kv := range approving.Env() {
				k, v, _ := strings.Cut(kv, "=")
				env.Vars[k] = v
			}
			path := c.prepare(t, env)
			dir := filepath.Dir(path)
			// A first run, so that later ones rewrite the file the same
			// way each time (populate and configure add their profiles).
			run := func(n int) ([]byte, error) {
				if c.beforeRun != nil {
					c.beforeRun(env)
				}
				return runOnce(bin, env, c.args(n))
			}
			if out, err := run(1); err != nil {
				t.Fatalf("first run: %v\n%s", err, out)
			}
			for _, sig := range signals {
				hit, leftovers, truncated, exits := 0, 0, 0, map[int]int{}
				for trial := 0; trial < trials; trial++ {
					found, stop := watchTemp(t, path)
					if c.beforeRun != nil {
						c.beforeRun(env)
					}
					cmd := exec.Command(bin, c.args(trial)...)
					cmd.Env = processEnvOf(env)
					var stderr syncbuf.Buffer
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					select {
					case <-found:
						time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
						cmd.Process.Signal(sig)
						hit++
					case <-time.After(30 * time.Second):
						t.Fatalf("%s never wrote %s:\n%s", c.name, path, stderr.String())
					}
					err := cmd.Wait()
					stop()
					exits[exitCodeOf(err)]++
					if data, err := os.ReadFile(path); err != nil || !c.complete(data) {
						truncated++
						t.Errorf("%s trial %d: %s is not whole after the signal (%d bytes, %v)", sig, trial, path, len(data), err)
					}
					for _, name := range tempFilesIn(t, dir) {
						leftovers++
						fi, err := os.Stat(filepath.Join(dir, name))
						if err == nil && fi.Mode().Perm() != 0o600 {
							t.Errorf("%s trial %d: temp file %s has mode %04o", sig, trial, name, fi.Mode().Perm())
						}
						if sig != syscall.SIGKILL {
							t.Errorf("%s trial %d: a handled signal left the temp file %s", sig, trial, name)
						}
					}
					// The next command: the same one again, as a person would.
					if out, err := run(trial); err != nil {
						t.Fatalf("%s trial %d: the next %s: %v\n%s", sig, trial, c.name, err, out)
					}
					if left := tempFilesIn(t, dir); len(left) > 0 {
						t.Errorf("%s trial %d: temp files after the next command: %v", sig, trial, left)
					}
					if data, err := os.ReadFile(path); err != nil || !c.complete(data) {
						t.Errorf("%s trial %d: %s is not whole after the next command", sig, trial, path)
					}
				}
				line := fmt.Sprintf("%s, %s: %d of %d signals sent while the temp file existed; exit codes %v; %d truncated files; %d temp files left by the signalled process, 0 after the next command",
					c.name, unix.SignalName(sig), hit, trials, exits, truncated, leftovers)
				t.Log(line)
			}
		})
	}
}

func processEnvOf(env *signedin.Env) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "USERPROFILE=" + env.Home}, env.Environ()...)
}

func runOnce(bin string, env *signedin.Env, args []string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = processEnvOf(env)
	return cmd.CombinedOutput()
}

func exitCodeOf(err error) int {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exitErr.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
