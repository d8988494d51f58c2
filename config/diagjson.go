package config

import (
	"bufio"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// JSONFormatVersion is the version of the JSON diagnostics format. It
// changes in its major part only when a field is removed or changes meaning.
const JSONFormatVersion = "1.0"

// JSONValidation is the output of `gridsync validate -json`, shaped like
// `terraform validate -json` so that existing tooling can read it.
type JSONValidation struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []JSONDiagnostic `json:"diagnostics"`
}

// JSONDiagnostic is one diagnostic in machine-readable form. Range and
// Snippet are absent for diagnostics without a source position.
type JSONDiagnostic struct {
	Severity string       `json:"severity"` // "error" or "warning"
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *JSONRange   `json:"range,omitempty"`
	Snippet  *JSONSnippet `json:"snippet,omitempty"`
}

// JSONRange is a source range; lines and columns count from 1, bytes from 0.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// JSONPos is one position in a source file, an hcl.Pos.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSONSnippet is the source around a diagnostic: the whole lines covering
// it, the block it is in (Context, such as `company "acme"`, empty at top
// level), and the byte offsets of the highlighted construct within Code.
type JSONSnippet struct {
	Context              string `json:"context"`
	Code                 string `json:"code"`
	StartLine            int    `json:"start_line"`
	HighlightStartOffset int    `json:"highlight_start_offset"`
	HighlightEndOffset   int    `json:"highlight_end_offset"`
}

// NewJSONValidation summarises diags for validate -json; files supplies the
// snippets and may be nil.
func NewJSONValidation(files map[string]*hcl.File, diags hcl.Diagnostics) JSONValidation {
	errs, warns := Counts(diags)
	v := JSONValidation{
		FormatVersion: JSONFormatVersion,
		Valid:         errs == 0,
		ErrorCount:    errs,
		WarningCount:  warns,
		// Never nil, so that the JSON holds [] rather than null.
		Diagnostics: make([]JSONDiagnostic, 0, len(diags)),
	}
	for _, d := range diags {
		jd := JSONDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if r := d.Subject; r != nil {
			jd.Range = &JSONRange{Filename: r.Filename, Start: JSONPos(r.Start), End: JSONPos(r.End)}
			jd.Snippet = jsonSnippet(files[r.Filename], d)
		}
		v.Diagnostics = append(v.Diagnostics, jd)
	}
	return v
}

// jsonSnippet extracts the lines that d's subject (and context) cover.
func jsonSnippet(file *hcl.File, d *hcl.Diagnostic) *JSONSnippet {
	if file == nil || file.Bytes == nil {
		return nil
	}
	subject := *d.Subject
	snip := subject
	if d.Context != nil {
		snip = hcl.RangeOver(snip, *d.Context)
	}
	if snip.Empty() {
		// An empty range overlaps no line; widen it to the character it
		// points at, as hcl's text writer does.
		snip.End.Byte++
		snip.End.Column++
	}
	var (
		lines     []string
		startLine int
		codeStart = -1
	)
	sc := hcl.NewRangeScanner(file.Bytes, subject.Filename, bufio.ScanLines)
	for sc.Scan() {
		lr := sc.Range()
		if !lr.Overlaps(snip) {
			continue
		}
		if codeStart < 0 {
			codeStart, startLine = lr.Start.Byte, lr.Start.Line
		}
		lines = append(lines, string(sc.Bytes()))
	}
	if codeStart < 0 {
		return nil
	}
	code := strings.Join(lines, "\n")
	s := &JSONSnippet{
		Code:                 code,
		StartLine:            startLine,
		HighlightStartOffset: max(0, min(subject.Start.Byte-codeStart, len(code))),
		HighlightEndOffset:   max(0, min(subject.End.Byte-codeStart, len(code))),
	}
	if cs, ok := file.Nav.(interface{ ContextString(int) string }); ok {
		s.Context = cs.ContextString(subject.Start.Byte)
	}
	return s
}
