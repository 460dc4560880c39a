package cmdutil

import (
	"fmt"
	"sort"
	"strings"
)

// UnifiedDiff returns the changes from a to b in unified format with three
// lines of context, or "" when they are equal.
//
// Lines are matched by patience diff: lines that occur once on each side
// (section headers, in a config file) anchor the match, and the gaps between
// anchors are small enough for a plain longest-common-subsequence table.
// That keeps a diff of thousands of profiles fast and readable.
func UnifiedDiff(aName, bName string, a, b []byte) string {
	al, bl := splitLines(string(a)), splitLines(string(b))
	var ops []edit
	diffLines(al, bl, 0, 0, &ops)
	if len(ops) == 0 {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	writeHunks(&out, al, bl, ops)
	return out.String()
}

// edit is one changed line: a line of a deleted (del) or a line of b
// inserted (!del), with its index on that side.
type edit struct {
	del bool
	ai  int // position in a (for an insertion: before which line of a)
	bi  int // position in b (for a deletion: before which line of b)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines appends the edits turning a into b; ao and bo are the offsets of
// a and b in the whole files.
func diffLines(a, b []string, ao, bo int, ops *[]edit) {
	// Common prefix and suffix are never part of the diff.
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b, ao, bo = a[1:], b[1:], ao+1, bo+1
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	switch {
	case len(a) == 0 && len(b) == 0:
		return
	case len(a) == 0 || len(b) == 0:
		replace(a, b, ao, bo, ops)
		return
	}
	anchors := uniqueAnchors(a, b)
	if len(anchors) == 0 {
		lcsDiff(a, b, ao, bo, ops)
		return
	}
	pi, pj := 0, 0
	for _, m := range anchors {
		diffLines(a[pi:m[0]], b[pj:m[1]], ao+pi, bo+pj, ops)
		pi, pj = m[0]+1, m[1]+1
	}
	diffLines(a[pi:], b[pj:], ao+pi, bo+pj, ops)
}

func replace(a, b []string, ao, bo int, ops *[]edit) {
	for i := range a {
		*ops = append(*ops, edit{del: true, ai: ao + i, bi: bo})
	}
	for j := range b {
		*ops = append(*ops, edit{ai: ao + len(a), bi: bo + j})
	}
}

// uniqueAnchors pairs lines that occur exactly once in a and once in b, and
// keeps the longest run of pairs in the same order on both sides.
func uniqueAnchors(a, b []string) [][2]int {
	type seen struct{ na, nb, ia, ib int }
	count := map[string]*seen{}
	for i, l := range a {
		s := count[l]
		if s == nil {
			s = &seen{}
			count[l] = s
		}
		s.na++
		s.ia = i
	}
	for j, l := range b {
		if s := count[l]; s != nil {
			s.nb++
			s.ib = j
		}
	}
	var pairs [][2]int
	for _, s := range count {
		if s.na == 1 && s.nb == 1 {
			pairs = append(pairs, [2]int{s.ia, s.ib})
		}
	}
	sort.Slice(pairs, func(x, y int) bool { return pairs[x][0] < pairs[y][0] })
	return longestIncreasing(pairs)
}

// longestIncreasing returns the longest subsequence of pairs (sorted by
// their first member) whose second members increase (patience sorting).
func longestIncreasing(pairs [][2]int) [][2]int {
	if len(pairs) == 0 {
		return nil
	}
	var tails []int // index into pairs of the smallest tail of each length
	prev := make([]int, len(pairs))
	for k, p := range pairs {
		n := sort.Search(len(tails), func(x int) bool { return pairs[tails[x]][1] >= p[1] })
		prev[k] = -1
		if n > 0 {
			prev[k] = tails[n-1]
		}
		if n == len(tails) {
			tails = append(tails, k)
		} else {
			tails[n] = k
		}
	}
	out := make([][2]int, len(tails))
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k, i = k-1, prev[i] {
		out[k] = pairs[i]
	}
	return out
}

// maxLCSCells bounds the table of lcsDiff; larger gaps without any anchor
// are shown as a plain replacement, which is still a correct diff.
const maxLCSCells = 1 << 20

func lcsDiff(a, b []string, ao, bo int, ops *[]edit) {
	n, m := len(a), len(b)
	if n*m > maxLCSCells {
		replace(a, b, ao, bo, ops)
		return
	}
	// t[i][j] = length of the LCS of a[i:] and b[j:].
	t := make([][]int32, n+1)
	for i := range t {
		t[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case i < n && (j == m || t[i+1][j] >= t[i][j+1]):
			*ops = append(*ops, edit{del: true, ai: ao + i, bi: bo + j})
			i++
		default:
			*ops = append(*ops, edit{ai: ao + i, bi: bo + j})
			j++
		}
	}
}

// writeHunks prints the edits as unified hunks. Edits arrive in file order.
func writeHunks(out *strings.Builder, a, b []string, ops []edit) {
	const context = 3
	for start := 0; start < len(ops); {
		// A hunk takes edits while the unchanged gap between them is at
		// most twice the context.
		end := start + 1
		for end < len(ops) && gap(ops[end-1], ops[end]) <= 2*context {
			end++
		}
		first, last := ops[start], ops[end-1]
		a0 := max(first.ai-context, 0)
		b0 := max(first.bi-context, 0)
		lastA, lastB := last.ai, last.bi
		if last.del {
			lastA++
		} else {
			lastB++
		}
		a1 := min(lastA+context, len(a))
		b1 := min(lastB+context, len(b))
		fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(a0, a1-a0), hunkRange(b0, b1-b0))
		i, j := a0, b0
		for _, e := range ops[start:end] {
			for i < e.ai && j < e.bi {
				line(out, ' ', a[i])
				i, j = i+1, j+1
			}
			if e.del {
				line(out, '-', a[i])
				i++
			} else {
				line(out, '+', b[j])
				j++
			}
		}
		for i < a1 && j < b1 {
			line(out, ' ', a[i])
			i, j = i+1, j+1
		}
		start = end
	}
}

// gap is the number of unchanged lines between two consecutive edits.
func gap(x, y edit) int {
	ax := x.ai
	if x.del {
		ax++
	}
	return y.ai - ax
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func line(out *strings.Builder, mark byte, text string) {
	out.WriteByte(mark)
	out.WriteString(strings.TrimSuffix(text, "\n"))
	out.WriteByte('\n')
	if !strings.HasSuffix(text, "\n") {
		out.WriteString("\\ No newline at end of file\n")
	}
}
