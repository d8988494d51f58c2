package httpx

import (
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func get(t *testing.T, hc *http.Client, url string) int {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func near(a, b rate.Limit) bool { return math.Abs(float64(a-b)) < 1e-6*math.Max(1, float64(b)) }

// TestPacerCutsAndRecovers: a 429 cuts the rate to 70% and the burst to 1;
// the 429s of requests that left before the cut are the same signal and
// do not cut again; each good answer wins back a tenth of the cut, and the
// full rate brings the burst back.
func TestPacerCutsAndRecovers(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusTooManyRequests)
	// The server holds the first three requests until all have arrived, so
	// that all three leave before any 429 comes back.
	var arrived sync.WaitGroup
	arrived.Add(3)
	var first atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if first.Add(1) <= 3 {
			arrived.Done()
			arrived.Wait()
		}
		w.WriteHeader(int(status.Load()))
	}))
	t.Cleanup(srv.Close)
	p := NewPacer(Policy{MinBackoff: time.Millisecond}, 100, 10)
	hc := &http.Client{Transport: p.Wrap(http.DefaultTransport)}

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { get(t, hc, srv.URL) })
	}
	wg.Wait()
	if l, b := p.Limit(); !near(l, 70) || b != 1 {
		t.Fatalf("after one burst of 429s: %v/s burst %d, want 70/s burst 1 (one cut)", l, b)
	}
	get(t, hc, srv.URL) // left after the cut: a new signal
	if l, _ := p.Limit(); !near(l, 49) {
		t.Fatalf("after a later 429: %v/s, want 49/s", l)
	}
	status.Store(http.StatusOK)
	for range 10 {
		get(t, hc, srv.URL)
	}
	if l, _ := p.Limit(); !near(l, 70) {
		t.Fatalf("after ten good answers: %v/s, want 70/s (the cut won back)", l)
	}
	for range 20 {
		get(t, hc, srv.URL)
	}
	if l, b := p.Limit(); l != 100 || b != 10 {
		t.Errorf("after recovery: %v/s burst %d, want 100/s burst 10", l, b)
	}
}

// TestPacerPausesEveryone: after a 429 no request leaves before the
// cool-down (or the Retry-After) is over, whoever sends it.
func TestPacerPausesEveryone(t *testing.T) {
	for _, tt := range []struct {
		name       string
		retryAfter string
		pause      time.Duration
	}{
		{"cool-down", "", 150 * time.Millisecond},
		{"Retry-After", "1", time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(http.StatusTooManyRequests)
				}
			}))
			t.Cleanup(srv.Close)
			p := NewPacer(Policy{MinBackoff: 150 * time.Millisecond}, rate.Inf, 4)
			first := &http.Client{Transport: p.Wrap(http.DefaultTransport)}
			other := &http.Client{Transport: p.Wrap(http.DefaultTransport)} // another layer on the same pacer
			get(t, first, srv.URL)
			at := time.Now()
			get(t, other, srv.URL)
			if waited := time.Since(at); waited < tt.pause-10*time.Millisecond {
				t.Errorf("the next request left %s after the 429, want at least %s", waited, tt.pause)
			}
		})
	}
}

// TestPacerLongRetryAfter: a Retry-After the retry layer sits out pauses
// every request that long; one past MaxRetryAfter, on which that layer
// gives the request up, pauses them only for the cool-down (every later
// request of the client was once held for MaxRetryAfter).
func TestPacerLongRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		retryAfter string
		pause      time.Duration
	}{
		{"30", 30 * time.Second},
		{"60", time.Minute},
		{"600", time.Second},
	} {
		p := NewPacer(Policy{MinBackoff: time.Second, MaxRetryAfter: time.Minute}, rate.Inf, 1)
		now := time.Now()
		p.tooMany(now, http.Header{"Retry-After": {tt.retryAfter}})
		if got := p.pauseUntil.Sub(now); got < tt.pause || got > tt.pause+time.Second {
			t.Errorf("Retry-After %s: every request paused for %s, want %s", tt.retryAfter, got.Round(time.Millisecond), tt.pause)
		}
	}
}

// TestPacerUnlimitedStartsFromWhatItAchieved: an unlimited pacer's first
// cut starts from the rate its requests really left at.
func TestPacerUnlimitedStartsFromWhatItAchieved(t *testing.T) {
	p := NewPacer(Policy{MinBackoff: time.Millisecond}, rate.Inf, 1)
	// Six requests left 20ms apart: 50 a second.
	start := time.Now()
	for i := range 6 {
		p.sent = append(p.sent, start.Add(time.Duration(i)*20*time.Millisecond))
	}
	p.tooMany(p.sent[5], http.Header{})
	if l, _ := p.Limit(); !near(l, 35) {
		t.Errorf("limit after the first 429: %v/s, want 35/s (70%% of the 50/s achieved)", l)
	}
}

// TestPacerFloor: however many 429s, the rate stays at or above one
// request per 30 cool-downs.
func TestPacerFloor(t *testing.T) {
	p := NewPacer(Policy{MinBackoff: time.Millisecond}, 1000, 1)
	// Cut by hand, as 429s of requests sent after each cut would: the
	// requests themselves would wait for the ever lower rate.
	for range 40 {
		time.Sleep(time.Microsecond)
		p.tooMany(time.Now(), http.Header{})
	}
	if l, _ := p.Limit(); !near(l, rate.Every(30*time.Millisecond)) {
		t.Errorf("limit %v/s after 40 cuts, want the floor %v/s", l, rate.Every(30*time.Millisecond))
	}
}
