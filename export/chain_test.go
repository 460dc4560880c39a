package export

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckProfileChain(t *testing.T) {
	tests := []struct {
		name    string
		chain   string
		profile string
		want    string
		wantErr string
	}{
		{name: "an empty chain starts with the profile", chain: "", profile: "dev", want: "dev"},
		{name: "a new profile is appended", chain: "foo,bar", profile: "baz", want: "foo,bar,baz"},
		{name: "three seen profiles still leave room", chain: "a,b,c", profile: "d", want: "a,b,c,d"},
		{
			name: "a profile seen before is a cycle, in the CLI's words", chain: "a,b", profile: "a",
			wantErr: "Credential process resolution detected an infinite loop, profile cycle: a -> b -> a",
		},
		{
			name: "the same profile nested once is a cycle", chain: "default", profile: "default",
			wantErr: "Credential process resolution detected an infinite loop, profile cycle: default -> default",
		},
		{
			name: "four seen profiles is the limit, in the CLI's words", chain: "a,b,c,d", profile: "e",
			wantErr: "Maximum recursive credential process resolution reached (4).\nProfiles seen: a -> b -> c -> d",
		},
		{name: "a profile with a comma is quoted as CSV", chain: "x", profile: "my,profile", want: `x,"my,profile"`},
		{name: "a quoted name in the chain is read as one profile", chain: `"my,profile"`, profile: "my", want: `"my,profile",my`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckProfileChain(tt.chain, tt.profile)
			if tt.wantErr != "" {
				var pce *ProfileChainError
				if !errors.As(err, &pce) {
					t.Fatalf("error = %v, want *ProfileChainError", err)
				}
				if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
					t.Errorf("message (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("next chain = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckProfileChainFollowsANestedRun(t *testing.T) {
	// Each level passes its result on through the environment, as a
	// credential_process that runs ssokit again would.
	chain := ""
	var err error
	for _, p := range []string{"a", "b", "c", "d"} {
		if chain, err = CheckProfileChain(chain, p); err != nil {
			t.Fatalf("profile %s: %v", p, err)
		}
	}
	if _, err := CheckProfileChain(chain, "e"); err == nil {
		t.Fatal("a fifth level passed the guard")
	}
}
