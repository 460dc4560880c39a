package app

import (
	"runtime/debug"
	"strings"
)

// version is stamped at build time by the release script:
//
//	go build -ldflags "-X github.com/ssokit/ssokit/internal/cli/app.version=v1.2.3" ./cmd/ssokit
//
// A build without it reports what the Go toolchain recorded instead (see
// formatVersion).
var version string

// versionString is what `ssokit --version` prints after "ssokit version ".
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return formatVersion(version, info)
}

// formatVersion picks the most precise version a build carries: the
// stamped one; else the main module's version, which `go install
// …@v1.2.3` records, as does `go build` in a git checkout (a pseudo-version
// naming the commit, +dirty when it had changes); else the commit
// recorded by an older toolchain. A build with none of these (-buildvcs=false
// outside a module download) says so, with the Go version, rather than
// claim a version it does not have.
func formatVersion(stamped string, info *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if info == nil {
		return "(devel, no build information)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, when string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	parts := []string{"(devel)"}
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		if modified {
			revision += "-dirty"
		}
		parts = append(parts, revision)
		if when != "" {
			parts = append(parts, "("+when+")")
		}
	}
	if info.GoVersion != "" {
		parts = append(parts, info.GoVersion)
	}
	return strings.Join(parts, " ")
}
