package plan

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// MarkdownOptions tune RenderMarkdown.
type MarkdownOptions struct {
	Commit string // the commit the plan was computed for, "" when unknown
	Dir    string // the configuration directory, "" for the repository root
}

// maxMarkdownRemovals caps the removals called out above the fold; the
// folded plan lists all of them.
const maxMarkdownRemovals = 25

// RenderMarkdown writes the plan as a pull-request comment: the summary, a
// table per company, removals and unlinks and suspicious answers above the
// fold, then the full text plan (without colour, its markers first on
// their lines for diff highlighting) folded away. It never cuts
// the plan: a caller with a size limit fits the whole Markdown to it (the
// GitHub comment keeps head and tail and says what was cut, internal/github).
func RenderMarkdown(w io.Writer, p *Plan, o MarkdownOptions) error {
	t := &textWriter{w: bufio.NewWriterSize(w, 64<<10)}
	t.markdown(p, o)
	return t.w.Flush()
}

func (t *textWriter) markdown(p *Plan, o MarkdownOptions) {
	t.s("### gridsync plan")
	if o.Dir != "" && o.Dir != "." {
		t.s(" for `", o.Dir, "`")
	}
	t.s("\n\n")
	sum := p.Summary
	if sum == (Summary{}) {
		t.s("**No changes.** Gridwork matches the configuration and Personio.\n")
	} else {
		t.s("**Plan:** ", sum.Counts(), "\n")
	}

	if rows := p.CompanySummaries(); len(rows) > 0 {
		t.s("\n| Company | Add | Change | Unlink | Destroy |\n|---|--:|--:|--:|--:|\n")
		for _, r := range rows {
			t.s("| `", r.Company, "` | ", strconv.Itoa(r.Add), " | ", strconv.Itoa(r.Change), " | ",
				strconv.Itoa(r.Unlink), " | ", strconv.Itoa(r.Destroy), " |\n")
		}
	}

	if len(p.Suspicious) > 0 {
		t.s("\n> [!CAUTION]\n> **Personio's answer looks suspicious.** `gridsync apply` refuses this plan unless `-allow-mass-delete` is given.\n>\n")
		for _, s := range p.SuspiciousTexts() {
			t.s("> - ", mdEscape(s), "\n")
		}
	}
	if p.JobsUnavailable != "" {
		t.s("\n> [!WARNING]\n> **", jobsUnavailableTitle, ".** ", mdEscape(p.JobsUnavailable), ".\n>\n> ", jobsUnavailableNote, "\n")
	}
	t.removals(p)
	if len(p.Warnings) > 0 {
		t.s("\n")
		for _, w := range p.Warnings {
			t.s("- :warning: ", mdEscape(w), "\n")
		}
	}

	if sum != (Summary{}) {
		var text bytes.Buffer
		_ = (&textWriter{diff: true}).render(&text, p) // a bytes.Buffer never fails to write
		// A description holding a code fence must not end the block early.
		fence := "```"
		for bytes.Contains(text.Bytes(), []byte(fence)) {
			fence += "`"
		}
		t.s("\n<details><summary>Show plan</summary>\n\n", fence, "diff\n")
		t.w.Write(text.Bytes())
		t.s(fence, "\n\n</details>\n")
	}
	if o.Commit != "" {
		t.s("\n<sub>Planned at commit `", o.Commit, "`.</sub>\n")
	}
}

// removals calls out what a reviewer must not miss: records that will be
// destroyed or unlinked.
func (t *textWriter) removals(p *Plan) {
	var out []*Change
	for i := range p.Changes {
		if a := p.Changes[i].Action; a == Delete || a == Unlink {
			out = append(out, &p.Changes[i])
		}
	}
	if len(out) == 0 {
		return
	}
	t.s("\n> [!WARNING]\n> **", strconv.Itoa(p.Summary.Destroy), " to destroy, ", strconv.Itoa(p.Summary.Unlink), " to unlink:**\n>\n")
	for i, c := range out {
		if i == maxMarkdownRemovals {
			t.s("> - … and ", strconv.Itoa(len(out)-i), " more (see the plan below)\n")
			break
		}
		verb := "destroy"
		if c.Action == Unlink {
			verb = "unlink"
		}
		t.s("> - ", verb, " `", c.Address, "`")
		if who := recordName(c); who != "" {
			t.s(" ", mdEscape(who))
		}
		if c.Reason != "" {
			t.s(": ", mdEscape(c.Reason))
		}
		t.s("\n")
	}
}

// recordName is a short human name for a record, from its attributes.
func recordName(c *Change) string {
	a := c.Before
	if a.IsNone() {
		a = c.After
	}
	switch c.Type {
	case TypeEmployee:
		return strings.TrimSpace(a.Get(FieldFirstName) + " " + a.Get(FieldLastName))
	case TypeJob:
		return a.Get(FieldTitle)
	}
	return ""
}

// mdEscape keeps text from turning into Markdown or HTML.
var mdEscape = strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "|", "\\|", "[", "\\[", "]", "\\]").Replace
