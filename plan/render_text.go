package plan

import (
	"bufio"
	"io"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/gridwork/gridsync/internal/words"
)

// TextOptions tune RenderText.
type TextOptions struct {
	// Color adds ANSI colour; callers set it only for a terminal without
	// -no-color or NO_COLOR.
	Color bool
}

// How every renderer words a plan computed while the job feed could not be
// read (Plan.JobsUnavailable).
const (
	jobsUnavailableTitle = "Jobs unavailable: Personio's job feed could not be read"
	jobsUnavailableNote  = "Linked jobs are left untouched (no job is created, updated, unlinked or removed) until the feed can be read again; employees are planned as usual."
)

// ANSI sequences, used only when TextOptions.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGray   = "\x1b[90m"
)

// Shortening: values longer than maxValueRunes (job descriptions, mostly)
// show a window of valueWindow runes, around the first difference for
// updates.
const (
	maxValueRunes = 100
	valueWindow   = 60
)

// marker is the Terraform-style symbol of each action. Unlink borrows
// Terraform's "forget" dot: the record stays, only the link goes.
func marker(a Action) string {
	switch a {
	case Create:
		return "+"
	case Update, Adopt:
		return "~"
	case Unlink:
		return "."
	case Delete:
		return "-"
	}
	return " "
}

func (t *textWriter) markerColor(a Action) string {
	if !t.color {
		return ""
	}
	switch a {
	case Create:
		return ansiGreen
	case Update, Adopt:
		return ansiYellow
	case Unlink:
		return ansiCyan
	case Delete:
		return ansiRed
	}
	return ""
}

func headline(a Action) string {
	switch a {
	case Create:
		return "will be created"
	case Update:
		return "will be updated in-place"
	case Adopt:
		return "will be adopted (linked by email)"
	case Unlink:
		return "will be unlinked from Personio (kept in Gridwork, editable again)"
	case Delete:
		return "will be destroyed"
	}
	return "has no changes"
}

// identifying attributes are shown even when unchanged, so the reader knows
// which record an update is about (Terraform shows id and name likewise).
var identifying = map[Type][]string{
	TypeCompany:  {FieldName},
	TypeLocation: {FieldName},
	TypeEmployee: {FieldFirstName, FieldLastName},
	TypeJob:      {FieldTitle},
}

// RenderText writes the plan the way Terraform writes its plans. It only
// reads p.
func RenderText(w io.Writer, p *Plan, o TextOptions) error {
	return (&textWriter{color: o.Color}).render(w, p)
}

type textWriter struct {
	w     *bufio.Writer
	color bool
	// diff puts each action's marker first on its line, for a ```diff
	// block (RenderMarkdown): see mark.
	diff      bool
	shortened bool
	scratch   []byte
	keys      []string
	lines     []line
}

// line is one attribute line of a block: its key and how it changes
// (Create +, Update ~, Delete -, NoOp for an unchanged attribute shown).
type line struct {
	key    string
	action Action
}

func (t *textWriter) render(w io.Writer, p *Plan) error {
	t.w = bufio.NewWriterSize(w, 64<<10)
	t.plan(p)
	return t.w.Flush()
}

// mark writes the marker of action a after indent. In a diff block the
// marker comes first and indent after it, so that the text keeps its
// columns and GitHub colours the line by its first character; "~" becomes
// "!", which diff highlighting colours too.
func (t *textWriter) mark(indent string, a Action) {
	if !t.diff {
		t.s(indent)
		t.c(t.markerColor(a), marker(a))
		return
	}
	m := marker(a)
	if m == "~" {
		m = "!"
	}
	t.s(m, indent)
}

func (t *textWriter) s(parts ...string) {
	for _, p := range parts {
		t.w.WriteString(p)
	}
}

// c writes s in colour code (when colour is on).
func (t *textWriter) c(code, s string) {
	if t.color && code != "" {
		t.s(code, s, ansiReset)
		return
	}
	t.w.WriteString(s)
}

func (t *textWriter) plan(p *Plan) {
	var visible int
	used := map[Action]bool{}
	for _, ch := range p.Changes {
		if ch.Action != NoOp {
			visible++
			used[ch.Action] = true
		}
	}
	if visible == 0 {
		t.c(ansiBold+ansiGreen, "No changes.")
		t.s(" Gridwork matches the configuration and Personio.\n")
		t.notes(p)
		return
	}
	t.s("Resource actions are indicated with the following symbols:\n")
	for _, a := range []struct {
		act  Action
		text string
	}{
		{Create, "create"},
		{Update, "update in-place"},
		{Adopt, "adopt (link an unlinked Gridwork employee by email, then update)"},
		{Unlink, "unlink from Personio (keep in Gridwork, editable again)"},
		{Delete, "destroy"},
	} {
		if used[a.act] {
			t.mark("  ", a.act)
			t.s(" ", a.text, "\n")
		}
	}
	t.s("\ngridsync will perform the following actions:\n")
	for i := range p.Changes {
		if p.Changes[i].Action != NoOp {
			t.change(&p.Changes[i])
		}
	}
	t.s("\n")
	t.c(ansiBold, "Plan:")
	t.s(" ", p.Summary.Counts(), "\n")
	if t.shortened {
		t.s("\nNote: long values are shortened; \"gridsync show -json PLANFILE\" shows them in full.\n")
	}
	t.notes(p)
}

// notes writes warnings and suspicious answers in Terraform's boxed style.
func (t *textWriter) notes(p *Plan) {
	if len(p.Suspicious) > 0 {
		t.box("Personio's answer looks suspicious", append(p.SuspiciousTexts(),
			"gridsync apply refuses this plan unless -allow-mass-delete is given."))
	}
	if p.JobsUnavailable != "" {
		t.box(jobsUnavailableTitle, []string{p.JobsUnavailable + ".", jobsUnavailableNote})
	}
	for _, w := range p.Warnings {
		t.box(w, nil)
	}
}

func (t *textWriter) box(title string, lines []string) {
	t.s("\n")
	t.c(ansiYellow, "╷")
	t.s("\n")
	t.c(ansiYellow, "│")
	t.s(" ")
	t.c(ansiBold+ansiYellow, "Warning:")
	t.s(" ")
	t.c(ansiBold, title)
	t.s("\n")
	for _, l := range lines {
		t.c(ansiYellow, "│")
		t.s("\n")
		t.c(ansiYellow, "│")
		t.s(" ", l, "\n")
	}
	t.c(ansiYellow, "╵")
	t.s("\n")
}

func (t *textWriter) change(ch *Change) {
	t.s("\n")
	t.c(ansiBold, "  # "+ch.Address)
	t.s(" ", headline(ch.Action), "\n")
	if ch.Reason != "" {
		t.s("  # (", ch.Reason, ")\n")
	}
	t.mark("  ", ch.Action)
	t.s(" ", string(ch.Type), " ")
	label := ch.Address[len(ch.Type)+1:]
	t.scratch = strconv.AppendQuote(t.scratch[:0], label)
	t.w.Write(t.scratch)
	t.s(" {\n")

	keys := t.attrKeys(ch)
	lines := t.lines[:0]
	hidden := 0
	for _, k := range keys {
		b, a := ch.Before.Get(k), ch.After.Get(k)
		switch ch.Action {
		case Create:
			if a != "" {
				lines = append(lines, line{k, Create})
			}
		case Delete:
			if b != "" {
				lines = append(lines, line{k, Delete})
			}
		case Unlink:
			if b != "" && isIdentifying(ch.Type, k) {
				lines = append(lines, line{k, NoOp})
			} else {
				hidden++
			}
		default: // Update, Adopt
			switch {
			case b == a && b != "" && isIdentifying(ch.Type, k):
				lines = append(lines, line{k, NoOp})
			case b == a:
				hidden++
			case b == "":
				lines = append(lines, line{k, Create})
			case a == "":
				lines = append(lines, line{k, Delete})
			default:
				lines = append(lines, line{k, Update})
			}
		}
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l.key))
	}
	for _, l := range lines {
		if l.action == NoOp {
			t.s("        ")
		} else {
			t.mark("      ", l.action)
			t.s(" ")
		}
		t.s(l.key)
		t.pad(width - len(l.key))
		t.s(" = ")
		b, a := ch.Before.Get(l.key), ch.After.Get(l.key)
		switch l.action {
		case Create:
			t.value(a, 0)
		case Delete:
			t.value(b, 0)
			t.s(" -> ")
			t.c(ansiGray, "null")
		case NoOp:
			t.value(b, 0)
		case Update:
			at := firstDiff(b, a)
			t.value(b, at)
			t.s(" -> ")
			t.value(a, at)
		}
		t.s("\n")
	}
	if hidden > 0 {
		t.s("        ")
		t.c(ansiGray, "# ("+words.Count(hidden, "unchanged attribute", "unchanged attributes")+" hidden)")
		t.s("\n")
	}
	t.s("    }\n")
	t.lines = lines
}

// attrKeys lists the keys of a change in display order: the type's fields
// first, then any others (from a plan file) sorted.
func (t *textWriter) attrKeys(ch *Change) []string {
	fields := fieldsOf(ch.Type)
	t.keys = append(t.keys[:0], fields...)
	for _, m := range [2]Attrs{ch.Before, ch.After} {
		for k := range m.All() {
			if !slices.Contains(t.keys, k) {
				t.keys = append(t.keys, k)
			}
		}
	}
	sort.Strings(t.keys[len(fields):])
	return t.keys
}

func isIdentifying(typ Type, key string) bool { return slices.Contains(identifying[typ], key) }

func (t *textWriter) pad(n int) {
	const spaces = "                                "
	for n > 0 {
		k := min(n, len(spaces))
		t.w.WriteString(spaces[:k])
		n -= k
	}
}

// value writes v quoted. A long value is shortened to a window starting a
// little before byte offset at, with "…" where text was cut, and the total
// length in a comment-like suffix.
func (t *textWriter) value(v string, at int) {
	if utf8.RuneCountInString(v) <= maxValueRunes {
		t.scratch = strconv.AppendQuote(t.scratch[:0], v)
		t.w.Write(t.scratch)
		return
	}
	t.shortened = true
	runes := []rune(v)
	start := max(0, utf8.RuneCountInString(v[:min(at, len(v))])-valueWindow/3)
	end := min(len(runes), start+valueWindow)
	s := string(runes[start:end])
	if start > 0 {
		s = "…" + s
	}
	if end < len(runes) {
		s += "…"
	}
	t.scratch = strconv.AppendQuote(t.scratch[:0], s)
	t.w.Write(t.scratch)
	t.c(ansiGray, " ("+strconv.Itoa(len(runes))+" characters, shortened)")
}

// firstDiff is the byte offset where a and b first differ.
func firstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			// Back up to a rune start so the window does not split one.
			for i > 0 && !utf8.RuneStart(a[i]) {
				i--
			}
			return i
		}
	}
	return n
}
