package config

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultPaths(t *testing.T) {
	home := filepath.Join(string(filepath.Separator)+"home", "u")
	tests := []struct {
		name string
		env  map[string]string
		want Paths
	}{
		{"defaults under the home folder", nil,
			Paths{Config: filepath.Join(home, ".aws", "config"), Credentials: filepath.Join(home, ".aws", "credentials")}},
		{"variables win, ~ expanded", map[string]string{"AWS_CONFIG_FILE": "~/cfg/aws", "AWS_SHARED_CREDENTIALS_FILE": "/etc/creds"},
			Paths{Config: filepath.Join(home, "cfg", "aws"), Credentials: "/etc/creds"}},
		{"$VAR and ${VAR} expanded, unknown ones kept", map[string]string{"AWS_CONFIG_FILE": "$BASE/${SUB}/$NOPE/config", "BASE": "/srv", "SUB": "x"},
			Paths{Config: "/srv/x/$NOPE/config", Credentials: filepath.Join(home, ".aws", "credentials")}},
		{"a lone ~", map[string]string{"AWS_SHARED_CREDENTIALS_FILE": "~"},
			Paths{Config: filepath.Join(home, ".aws", "config"), Credentials: home}},
		{"~user is not expanded", map[string]string{"AWS_CONFIG_FILE": "~bob/config"},
			Paths{Config: "~bob/config", Credentials: filepath.Join(home, ".aws", "credentials")}},
	}
	for _, tt := range tests {
		got := DefaultPaths(func(k string) string { return tt.env[k] }, home)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
	if runtime.GOOS == "windows" {
		got := DefaultPaths(func(k string) string {
			return map[string]string{"AWS_CONFIG_FILE": `%APPDATA%\aws\config`, "APPDATA": `C:\Users\u\AppData`}[k]
		}, `C:\Users\u`)
		if got.Config != `C:\Users\u\AppData\aws\config` {
			t.Errorf("%%VAR%% not expanded on Windows: %s", got.Config)
		}
	}
}

func TestSelectProfile(t *testing.T) {
	tests := []struct {
		name string
		flag string
		env  map[string]string
		want string
	}{
		{"the flag first", "f", map[string]string{"AWS_PROFILE": "p", "AWS_DEFAULT_PROFILE": "d"}, "f"},
		{"then AWS_PROFILE", "", map[string]string{"AWS_PROFILE": "p", "AWS_DEFAULT_PROFILE": "d"}, "p"},
		{"then AWS_DEFAULT_PROFILE", "", map[string]string{"AWS_DEFAULT_PROFILE": "d"}, "d"},
		{"an empty variable is unset", "", map[string]string{"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "d"}, "d"},
		{"then default", "", nil, "default"},
	}
	for _, tt := range tests {
		if got := SelectProfile(tt.flag, func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
