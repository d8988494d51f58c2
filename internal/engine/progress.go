package engine

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress reports a long read on stderr: a live, rewritten line on a
// terminal, otherwise a plain log line at most every interval, so CI logs
// show that a multi-minute Personio read is alive without flooding.
type progress struct {
	w        io.Writer
	live     bool
	interval time.Duration
	what     string
	now      func() time.Time

	mu    sync.Mutex
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, live bool, what string) *progress {
	start := time.Now()
	return &progress{w: w, live: live, interval: 5 * time.Second, what: what, now: time.Now, start: start, last: start}
}

// update is safe for concurrent use; pages arrive from several goroutines.
func (p *progress) update(done, total int) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	elapsed := t.Sub(p.start).Round(100 * time.Millisecond)
	if p.live {
		fmt.Fprintf(p.w, "\r\033[K%s: %d/%d (%s)", p.what, done, total, elapsed)
		p.shown = true
		return
	}
	if t.Sub(p.last) < p.interval && done < total {
		return
	}
	if t.Sub(p.start) < p.interval && done == total && !p.shown {
		// A read that finished quickly needs no progress line at all.
		return
	}
	p.last = t
	p.shown = true
	fmt.Fprintf(p.w, "%s: %d/%d after %s\n", p.what, done, total, elapsed)
}

// done ends a live line so the next output starts on a fresh line.
func (p *progress) done() {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false // a second done, or one after nothing more was shown, prints nothing
	}
}
