// Package words writes counts in English the one way gridsync does: a
// number with thousands separators and the noun that goes with it. The
// plan's text, the CLI's views, the Personio and SOPS errors and the
// GitHub comments all use it, so that "1 employee" and "1,240 employees"
// read the same everywhere. It must not know about anything but words.
package words

import "strconv"

// Count writes n and the noun that goes with it: "1 employee", "0 offices",
// "1,240 employees".
func Count(n int, one, many string) string {
	return Number(n) + " " + Plural(n, one, many)
}

// Plural returns one when n is 1, else many: for the words of a sentence
// that follow a count, such as "is" and "are".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Number writes n with thousands separators: 1234567 → 1,234,567, -4500 →
// -4,500.
func Number(n int) string {
	s := strconv.Itoa(n)
	b := make([]byte, 0, 32) // the longest: -9,223,372,036,854,775,808
	if n < 0 {
		b, s = append(b, '-'), s[1:]
	}
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
