package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
)

// Closest orders candidates by closeness to s and returns at most n of
// them: candidates that contain s, or that s contains, first, then by edit
// distance, all compared case-insensitively; ties by name. It is the one
// ranking behind every hint that names what was probably meant: the "did
// you mean" of a misspelt value here, and the offices, attributes and
// companies the plan engine lists closest first.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		name string
		rank int // 0 for a partial match, 1 otherwise
		dist int
	}
	ls := strings.ToLower(s)
	sc := make([]scored, len(candidates))
	for i, c := range candidates {
		lc := strings.ToLower(c)
		rank := 1
		if ls != "" && (strings.Contains(lc, ls) || strings.Contains(ls, lc)) {
			rank = 0
		}
		sc[i] = scored{c, rank, levenshtein.Distance(ls, lc, nil)}
	}
	slices.SortStableFunc(sc, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.dist, b.dist), strings.Compare(a.name, b.name))
	})
	out := make([]string, 0, min(n, len(sc)))
	for _, x := range sc[:min(n, len(sc))] {
		out = append(out, x.name)
	}
	return out
}

// maxTypoDistance is the edit distance below which an option counts as a
// plausible typo of what was written. It matches the threshold hclsyntax
// uses for its own "did you mean" hints, so that all hints feel alike.
const maxTypoDistance = 3

// didYouMean names the option closest to given (see Closest) among those
// close enough to be a plausible typo, as a sentence to append to a
// detail, or "" when nothing is close.
func didYouMean(given string, options []string) string {
	lg := strings.ToLower(given)
	for _, o := range Closest(given, options, len(options)) {
		if levenshtein.Distance(lg, strings.ToLower(o), nil) < maxTypoDistance {
			return fmt.Sprintf(" Did you mean %q?", o)
		}
	}
	return ""
}
