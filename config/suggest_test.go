package config

import (
	"fmt"
	"slices"
	"testing"
)

func TestClosest(t *testing.T) {
	offices := []string{"Berlin", "Berlin Mitte", "Hamburg", "Munich", "Remote Europe"}
	tests := []struct {
		s          string
		candidates []string
		n          int
		want       []string
	}{
		// Names containing what was written come first, then by distance.
		{"berlin", offices, 3, []string{"Berlin", "Berlin Mitte", "Munich"}},
		{"Remote", offices, 2, []string{"Remote Europe", "Berlin"}},
		{"Berln", offices, 10, []string{"Berlin", "Hamburg", "Munich", "Berlin Mitte", "Remote Europe"}},
		// Ties are broken by name, case-insensitive distance.
		{"acmee", []string{"globex", "acme", "ACME-2"}, 3, []string{"acme", "ACME-2", "globex"}},
		{"x", nil, 3, []string{}},
		{"", []string{"b", "a"}, 5, []string{"a", "b"}},
	}
	for _, tt := range tests {
		if got := Closest(tt.s, tt.candidates, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("Closest(%q, %q, %d) = %q, want %q", tt.s, tt.candidates, tt.n, got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct {
		given   string
		options []string
		want    string
	}{
		{"Off", overrideValues, "off"},
		{"inheirt", overrideValues, "inherit"},
		{"never", overrideValues, ""},
		{"onbording", knownStatuses, "onboarding"},
		// A containing option that is too far is no typo; a close one is.
		{"leav", []string{"leave-of-absence", "lean"}, "lean"},
		{"positon", employeeFieldNames, "position"},
	}
	for _, tt := range tests {
		want := ""
		if tt.want != "" {
			want = fmt.Sprintf(" Did you mean %q?", tt.want)
		}
		if got := didYouMean(tt.given, tt.options); got != want {
			t.Errorf("didYouMean(%q) = %q, want %q", tt.given, got, want)
		}
	}
}
