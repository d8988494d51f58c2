package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in canonical layout, like terraform fmt: aligned equals
// signs, two-space indentation, normalised spacing. It changes layout only,
// never meaning. A file with syntax errors is not formatted: Format returns
// nil and the diagnostics (filename is used in their ranges), so that a
// broken file is never rewritten.
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}
