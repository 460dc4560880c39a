package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssokit/ssokit/internal/testutil/tempdir"
)

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"dev", "dev", 0},
		{"deve", "dev", 1},
		{"dve", "dev", 1}, // a swap of neighbours is one edit
		{"prdo", "prod", 1},
		{"stagin", "staging", 1},
		{"nope", "dev", 3}, // past the limit of 2
		{"a", "abcdef", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, 2); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestResolveSSOSuggestsSimilarProfiles(t *testing.T) {
	cfgPath := writeFile(t, tempdir.New(t), "config", "[profile dev]\nsso_session = s\n[profile develop]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n[profile Stage]\nregion = us-east-1\n[profile qa]\nregion = us-east-1\n")
	cfg, err := Load(Paths{Config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want []string
	}{
		{"deve", []string{"dev", "develop"}},
		{"prdo", []string{"prod"}},
		{"stage", []string{"Stage"}}, // case is ignored
		{"nope", nil},
		{"q", nil}, // one letter is too little to guess from
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cfg.ResolveSSO(tt.name, nil)
			nf, ok := err.(*ProfileNotFoundError)
			if !ok {
				t.Fatalf("error = %v, want a *ProfileNotFoundError", err)
			}
			if diff := cmp.Diff(tt.want, nf.Similar); diff != "" {
				t.Errorf("Similar (-want +got):\n%s", diff)
			}
		})
	}
}

// The message says where the name came from, unless the caller named it.
func TestProfileNotFoundSaysWhereTheNameCameFrom(t *testing.T) {
	paths := Paths{Config: "/h/.aws/config", Credentials: "/h/.aws/credentials"}
	tests := []struct {
		source ProfileSource
		want   string
	}{
		{SourceCaller, `profile "nope" is not defined in /h/.aws/config or /h/.aws/credentials`},
		{SourceEnvProfile, `profile "nope" (from AWS_PROFILE) is not defined in /h/.aws/config or /h/.aws/credentials`},
		{SourceEnvDefaultProfile, `profile "nope" (from AWS_DEFAULT_PROFILE) is not defined in`},
		{SourceDefault, `profile "nope" (the default: no profile was named) is not defined in`},
	}
	for _, tt := range tests {
		got := (&ProfileNotFoundError{Profile: "nope", Paths: paths, Source: tt.source}).Error()
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("source %q: %q, want it to start %q", tt.source, got, tt.want)
		}
	}
}

func TestSelectProfileSource(t *testing.T) {
	tests := []struct {
		name       string
		flag       string
		env        map[string]string
		wantName   string
		wantSource ProfileSource
	}{
		{"the flag wins", "dev", map[string]string{"AWS_PROFILE": "x"}, "dev", SourceCaller},
		{"AWS_PROFILE", "", map[string]string{"AWS_PROFILE": "x", "AWS_DEFAULT_PROFILE": "y"}, "x", SourceEnvProfile},
		{"AWS_DEFAULT_PROFILE", "", map[string]string{"AWS_DEFAULT_PROFILE": "y"}, "y", SourceEnvDefaultProfile},
		{"nothing", "", nil, "default", SourceDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, source := SelectProfileSource(tt.flag, func(k string) string { return tt.env[k] })
			if name != tt.wantName || source != tt.wantSource {
				t.Errorf("= %q, %q; want %q, %q", name, source, tt.wantName, tt.wantSource)
			}
		})
	}
}
