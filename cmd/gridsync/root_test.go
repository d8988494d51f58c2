package main

import (
	"slices"
	"testing"
)

func TestNormalizeArgs(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{"plan", "-chdir", "dir", "-out=p.plan"}, []string{"plan", "--chdir", "dir", "--out=p.plan"}},
		{[]string{"-v", "apply", "-auto-approve", "-"}, []string{"-v", "apply", "--auto-approve", "-"}},
		{[]string{"history", "-limit", "-10"}, []string{"history", "--limit", "-10"}},
		{[]string{"plan", "--", "-out"}, []string{"plan", "--", "-out"}},
	}
	for _, tt := range tests {
		if got := normalizeArgs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("normalizeArgs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
