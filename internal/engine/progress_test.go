package engine

import (
	"strings"
	"testing"
	"time"
)

// fakeClock advances only when told to.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgressLogLines(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	var out strings.Builder
	p := newProgress(&out, false, "reading")
	p.now, p.start, p.last = clock.now, clock.t, clock.t

	p.update(100, 1000) // before the first interval: silent
	if out.Len() != 0 {
		t.Fatalf("printed before the first interval: %q", out.String())
	}
	clock.t = clock.t.Add(6 * time.Second)
	p.update(200, 1000)
	clock.t = clock.t.Add(time.Second)
	p.update(300, 1000) // within the interval: silent
	clock.t = clock.t.Add(5 * time.Second)
	p.update(1000, 1000)
	p.done()

	want := "reading: 200/1000 after 6s\nreading: 1000/1000 after 12s\n"
	if out.String() != want {
		t.Errorf("log lines:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestProgressQuickReadIsSilent(t *testing.T) {
	var out strings.Builder
	p := newProgress(&out, false, "reading")
	p.update(100, 100)
	p.done()
	if out.Len() != 0 {
		t.Errorf("a read that finished within the interval printed %q", out.String())
	}
}

func TestProgressLiveLine(t *testing.T) {
	var out strings.Builder
	p := newProgress(&out, true, "reading")
	p.update(1, 2)
	p.update(2, 2)
	p.done()
	got := out.String()
	if strings.Count(got, "\r\033[K") != 3 || !strings.Contains(got, "reading: 2/2") || strings.Contains(got, "\n") {
		t.Errorf("live line output %q: want two rewritten lines, then a cleared line, no newline", got)
	}
}

func TestProgressNilWriter(t *testing.T) {
	var p *progress
	p.update(1, 2) // must not panic
	p.done()
	newProgress(nil, true, "x").update(1, 1)
}
