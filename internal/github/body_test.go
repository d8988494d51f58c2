package github

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMarker(t *testing.T) {
	seen := map[string]string{}
	for _, dir := range []string{".", "", "configs/a", "configs/a/b", "configs/a--b", "configs/a-b", "weird dir/-->", "ümlaut"} {
		m := Marker(dir)
		inner := strings.TrimSuffix(strings.TrimPrefix(m, "<!-- "), " -->")
		if strings.Contains(inner, "--") || strings.Contains(inner, ">") || !utf8.ValidString(m) {
			t.Errorf("Marker(%q) = %q: unsafe inside an HTML comment", dir, m)
		}
		if other, dup := seen[m]; dup && !(dir == "" && other == ".") && !(dir == "." && other == "") {
			t.Errorf("Marker(%q) = Marker(%q) = %q", dir, other, m)
		}
		seen[m] = dir
	}
	if got, want := Marker("configs/prod"), "<!-- gridsync:plan dir=configs/prod -->"; got != want {
		t.Errorf("Marker = %q, want %q", got, want)
	}
}

func TestFitLimit(t *testing.T) {
	note := func(chars, lines int) string { return fmt.Sprintf("NOTE %d chars %d lines", chars, lines) }
	texts := map[string]string{
		"ascii lines":          strings.Repeat("+ employee.acme[1] will be created\n", 5000),
		"multibyte lines":      strings.Repeat("~ Jürgen Müller → Zoë 日本語 😀\n", 5000),
		"one long line":        strings.Repeat("😀ä", 50000),
		"fenced":               "summary\n\n```diff\n" + strings.Repeat("+ line\n", 20000) + "```\n\nend\n",
		"fence closes in head": "```\nshort\n```\n" + strings.Repeat("text line\n", 20000),
	}
	for name, text := range texts {
		for _, limit := range []int{1000, 4096, 65536} {
			t.Run(fmt.Sprintf("%s/%d", name, limit), func(t *testing.T) {
				got, cut := fit("PREFIX\n", text, limit, note)
				if !cut {
					t.Fatal("not cut")
				}
				if len(got) > limit || !utf8.ValidString(got) {
					t.Fatalf("%d bytes (valid UTF-8 %v), limit %d", len(got), utf8.ValidString(got), limit)
				}
				if !strings.HasPrefix(got, "PREFIX\n") {
					t.Error("prefix lost")
				}
				var chars, lines int
				if _, err := fmt.Sscanf(got[strings.Index(got, "NOTE"):], "NOTE %d chars %d lines", &chars, &lines); err != nil {
					t.Fatalf("note missing: %v", err)
				}
				kept := utf8.RuneCountInString(got) - utf8.RuneCountInString("PREFIX\n")
				if chars <= 0 || chars >= utf8.RuneCountInString(text) || kept <= 0 {
					t.Errorf("note says %d characters cut of %d", chars, utf8.RuneCountInString(text))
				}
				if strings.Contains(text, "\n") && (!strings.HasSuffix(got, text[len(text)-len(lastLine(text)):])) {
					t.Error("tail does not end like the text")
				}
			})
		}
	}
	if got, cut := fit("P", "short", 100, note); cut || got != "Pshort" {
		t.Errorf("short text: %q, %v", got, cut)
	}
}

func lastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:] + "\n"
}

func TestFitFence(t *testing.T) {
	text := "summary\n\n<details>\n\n````diff\n" + strings.Repeat("+ x\n", 5000) + "````\n\n</details>\n"
	got, _ := fit("", text, 2000, func(int, int) string { return "NOTE" })
	head, tail, ok := strings.Cut(got, "NOTE")
	if !ok {
		t.Fatal("no note")
	}
	if openFence(head) != "" {
		t.Errorf("note inside the code block:\n%s", got)
	}
	if !strings.HasPrefix(strings.TrimLeft(tail, "\n"), "````diff\n") {
		t.Errorf("fence not reopened after the note:\n%s", tail[:40])
	}
	if openFence(got) != "" {
		t.Error("the body ends inside a code block")
	}
}

func TestTruncateRunes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 140, "short"},
		{"äöü", 3, "äöü"},
		{"äöüß", 3, "äö…"},
		{"äöüß", 1, "…"},
		{"äöüß", 0, ""}, // used to panic: slice bounds out of range
	}
	for _, tt := range tests {
		if got := TruncateRunes(tt.in, tt.n); got != tt.want {
			t.Errorf("TruncateRunes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestShortSHA(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "abc", "abc1234": "abc1234", "abc1234def5678": "abc1234"} {
		if got := ShortSHA(in); got != want {
			t.Errorf("ShortSHA(%q) = %q, want %q", in, got, want)
		}
	}
}
