package app

import (
	"os/exec"
	"runtime/debug"
	"testing"

	"github.com/ssokit/ssokit/internal/testutil/ssokitbin"
)

func TestFormatVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{name: "a stamped version wins over everything",
			stamped: "v1.4.0", info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}},
			want: "v1.4.0"},
		{name: "go install of a tagged version",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}},
			want: "v1.3.0"},
		{name: "go build in a checkout: the pseudo-version names the commit",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201100000-0123456789ab+dirty"},
				Settings: vcs("vcs.revision", rev, "vcs.modified", "true")},
			want: "v0.0.0-20261201100000-0123456789ab+dirty"},
		{name: "no module version: the commit, short, with its time",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "false")},
			want: "(devel) 0123456789ab (2026-12-01T10:00:00Z) go1.26.8"},
		{name: "a commit with changes on top is dirty",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "true")},
			want: "(devel) 0123456789ab-dirty (2026-12-01T10:00:00Z) go1.26.8"},
		{name: "-buildvcs=false: only the Go version is known",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: "(devel) go1.26.8"},
		{name: "no build information at all",
			want: "(devel, no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatVersion(tt.stamped, tt.info); got != tt.want {
				t.Errorf("formatVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionStampedAtBuild builds the binary as the release script does,
// with the version set by -ldflags -X, and asks it for its version.
func TestVersionStampedAtBuild(t *testing.T) {
	bin := ssokitbin.Build(t, "-ldflags", "-X github.com/ssokit/ssokit/internal/cli/app.version=v9.8.7-test")
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("ssokit --version: %v\n%s", err, out)
	}
	if got, want := string(out), "ssokit version v9.8.7-test\n"; got != want {
		t.Errorf("ssokit --version printed %q, want %q", got, want)
	}
}
