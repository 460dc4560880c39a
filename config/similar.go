package config

import (
	"sort"
	"strings"
)

// SimilarProfiles lists the defined profiles whose names are close to
// name, nearest first: a few typed characters away (an edit distance of
// at most 2, and less than the name's length, ignoring case), or names
// that start with it. At most three.
func (c *Config) SimilarProfiles(name string) []string {
	type near struct {
		name string
		dist int
	}
	var found []near
	lower := strings.ToLower(name)
	for candidate := range c.profiles {
		if candidate == name {
			continue
		}
		lc := strings.ToLower(candidate)
		d := editDistance(lower, lc, 2)
		switch {
		case d <= 2 && d < len([]rune(name)):
		case len(name) >= 3 && strings.HasPrefix(lc, lower):
			d = 3
		default:
			continue
		}
		found = append(found, near{candidate, d})
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		return found[i].name < found[j].name
	})
	var names []string
	for i := 0; i < len(found) && i < 3; i++ {
		names = append(names, found[i].name)
	}
	return names
}

// editDistance is the number of single-character insertions, deletions,
// substitutions or swaps of neighbours that turn a into b, or limit+1 when
// it is more than limit (counting stops there).
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	// Three rows of the table: two back (for swaps), one back, this one.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}
