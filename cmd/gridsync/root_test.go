package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
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

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-jsn"}, "Error: unknown flag: -jsn; see \"gridsync validate -h\"\n"},
		{[]string{"history", "-limit=abc"}, "Error: invalid argument \"abc\" for \"-limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax; see \"gridsync history -h\"\n"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, streams{In: strings.NewReader(""), Out: &out, Err: &errb}, func(string) string { return "" })
		if code != 1 || errb.String() != tt.want {
			t.Errorf("gridsync %q: exit %d, stderr %q; want 1, %q", tt.args, code, errb.String(), tt.want)
		}
	}
}
