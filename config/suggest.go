package config

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// suggest returns the option closest to given when it is close enough to be
// a plausible typo, or "" otherwise. The threshold matches the one hclsyntax
// uses for its own "did you mean" hints, so all hints feel alike.
func suggest(given string, options []string) string {
	best, bestDist := "", 3
	for _, o := range options {
		if d := levenshtein.Distance(given, o, nil); d < bestDist {
			best, bestDist = o, d
		}
	}
	return best
}

// didYouMean formats suggest's answer as a sentence to append to a detail,
// or "" when nothing is close.
func didYouMean(given string, options []string) string {
	if s := suggest(given, options); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
