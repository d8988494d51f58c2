package httpx

import (
	"context"
	"math"
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

// Pacer holds the requests of every layer it wraps to one shared rate and
// adapts that rate to the server's. A 429 pauses every request, not only
// the one that saw it, and cuts the rate; answers that are not 429 win it
// back step by step. It is safe for concurrent use.
type Pacer struct {
	// p names the service in log lines; its MinBackoff is the cool-down,
	// the pause after a 429 without Retry-After, and MaxRetryAfter the
	// longest Retry-After sat out.
	p       Policy
	ceiling rate.Limit // the configured limit, where recovery stops
	burst   int
	lim     *rate.Limiter

	mu         sync.Mutex
	pauseUntil time.Time     // no request leaves before
	lastCut    time.Time     // when the rate was last cut
	cut        chan struct{} // closed (and replaced) at each cut
	step       rate.Limit    // additive increase per good answer
	sent       []time.Time   // the latest send times, at most recentSends
}

// NewPacer returns a pacer that lets through at most limit requests a
// second in bursts of burst (rate.Inf: no limit until the first 429).
// After a 429 every request waits for the server's Retry-After (at least
// p.MinBackoff), or p.MinBackoff when it names none or one longer than
// p.MaxRetryAfter, and the rate drops below limit, to recover to it.
func NewPacer(p Policy, limit rate.Limit, burst int) *Pacer {
	burst = max(burst, 1)
	return &Pacer{p: p.withDefaults(), ceiling: limit, burst: burst,
		lim: rate.NewLimiter(limit, burst), cut: make(chan struct{})}
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
		now := time.Now()
		p.mu.Lock()
		p.sent = append(p.sent[max(0, len(p.sent)-recentSends+1):], now)
		p.mu.Unlock()
		resp, err := next.RoundTrip(req)
		switch {
		case err != nil:
		case resp.StatusCode == http.StatusTooManyRequests:
			p.tooMany(now, resp.Header)
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

// wait blocks until the pause after the latest 429 is over and the limiter
// grants a request. A cut while it waits for its turn makes it queue again
// at the new rate: a turn reserved at the old rate would send it too early.
func (p *Pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		pause, cut := time.Until(p.pauseUntil), p.cut
		p.mu.Unlock()
		if pause > 0 {
			if err := sleep(ctx, pause); err != nil {
				return err
			}
			continue // another 429 may have made the pause longer
		}
		r := p.lim.Reserve()
		d := r.Delay()
		if d <= 0 {
			return nil
		}
		if d >= time.Second {
			p.p.Logger.Info("waiting for "+p.p.Name+"'s rate limit", "wait", d.Round(time.Millisecond))
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

// tooMany handles a 429 for a request sent at sent: every request pauses,
// and the rate is cut unless it already was since that request left (the
// other answers of one burst are one signal, not many).
func (p *Pacer) tooMany(sent time.Time, h http.Header) {
	now, cool := time.Now(), p.p.MinBackoff
	// A Retry-After longer than MaxRetryAfter is not sat out: the retry
	// layer gives that request up at once, and holding every other request
	// for minutes would only stall the callers that go on (they get their
	// own 429 and give up as fast), so it pauses like a bare 429.
	pause := cool
	if ra, ok := RetryAfter(h, now); ok && ra <= p.p.MaxRetryAfter {
		pause = max(ra, cool)
	}
	p.mu.Lock()
	if until := now.Add(pause); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
	if !sent.After(p.lastCut) {
		p.mu.Unlock()
		return
	}
	from := p.lim.Limit()
	if n := len(p.sent); from == rate.Inf {
		// Unlimited so far: start from the rate the recent sends really
		// achieved, or from one request per cool-down when unmeasured.
		from = rate.Every(cool)
		if n > 1 && p.sent[n-1].After(p.sent[0]) {
			from = rate.Limit(float64(n-1) / p.sent[n-1].Sub(p.sent[0]).Seconds())
		}
	}
	to := max(from*cutFactor, rate.Every(floorPauses*cool))
	p.step = max(from-to, to/10) / recoverSteps
	p.lastCut = now
	p.lim.SetLimitAt(now, to)
	p.lim.SetBurstAt(now, 1)
	close(p.cut)
	p.cut = make(chan struct{})
	p.mu.Unlock()
	p.p.Logger.Info(p.p.Name+" answered 429 Too Many Requests; pausing all requests and slowing down",
		"wait", pause.Round(time.Millisecond), "per_minute", math.Round(float64(to)*600)/10)
}

// fine wins back some of the rate after an answer that was not a 429.
func (p *Pacer) fine() {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch cur := p.lim.Limit(); {
	case cur >= p.ceiling:
	case cur+p.step < p.ceiling:
		p.lim.SetLimit(cur + p.step)
	default:
		p.lim.SetLimit(p.ceiling)
		p.lim.SetBurst(p.burst)
	}
}
