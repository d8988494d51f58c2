package config

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestWriteDiagnostics(t *testing.T) {
	cfg, diags := testLoader.Load("testdata/invalid/bad-override")
	tests := []struct {
		name  string
		color bool
		want  []string
		not   []string
	}{
		{
			name: "plain",
			want: []string{
				"Error: Invalid sync override",
				`on main.hcl line 10, in company "acme":`,
				`  10:     employees = "yes"`, // the source snippet
				"must be inherit, on or off",
			},
			not: []string{"\x1b["},
		},
		{
			name:  "color",
			color: true,
			want:  []string{"\x1b[31mError\x1b[0m: Invalid sync override"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, cfg.Files, diags, tt.color); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
			for _, n := range tt.not {
				if strings.Contains(b.String(), n) {
					t.Errorf("output contains %q:\n%s", n, b.String())
				}
			}
		})
	}
}

func TestJSONValidation(t *testing.T) {
	cfg, diags := testLoader.Load("testdata/invalid/office-mapped-twice")
	// A warning and a position-less error show the other shapes.
	diags = append(diags,
		&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "w", Subject: &hcl.Range{Filename: "main.hcl", Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 9, Byte: 8}}},
		&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "no position"},
	)
	raw, err := json.Marshal(NewJSONValidation(cfg.Files, diags))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got["format_version"] != "1.0" || got["valid"] != false || got["error_count"] != 3.0 || got["warning_count"] != 1.0 {
		t.Errorf("header fields wrong: %s", raw)
	}
	list := got["diagnostics"].([]any)
	if len(list) != 4 {
		t.Fatalf("%d diagnostics, want 4", len(list))
	}
	first := list[0].(map[string]any)
	if first["severity"] != "error" || first["summary"] != "Office mapped twice" || !strings.Contains(first["detail"].(string), "main.hcl:11") {
		t.Errorf("first diagnostic: %v", first)
	}
	rng := first["range"].(map[string]any)
	start := rng["start"].(map[string]any)
	if rng["filename"] != "main.hcl" || start["line"] != 16.0 || start["column"] != 14.0 {
		t.Errorf("range: %v", rng)
	}
	snip := first["snippet"].(map[string]any)
	code := snip["code"].(string)
	hs, he := int(snip["highlight_start_offset"].(float64)), int(snip["highlight_end_offset"].(float64))
	if snip["context"] != `company "acme"` || snip["start_line"] != 14.0 || code[hs:he] != `"Berlin"` {
		t.Errorf("snippet: %v (highlight %q)", snip, code[hs:he])
	}
	if list[2].(map[string]any)["severity"] != "warning" {
		t.Errorf("third diagnostic should be the warning: %v", list[2])
	}
	last := list[3].(map[string]any)
	if _, ok := last["range"]; ok {
		t.Errorf("position-less diagnostic has a range: %v", last)
	}
}

func TestJSONValidationEmpty(t *testing.T) {
	raw, err := json.Marshal(NewJSONValidation(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"diagnostics":[]}`
	if string(raw) != want {
		t.Errorf("got %s, want %s", raw, want)
	}
}
