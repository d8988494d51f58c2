package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing constants. A 429 cuts the rate to 70% (multiplicative decrease);
// each answer that is not a 429 adds a tenth of what the cut took, so ten
// good answers win it back (additive increase). This is TCP's congestion
// control applied to a request rate: the client settles just under what
// the server allows instead of paying a backoff per 429. (Cutting to 50%
// cost 15% more time in a long storm, for as many 429s.)
const (
	cutFactor    = 0.7
	recoverSteps = 10
	// recentSends is how many send times the pacer keeps to measure the
	// rate an unlimited client really achieved when the first 429 comes.
	recentSends = 16
	// floorPauses: the rate never drops below one request per this many
	// cool-downs, so a run keeps moving however hard the server pushes back.
	floorPauses = 30
)

// PacerOptions configure a Pacer.
type PacerOptions struct {
	// Name is the service the log lines name.
	Name string
	// Limit and Burst are the most the pacer lets through (rate.Inf: no
	// limit until the first 429). After 429s it runs below Limit and
	// recovers to it.
	Limit rate.Limit
	Burst int
	// CoolDown is how long every request waits after a 429 that carries no
	// Retry-After (default 1s, the start Personio asks for). A Retry-After
	// replaces it, never below it and at most MaxPause (default 5 minutes).
	CoolDown, MaxPause time.Duration
	Logger             *slog.Logger
}

// Pacer holds the requests of every layer it wraps to one shared rate and
// adapts that rate to the server's. A 429 pauses every request, not only
// the one that saw it, for the server's Retry-After or the cool-down, and
// cuts the rate; answers that are not 429 win it back step by step. It is
// safe for concurrent use.
type Pacer struct {
	name           string
	log            *slog.Logger
	ceiling        rate.Limit // the configured limit, where recovery stops
	burst          int
	cool, maxPause time.Duration
	floor          rate.Limit
	lim            *rate.Limiter

	mu         sync.Mutex
	pauseUntil time.Time     // no request leaves before
	lastCut    time.Time     // when the rate was last cut
	cut        chan struct{} // closed (and replaced) at each cut
	step       rate.Limit    // additive increase per good answer
	// sent is a ring of the latest send times, nSent of them valid, the
	// next written at nextSent.
	sent            [recentSends]time.Time
	nSent, nextSent int
}

// NewPacer returns a pacer at its full rate.
func NewPacer(o PacerOptions) *Pacer {
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.CoolDown <= 0 {
		o.CoolDown = time.Second
	}
	if o.MaxPause <= 0 {
		o.MaxPause = DefaultMaxRetryAfter
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Pacer{
		name: o.Name, log: o.Logger,
		ceiling: o.Limit, burst: o.Burst,
		cool: o.CoolDown, maxPause: max(o.MaxPause, o.CoolDown),
		floor: rate.Every(floorPauses * o.CoolDown),
		lim:   rate.NewLimiter(o.Limit, o.Burst),
		cut:   make(chan struct{}),
	}
}

// Limit returns the rate and burst the pacer holds requests to now.
func (p *Pacer) Limit() (rate.Limit, int) { return p.lim.Limit(), p.lim.Burst() }

// Wrap returns a layer that waits for the pacer before each request it
// sends through next and tells the pacer how the server answered.
func (p *Pacer) Wrap(next http.RoundTripper) http.RoundTripper {
	return RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if err := p.wait(req.Context()); err != nil {
			return nil, err
		}
		sent := p.noteSent()
		resp, err := next.RoundTrip(req)
		switch {
		case err != nil:
		case resp.StatusCode == http.StatusTooManyRequests:
			p.tooMany(sent, resp.Header)
		case resp.StatusCode < 500:
			p.fine()
		}
		return resp, err
	})
}

// RoundTripperFunc is a function that is an http.RoundTripper.
type RoundTripperFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f(req).
func (f RoundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// wait blocks until the shared cool-down is over and the limiter grants a
// request. A cut while it waits for its turn makes it queue again at the
// new rate: a turn reserved at the old rate would send it too early.
func (p *Pacer) wait(ctx context.Context) error {
	for {
		if err := p.sitOut(ctx); err != nil {
			return err
		}
		p.mu.Lock()
		cut := p.cut
		p.mu.Unlock()
		r := p.lim.Reserve()
		d := r.Delay()
		if d <= 0 {
			return nil
		}
		if d >= time.Second {
			p.log.Info("waiting for "+p.name+"'s rate limit", "wait", d.Round(time.Millisecond))
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			t.Stop()
			r.Cancel()
			return ctx.Err()
		case <-cut:
			t.Stop()
			r.Cancel()
		}
	}
}

// sitOut waits until the cool-down after the latest 429 is over.
func (p *Pacer) sitOut(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := time.Until(p.pauseUntil)
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// noteSent records that a request leaves now and returns the time.
func (p *Pacer) noteSent() time.Time {
	now := time.Now()
	p.mu.Lock()
	p.sent[p.nextSent] = now
	p.nextSent = (p.nextSent + 1) % recentSends
	p.nSent = min(p.nSent+1, recentSends)
	p.mu.Unlock()
	return now
}

// achieved is the rate of the recent sends; ok is false with too few.
// p.mu must be held.
func (p *Pacer) achieved() (rate.Limit, bool) {
	if p.nSent < 2 {
		return 0, false
	}
	newest := p.sent[(p.nextSent+recentSends-1)%recentSends]
	oldest := p.sent[(p.nextSent+recentSends-p.nSent)%recentSends]
	span := newest.Sub(oldest)
	if span <= 0 {
		return 0, false
	}
	return rate.Limit(float64(p.nSent-1) / span.Seconds()), true
}

// tooMany handles a 429 for a request sent at sent: every request pauses,
// and the rate is cut unless it already was since that request left (the
// other answers of one burst are one signal, not many).
func (p *Pacer) tooMany(sent time.Time, h http.Header) {
	now := time.Now()
	pause := p.cool
	if ra, ok := RetryAfter(h, now); ok {
		pause = min(max(ra, p.cool), p.maxPause)
	}
	p.mu.Lock()
	if until := now.Add(pause); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
	cut := sent.After(p.lastCut)
	var to rate.Limit
	if cut {
		from := p.lim.Limit()
		if from == rate.Inf {
			// Unlimited so far: start from the rate really achieved, or
			// from one request per cool-down when nothing was measured.
			from = rate.Every(p.cool)
			if got, ok := p.achieved(); ok {
				from = got
			}
		}
		to = max(from*cutFactor, p.floor)
		p.step = max(from-to, to/10) / recoverSteps
		p.lastCut = now
		p.lim.SetLimitAt(now, to)
		p.lim.SetBurstAt(now, 1)
		close(p.cut)
		p.cut = make(chan struct{})
	}
	p.mu.Unlock()
	if cut {
		p.log.Info(p.name+" answered 429 Too Many Requests; pausing all requests and slowing down",
			"wait", pause.Round(time.Millisecond), "per_minute", perMinute(to))
	}
}

// fine wins back some of the rate after an answer that was not a 429.
func (p *Pacer) fine() {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := p.lim.Limit()
	if cur >= p.ceiling {
		return
	}
	next := cur + p.step
	if next >= p.ceiling {
		p.lim.SetLimit(p.ceiling)
		p.lim.SetBurst(p.burst)
		return
	}
	p.lim.SetLimit(next)
}

// perMinute is l in requests a minute, to one decimal, for log lines.
func perMinute(l rate.Limit) float64 {
	return float64(int(float64(l)*60*10+0.5)) / 10
}
