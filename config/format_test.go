package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestFormatGolden formats every testdata/fmt/<name>.in.hcl and compares the
// result with <name>.out.hcl (go test ./config -run TestFormatGolden -update
// rewrites them). Formatting a golden output again must not change it.
func TestFormatGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/fmt/*.in.hcl")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no fmt fixtures: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".in.hcl")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, diags := Format(src, filepath.Base(in))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			golden := strings.TrimSuffix(in, ".in.hcl") + ".out.hcl"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Format(%s) mismatch\n--- got\n%s\n--- want\n%s", in, got, want)
			}
			again, _ := Format(want, "golden")
			if !bytes.Equal(again, want) {
				t.Errorf("formatting %s again changes it:\n%s", golden, again)
			}
		})
	}
}

func TestFormatSyntaxError(t *testing.T) {
	src := []byte("company \"acme\" {\n  name = \"Acme\"\n")
	out, diags := Format(src, "broken.hcl")
	if out != nil {
		t.Errorf("Format returned output for a broken file: %q", out)
	}
	if !diags.HasErrors() {
		t.Fatal("no diagnostics for an unclosed block")
	}
	if r := diags[0].Subject; r == nil || r.Filename != "broken.hcl" || r.Start.Line != 1 {
		t.Errorf("subject %v, want broken.hcl line 1", r)
	}
}
