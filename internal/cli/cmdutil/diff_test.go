package cmdutil

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal files give no diff", "[default]\nregion = x\n", "[default]\nregion = x\n", ""},
		{"a new file is all additions", "", "[profile a]\nk = v\n", `--- a
+++ b
@@ -0,0 +1,2 @@
+[profile a]
+k = v
`},
		{"a removed section between kept ones shows three lines of context", `[default]
region = eu-west-1

[profile old]
sso_session = s
sso_role_name = R

[profile keep]
sso_session = s
`, `[default]
region = eu-west-1

[profile keep]
sso_session = s
`, `--- a
+++ b
@@ -1,9 +1,5 @@
 [default]
 region = eu-west-1
 
-[profile old]
-sso_session = s
-sso_role_name = R
-
 [profile keep]
 sso_session = s
`},
		{"changes far apart make two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n", `--- a
+++ b
@@ -1,5 +1,5 @@
 1
-2
+X
 3
 4
 5
@@ -8,5 +8,5 @@
 8
 9
 10
-11
+Y
 12
`},
		{"a missing final newline is marked", "a\nb", "a\nc", `--- a
+++ b
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+c
\ No newline at end of file
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := UnifiedDiff("a", "b", []byte(tt.a), []byte(tt.b))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiffLinesRebuildsTheNewFile checks on random edits of a config-like
// file that the edits, applied to a, give exactly b.
func TestDiffLinesRebuildsTheNewFile(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	section := func(n int) []string {
		return []string{fmt.Sprintf("[profile p%d]\n", n), "sso_session = s\n", fmt.Sprintf("sso_account_id = %d\n", n%7), "\n"}
	}
	for round := range 200 {
		var a, b []string
		for n := range 40 {
			s := section(n)
			switch r.IntN(6) {
			case 0: // only in a
				a = append(a, s...)
			case 1: // only in b
				b = append(b, s...)
			case 2: // changed key
				a = append(a, s...)
				s2 := append([]string(nil), s...)
				s2[2] = "sso_account_id = changed\n"
				b = append(b, s2...)
			default:
				a = append(a, s...)
				b = append(b, s...)
			}
		}
		var ops []edit
		diffLines(a, b, 0, 0, &ops)
		if got := apply(a, b, ops); !cmp.Equal(got, b) {
			t.Fatalf("round %d: applying the edits gives\n%s\nwant\n%s", round, strings.Join(got, ""), strings.Join(b, ""))
		}
	}
}

// apply rebuilds b from a and the edits (insertions take their text from b).
func apply(a, b []string, ops []edit) []string {
	var out []string
	i := 0
	for _, e := range ops {
		for i < e.ai {
			out = append(out, a[i])
			i++
		}
		if e.del {
			i++
		} else {
			out = append(out, b[e.bi])
		}
	}
	return append(out, a[i:]...)
}

func BenchmarkUnifiedDiffThousandsOfProfiles(b *testing.B) {
	var old, new strings.Builder
	for n := range 3000 {
		s := fmt.Sprintf("[profile p%d]\nsso_session = s\nsso_account_id = %012d\nsso_role_name = R\n\n", n, n)
		if n%10 != 0 {
			old.WriteString(s)
		}
		if n%7 != 0 {
			new.WriteString(s)
		}
	}
	for b.Loop() {
		UnifiedDiff("a", "b", []byte(old.String()), []byte(new.String()))
	}
}
