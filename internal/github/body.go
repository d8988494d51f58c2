package github

import (
	"cmp"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gridwork/gridsync/internal/words"
)

// MaxCommentChars is GitHub's limit on an issue or pull-request comment body.
// gridsync keeps bodies within this many bytes, which bounds the count of
// characters however GitHub counts them (code points or UTF-16 units are
// never more than UTF-8 bytes).
const MaxCommentChars = 65536

// MaxStepSummaryBytes is GitHub's limit on what one step may write to
// GITHUB_STEP_SUMMARY; a step that writes more loses its whole summary.
const MaxStepSummaryBytes = 1 << 20

// Marker is the hidden line that identifies the sticky plan comment of one
// config directory. dir is repository-relative ("." for the root).
func Marker(dir string) string { return hiddenMarker("plan", dir) }

// hiddenMarker is the hidden line <!-- gridsync:KIND dir=DIR --> that
// starts what gridsync writes for one config directory: the sticky plan
// comment ("plan", see Marker), every apply-outcome comment ("apply") and
// the sync issue ("sync"). Apply comments have their own kind so that the
// search for the plan comment never takes one for it, and so that people
// and scripts can pick them out of a pull request's comments; gridsync
// itself never searches for them.
//
// dir is made safe inside an HTML comment and unambiguous as a key: bytes
// outside a conservative set are percent-encoded, and so is a '-' that
// follows another '-', because "--" may end a comment.
func hiddenMarker(kind, dir string) string {
	dir = cmp.Or(dir, ".")
	var b strings.Builder
	b.WriteString("<!-- gridsync:" + kind + " dir=")
	for i := 0; i < len(dir); i++ {
		c := dir[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '_', c == '/', c == '+', c == '@', c == ',', c == '~',
			c == '-' && (i == 0 || dir[i-1] != '-'):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	b.WriteString(" -->")
	return b.String()
}

// forDir is " for `dir`", or "" for the repository root.
func forDir(dir string) string {
	if dir == "" || dir == "." {
		return ""
	}
	return " for `" + dir + "`"
}

// fit returns prefix+text if it is at most limit bytes. Otherwise it keeps
// the head and the tail of text, cut at line boundaries, and puts note (told
// how many characters and lines were cut) where the middle was. A cut inside
// a fenced code block closes the fence before the note and reopens it after,
// so the note renders as text. The result is valid UTF-8 and at most limit
// bytes; truncated reports whether anything was cut.
func fit(prefix, text string, limit int, note func(chars, lines int) string) (body string, truncated bool) {
	if len(prefix)+len(text) <= limit {
		return prefix + text, false
	}
	// Reserve room for the note with the largest numbers it can carry, and
	// for a closing and reopening fence around it.
	worst := note(utf8.RuneCountInString(text), strings.Count(text, "\n")+1)
	const fenceRoom = 2 * 64
	budget := max(limit-len(prefix)-len(worst)-fenceRoom-4, 0)
	headLen := budget * 7 / 10
	tailLen := budget - headLen

	head := text[:strings.LastIndexByte(text[:headLen], '\n')+1]
	if head == "" { // no line break to cut at: cut at a rune boundary
		for headLen > 0 && !utf8.RuneStart(text[headLen]) {
			headLen--
		}
		head = text[:headLen]
	}
	tailFrom := max(lineEnd(text, len(text)-tailLen), len(head))
	tail := text[tailFrom:]
	cut := text[len(head):tailFrom]

	var b strings.Builder
	b.Grow(limit)
	b.WriteString(prefix)
	b.WriteString(head)
	if !strings.HasSuffix(head, "\n") && head != "" {
		b.WriteString("\n")
	}
	n := note(utf8.RuneCountInString(cut), countLines(cut))
	if open := openFence(head); open != "" {
		b.WriteString(fenceRun(open) + "\n\n" + n + "\n\n" + open + "\n")
	} else {
		b.WriteString("\n" + n + "\n\n")
	}
	b.WriteString(tail)
	return b.String(), true
}

// lineEnd returns the smallest index ≥ n (n ≤ len(s)) that starts a line,
// or len(s); if the rest has no line break it falls back to the next rune
// boundary.
func lineEnd(s string, n int) int {
	if n <= 0 {
		return 0
	}
	if i := strings.IndexByte(s[n-1:], '\n'); i >= 0 {
		return n + i
	}
	for n < len(s) && !utf8.RuneStart(s[n]) {
		n++
	}
	return n
}

// countLines counts the lines of s, a final line without '\n' included.
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// openFence returns the opening line of the fenced code block that is still
// open at the end of md, or "" if none is.
func openFence(md string) string {
	open := ""
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 {
			continue // indented code, not a fence
		}
		if open == "" {
			if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
				open = t
			}
			continue
		}
		// A closing fence: the same character, at least as many, and
		// nothing else on the line.
		run := fenceRun(t)
		if run != "" && run[0] == open[0] && len(run) >= len(fenceRun(open)) && strings.TrimSpace(t[len(run):]) == "" {
			open = ""
		}
	}
	return open
}

// fenceRun is the run of backticks or tildes an opening fence line starts
// with.
func fenceRun(open string) string {
	if open == "" {
		return ""
	}
	return open[:len(open)-len(strings.TrimLeft(open, open[:1]))]
}

// TruncateRunes shortens s to at most n characters (runes), ending in "…"
// when cut; n < 1 gives "".
func TruncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// ShortSHA is the 7-character form of a commit id, as git log --oneline
// shows it.
func ShortSHA(sha string) string { return sha[:min(len(sha), 7)] }

// fitBody keeps an issue or comment body within GitHub's limit.
func fitBody(body string) string {
	out, _ := fit("", body, MaxCommentChars, func(chars, lines int) string {
		return fmt.Sprintf("… %s characters cut …", words.Number(chars))
	})
	return out
}
