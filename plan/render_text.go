package plan

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
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

// actionLooks are how the text plan shows each action: its Terraform-style
// marker, the marker in a diff block (see mark), the marker's colour, the
// headline of a change and the legend. Unlink borrows Terraform's "forget"
// dot: the record stays, only the link goes.
// keyPadding aligns the " = " of a change's lines: it is as long as the
// longest field name, so that a new longer field cannot cut it short.
var keyPadding = strings.Repeat(" ", len(slices.MaxFunc(fieldNames[:], func(a, b string) int { return cmp.Compare(len(a), len(b)) })))

var actionLooks = map[Action]struct{ marker, diff, color, headline, legend string }{
	Create: {"+", "+", ansiGreen, "will be created", "create"},
	Update: {"~", "!", ansiYellow, "will be updated in-place", "update in-place"},
	Adopt:  {"~", "!", ansiYellow, "will be adopted (linked by email)", "adopt (link an unlinked Gridwork employee by email, then update)"},
	Unlink: {".", ".", ansiCyan, "will be unlinked from Personio (kept in Gridwork, editable again)", "unlink from Personio (keep in Gridwork, editable again)"},
	Delete: {"-", "-", ansiRed, "will be destroyed", "destroy"},
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

// line is one attribute line of a block: its key, how it changes (Create
// +, Update ~, Delete -, NoOp for an unchanged attribute shown) and its
// values.
type line struct {
	key, before, after string
	action             Action
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
	look := actionLooks[a]
	if t.diff {
		t.s(look.diff, indent)
		return
	}
	t.s(indent)
	t.paint(look.color, look.marker)
}

func (t *textWriter) s(parts ...string) {
	for _, p := range parts {
		t.w.WriteString(p)
	}
}

func (t *textWriter) plan(p *Plan) {
	used := map[Action]bool{}
	for _, ch := range p.Changes {
		if ch.Action != NoOp {
			used[ch.Action] = true
		}
	}
	if len(used) == 0 {
		t.paint(ansiBold+ansiGreen, "No changes.")
		t.s(" Gridwork matches the configuration and Personio.\n")
		t.notes(p)
		return
	}
	t.s("Resource actions are indicated with the following symbols:\n")
	for _, a := range []Action{Create, Update, Adopt, Unlink, Delete} {
		if used[a] {
			t.mark("  ", a)
			t.s(" ", actionLooks[a].legend, "\n")
		}
	}
	t.s("\ngridsync will perform the following actions:\n")
	for i := range p.Changes {
		if p.Changes[i].Action != NoOp {
			t.change(&p.Changes[i])
		}
	}
	t.s("\n")
	t.paint(ansiBold, "Plan:")
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
	t.paint(ansiYellow, "╷")
	t.s("\n")
	t.paint(ansiYellow, "│")
	t.s(" ")
	t.paint(ansiBold+ansiYellow, "Warning:")
	t.s(" ")
	t.paint(ansiBold, title)
	t.s("\n")
	for _, l := range lines {
		t.paint(ansiYellow, "│")
		t.s("\n")
		t.paint(ansiYellow, "│")
		t.s(" ", l, "\n")
	}
	t.paint(ansiYellow, "╵")
	t.s("\n")
}

// paint writes parts in colour code (when colour is on), piece by piece:
// it runs for every marked line, so it builds no string.
func (t *textWriter) paint(code string, parts ...string) {
	if t.color {
		t.s(code)
	}
	t.s(parts...)
	if t.color {
		t.s(ansiReset)
	}
}

func (t *textWriter) change(ch *Change) {
	t.s("\n")
	t.paint(ansiBold, "  # ", ch.Address)
	t.s(" ", actionLooks[ch.Action].headline, "\n")
	if ch.Reason != "" {
		t.s("  # (", ch.Reason, ")\n")
	}
	t.mark("  ", ch.Action)
	t.s(" ", string(ch.Type), " ")
	t.quote(ch.Address[len(ch.Type)+1:])
	t.s(" {\n")

	lines := t.lines[:0]
	hidden, width := 0, 0
	for _, k := range t.attrKeys(ch) {
		b, a := ch.Before.Get(k), ch.After.Get(k)
		act := ch.Action
		switch {
		case act == Create && a == "", act == Delete && b == "":
			continue
		case act == Create, act == Delete:
		case b == a, act == Unlink: // an unlink changes nothing but the link
			if b == "" || !slices.Contains(identifying[ch.Type], k) {
				hidden++
				continue
			}
			act = NoOp
		case b == "":
			act = Create
		case a == "":
			act = Delete
		default:
			act = Update
		}
		lines = append(lines, line{k, b, a, act})
		width = max(width, len(k))
	}
	for _, l := range lines {
		if l.action == NoOp {
			t.s("        ")
		} else {
			t.mark("      ", l.action)
			t.s(" ")
		}
		t.s(l.key, keyPadding[:width-len(l.key)], " = ")
		switch l.action {
		case Create:
			t.value(l.after, 0)
		case Update:
			at := firstDiff(l.before, l.after)
			t.value(l.before, at)
			t.s(" -> ")
			t.value(l.after, at)
		default: // NoOp, Delete
			t.value(l.before, 0)
			if l.action == Delete {
				t.s(" -> ")
				t.paint(ansiGray, "null")
			}
		}
		t.s("\n")
	}
	if hidden > 0 {
		t.s("        ")
		t.paint(ansiGray, "# (", words.Count(hidden, "unchanged attribute", "unchanged attributes"), " hidden)")
		t.s("\n")
	}
	t.s("    }\n")
	t.lines = lines
}

// attrKeys lists the keys of a change in display order: the type's fields
// first, then any others with a value (from a plan file) sorted.
func (t *textWriter) attrKeys(ch *Change) []string {
	fields := typeFields[ch.Type]
	t.keys = append(t.keys[:0], fields...)
	others := (ch.Before.set | ch.After.set) &^ setOf(fields)
	for _, i := range byName {
		if others&(1<<i) != 0 {
			t.keys = append(t.keys, fieldNames[i])
		}
	}
	return t.keys
}

// value writes v quoted. A long value is shortened to a window starting a
// little before byte offset at, with "…" where text was cut, and the total
// length in a comment-like suffix.
func (t *textWriter) value(v string, at int) {
	if utf8.RuneCountInString(v) <= maxValueRunes {
		t.quote(v)
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
	t.quote(s)
	t.paint(ansiGray, " (", strconv.Itoa(len(runes)), " characters, shortened)")
}

// quote writes s quoted.
func (t *textWriter) quote(s string) {
	t.scratch = strconv.AppendQuote(t.scratch[:0], s)
	t.w.Write(t.scratch)
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
