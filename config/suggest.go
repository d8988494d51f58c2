package config

import (
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
		name    string
		partial bool
		dist    int
	}
	ls := strings.ToLower(s)
	sc := make([]scored, len(candidates))
	for i, c := range candidates {
		lc := strings.ToLower(c)
		partial := ls != "" && (strings.Contains(lc, ls) || strings.Contains(ls, lc))
		sc[i] = scored{c, partial, levenshtein.Distance(ls, lc, nil)}
	}
	slices.SortStableFunc(sc, func(a, b scored) int {
		switch {
		case a.partial != b.partial:
			if a.partial {
				return -1
			}
			return 1
		case a.dist != b.dist:
			return a.dist - b.dist
		}
		return strings.Compare(a.name, b.name)
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

// suggest returns the option closest to given (see Closest) among those
// close enough to be a plausible typo, or "" when there is none.
func suggest(given string, options []string) string {
	lg := strings.ToLower(given)
	for _, o := range Closest(given, options, len(options)) {
		if levenshtein.Distance(lg, strings.ToLower(o), nil) < maxTypoDistance {
			return o
		}
	}
	return ""
}

// didYouMean formats suggest's answer as a sentence to append to a detail,
// or "" when nothing is close.
func didYouMean(given string, options []string) string {
	if s := suggest(given, options); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
