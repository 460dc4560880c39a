package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestEditCreatesFileAndFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "home", ".aws", "config")
	err := Edit(context.Background(), path, func(f *File) error {
		s := f.AddSection(SSOSessionHeader("corp"))
		s.Set(KeySSOStartURL, "https://corp.awsapps.com/start")
		s.Set(KeySSORegion, "eu-west-1")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := string(mustRead(t, path))
	want := "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
	if got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if runtime.GOOS != "windows" {
		for p, mode := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
			if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
				t.Errorf("%s mode = %v, want %o", p, fi.Mode().Perm(), mode)
			}
		}
	}
}

func TestEditKeepsUntouchedBytesAndTheModeOfFilesWithoutSecrets(t *testing.T) {
	src := string(mustRead(t, filepath.Join("testdata", "crlf_credentials")))
	path := writeFile(t, t.TempDir(), "credentials", src)
	if runtime.GOOS != "windows" {
		os.Chmod(path, 0o640)
	}
	err := Edit(context.Background(), path, func(f *File) error {
		f.Section("sso-user-1").Set(KeySSOStartURL, "https://x.awsapps.com/start")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "[default]\r\naws_access_key_id = AKIDEXAMPLE\r\naws_secret_access_key = secret\r\n\r\n# VS toolkit style\r\n[sso-user-1]\r\nsso_start_url = https://x.awsapps.com/start\r\nsso_region = us-east-2\r\nsso_account_id = 123456789011\r\nsso_role_name = readOnly\r\nregion = us-west-2\r\n"
	if got := string(mustRead(t, path)); got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	// The file holds a secret key: it ends readable by its owner alone.
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %o, want 0600 for a file with secret keys", fi.Mode().Perm())
	}

	// A file without secrets keeps its own mode.
	cfg := writeFile(t, t.TempDir(), "config", "[default]\nregion = x\n")
	if runtime.GOOS != "windows" {
		os.Chmod(cfg, 0o640)
	}
	if err := Edit(context.Background(), cfg, func(f *File) error { f.Section("default").Set(KeyRegion, "y"); return nil }); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(cfg); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
		t.Errorf("mode = %o, want the file's own 0640 kept", fi.Mode().Perm())
	}
}

func TestEditWithoutChangeOrWithErrorDoesNotWrite(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "config", "[default]\nregion = x\n")
	before, _ := os.Stat(path)
	if err := Edit(context.Background(), path, func(f *File) error {
		f.Section("default").Set("region", "x")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := Edit(context.Background(), path, func(f *File) error {
		f.Section("default").Set("region", "changed")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want fn's error", err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || string(mustRead(t, path)) != "[default]\nregion = x\n" {
		t.Error("the file was rewritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if err := Edit(context.Background(), filepath.Join(dir, "none"), func(*File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Error("an edit that changed nothing created the file")
	}
}

func TestEditRefusesAFileItCannotRead(t *testing.T) {
	path := writeFile(t, t.TempDir(), "config", "region = x\n[default]\n")
	err := Edit(context.Background(), path, func(f *File) error {
		t.Error("fn must not run")
		return nil
	})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *ParseError", err)
	}
	if string(mustRead(t, path)) != "region = x\n[default]\n" {
		t.Error("the file changed")
	}
}

// Many editors at once, each adding its own profile: with the lock none of
// the additions is lost.
func TestConcurrentEditsLoseNothing(t *testing.T) {
	path := writeFile(t, t.TempDir(), "config", "# mine\n[default]\nregion = x\n")
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- Edit(context.Background(), path, func(f *File) error {
				f.AddSection(ProfileHeader(fmt.Sprintf("p%d", i), false)).Set(KeyRegion, "r")
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := Load(Paths{Config: path})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Profiles()); got != n+1 {
		t.Errorf("%d profiles, want %d", got, n+1)
	}
}

func TestEditCancelledWhileLocked(t *testing.T) {
	path := writeFile(t, t.TempDir(), "config", "")
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- Edit(context.Background(), path, func(*File) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Edit(ctx, path, func(*File) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestEditFollowsSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := writeFile(t, dir, "dotfiles-config", "[default]\nregion = x\n")
	link := filepath.Join(dir, "config")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Edit(context.Background(), link, func(f *File) error {
		f.Section("default").Set("region", "y")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if got := string(mustRead(t, target)); got != "[default]\nregion = y\n" {
		t.Errorf("target = %q", got)
	}
}

func TestValidateName(t *testing.T) {
	for name, ok := range map[string]bool{
		"dev": true, "my dev": true, "it's": true, "ünï": true, "default": true,
		"": false, "  ": false, "a\nb": false, "a\rb": false, "tab\tname": false, "DEFAULT": false,
	} {
		if err := ValidateName(name); (err == nil) != ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestPreviewWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "config", "# mine\r\n[default]\r\nregion = us-east-1\r\n")
	before, after, err := Preview(path, func(f *File) error {
		f.Section("default").Set("output", "json")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != "# mine\r\n[default]\r\nregion = us-east-1\r\n" || string(after) != "# mine\r\n[default]\r\nregion = us-east-1\r\noutput = json\r\n" {
		t.Errorf("before %q, after %q", before, after)
	}
	if got := string(mustRead(t, path)); got != string(before) {
		t.Errorf("the file changed to %q", got)
	}

	missing := filepath.Join(dir, "missing")
	before, after, err = Preview(missing, func(f *File) error { f.AddSection("default"); return nil })
	if err != nil || len(before) != 0 || string(after) != "[default]\n" {
		t.Errorf("a missing file: before %q, after %q, error %v", before, after, err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Preview created %s: %v", missing, err)
	}
	if _, _, err := Preview(path, func(*File) error { return errors.New("no") }); err == nil || err.Error() != "no" {
		t.Errorf("an error from fn comes back as is, got %v", err)
	}
}
