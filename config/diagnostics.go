package config

import (
	"io"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics writes diags to w the way Terraform does: severity and
// summary, "on FILE line N", the source lines with the construct
// highlighted, then the detail. files supplies the source for the snippets
// (Config.Files; any map keyed by the file names used in the ranges works,
// and a missing file just prints no snippet). color adds ANSI colours and
// should be set only for a terminal. Commands use it for engine diagnostics
// too.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	if len(diags) == 0 {
		return nil
	}
	// Width 0: no word wrapping. Output mostly lands in CI logs and PR
	// comments, which wrap on their own.
	return hcl.NewDiagnosticTextWriter(w, files, 0, color).WriteDiagnostics(diags)
}

// Counts returns the number of errors and of warnings in diags.
func Counts(diags hcl.Diagnostics) (errors, warnings int) {
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			warnings++
		} else {
			errors++
		}
	}
	return errors, warnings
}
