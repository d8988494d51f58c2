package views

import "github.com/gridwork/gridsync/internal/words"

// Count writes n, with thousands separators, and the noun that goes with
// it: "1 employee", "0 offices", "1,240 employees". It is how the CLI
// writes a number of things.
func Count(n int, one, many string) string { return words.Count(n, one, many) }

// number writes n with thousands separators, as Count does, for numbers
// in sentences whose noun comes later or not at all. Table cells keep
// plain digits.
func number(n int) string { return words.Number(n) }
