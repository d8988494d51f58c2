package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// fastPolicy retries quickly, for tests.
func fastPolicy() Policy {
	return Policy{Name: "Test", MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond}
}

// serve starts a server whose n-th request (from 1) is answered by h.
func serve(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) (url string, calls *atomic.Int32) {
	t.Helper()
	calls = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(int(calls.Add(1)), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, calls
}

func hangUp(w http.ResponseWriter) {
	conn, _, _ := w.(http.Hijacker).Hijack()
	conn.Close()
}

func TestRetryOutcomes(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		handler   func(n int, w http.ResponseWriter, r *http.Request)
		wantCalls int32
		// wantStatus is the answer returned (0: an error) and wantAttempts
		// what Attempts reports for it.
		wantStatus, wantAttempts int
		wantErr                  string
	}{
		{"503 then 200", "GET", func(n int, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("ok"))
		}, 3, 200, 1, ""},
		{"500 forever returns the last answer", "GET", func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}, 4, 500, 4, ""},
		{"404 is final", "GET", func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
		}, 1, 404, 1, ""},
		{"dropped, then cut mid-body, then 200", "GET", func(n int, w http.ResponseWriter, r *http.Request) {
			switch n {
			case 1:
				hangUp(w)
			case 2:
				conn, buf, _ := w.(http.Hijacker).Hijack()
				buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"half\":")
				buf.Flush()
				conn.Close()
			default:
				w.Write([]byte("ok"))
			}
		}, 3, 200, 1, ""},
		{"dropped forever", "GET", func(n int, w http.ResponseWriter, r *http.Request) { hangUp(w) }, 4, 0, 0, "(after 4 attempts)"},
		{"POST is not repeated", "POST", func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, 1, 502, 1, ""},
		{"Retry-After too long returns at once", "GET", func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		}, 1, 429, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, calls := serve(t, tt.handler)
			p := fastPolicy()
			p.Repeatable = func(r *http.Request) bool { return r.Method != http.MethodPost }
			hc := &http.Client{Transport: Retry(http.DefaultTransport, p)}
			req, _ := http.NewRequest(tt.method, url, strings.NewReader("body"))
			resp, err := hc.Do(req)
			if tt.wantErr != "" {
				var ge *GiveUpError
				if !errors.As(err, &ge) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a *GiveUpError saying %q", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tt.wantStatus || Attempts(resp) != tt.wantAttempts {
					t.Errorf("answer %d after %d attempts, want %d after %d", resp.StatusCode, Attempts(resp), tt.wantStatus, tt.wantAttempts)
				}
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

// TestRetryResendsTheBody: a retried POST that may be repeated carries its
// whole body each time.
func TestRetryResendsTheBody(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	url, _ := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusBadGateway)
		}
	})
	hc := &http.Client{Transport: Retry(http.DefaultTransport, fastPolicy())}
	resp, err := hc.Post(url, "text/plain", bytes.NewReader([]byte("payload")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Join(bodies, ",") != "payload,payload" {
		t.Errorf("bodies sent: %q", bodies)
	}
}

func TestRetryCheck(t *testing.T) {
	tests := []struct {
		name      string
		attempts  int
		check     func(body []byte) error
		wantCalls int32
		wantTimes int // 0: no error
	}{
		{"fails once, then passes", 4, func(b []byte) error {
			if string(b) == "1" {
				return errors.New("mangled")
			}
			return nil
		}, 2, 0},
		{"fails twice: asked for once more only", 4, func([]byte) error { return errors.New("mangled") }, 2, 2},
		{"fails on the only attempt", 1, func([]byte) error { return errors.New("mangled") }, 1, 1},
		{"final: not asked again", 4, func([]byte) error { return Final(errors.New("an HTML page")) }, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, calls := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(string(rune('0' + n))))
			})
			p := fastPolicy()
			p.MaxAttempts = tt.attempts
			hc := &http.Client{Transport: Retry(http.DefaultTransport, p)}
			ctx := WithCheck(context.Background(), func(_ http.Header, b []byte) error { return tt.check(b) })
			req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
			resp, err := hc.Do(req)
			var ce *CheckError
			switch {
			case tt.wantTimes == 0 && err != nil:
				t.Fatal(err)
			case tt.wantTimes == 0:
				resp.Body.Close()
			case !errors.As(err, &ce) || ce.Times != tt.wantTimes:
				t.Fatalf("err = %v, want a *CheckError after %d answers", err, tt.wantTimes)
			case errors.As(err, new(*finalError)):
				t.Errorf("err = %v still wrapped as final", err)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

// TestRetryAttemptTimeout: an attempt that hangs, waiting for the answer
// or in the middle of its body, is abandoned after Timeout's bound and
// tried again, not the whole request.
func TestRetryAttemptTimeout(t *testing.T) {
	for _, hang := range []string{"before the headers", "in the body"} {
		t.Run(hang, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			url, calls := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					if hang == "in the body" {
						w.Header().Set("Content-Length", "10")
						w.Write([]byte("half"))
						w.(http.Flusher).Flush()
					}
					select {
					case <-release:
					case <-r.Context().Done():
					}
					return
				}
				w.Write([]byte("ok"))
			})
			hc := &http.Client{Transport: Retry(Timeout(http.DefaultTransport, 50*time.Millisecond), fastPolicy())}
			resp, err := hc.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if b, _ := Bytes(resp); string(b) != "ok" || calls.Load() != 2 {
				t.Errorf("answer %q after %d requests, want ok after 2", b, calls.Load())
			}
		})
	}
}

// TestTimeoutLeavesOutThePacersWait: a request that waits for the pacer
// after another's 429 has not been sent yet, so the wait does not use up
// its time limit. (With the limit above the pacer, every attempt ran out
// in the queue and the request failed without ever being sent.)
func TestTimeoutLeavesOutThePacersWait(t *testing.T) {
	url, calls := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1") // a pause of a second for every request
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	p := NewPacer(Policy{MinBackoff: time.Millisecond}, rate.Inf, 4)
	if status := get(t, &http.Client{Transport: p.Wrap(http.DefaultTransport)}, url); status != http.StatusTooManyRequests {
		t.Fatalf("first answer %d, want 429", status)
	}
	policy := fastPolicy()
	policy.MaxAttempts = 2
	hc := &http.Client{Transport: Retry(p.Wrap(Timeout(http.DefaultTransport, 50*time.Millisecond)), policy)}
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatalf("a request queued behind the pause failed: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || calls.Load() != 2 {
		t.Errorf("answer %d after %d requests, want 200 after 2", resp.StatusCode, calls.Load())
	}
}

// TestRetryWaits checks the waits between attempts: Retry-After when
// given, never below MinBackoff (also for "Retry-After: 0"), and the floor
// alone after a 429 without one.
func TestRetryWaits(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		status     int
		min        time.Duration
	}{
		{"Retry-After 1s", "1", 429, 950 * time.Millisecond},
		{"Retry-After 0 keeps the floor", "0", 503, 75 * time.Millisecond},
		{"a date in the past keeps the floor", "Sat, 01 Mar 2025 11:00:00 GMT", 429, 75 * time.Millisecond},
		{"429 without Retry-After waits the floor", "", 429, 75 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var times []time.Time
			url, _ := serve(t, func(n int, w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
				if n == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					w.WriteHeader(tt.status)
				}
			})
			p := Policy{MaxAttempts: 2, MinBackoff: 80 * time.Millisecond, MaxBackoff: 80 * time.Millisecond}
			resp, err := (&http.Client{Transport: Retry(http.DefaultTransport, p)}).Get(url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(times) != 2 {
				t.Fatalf("%d requests, want 2", len(times))
			}
			if gap := times[1].Sub(times[0]); gap < tt.min {
				t.Errorf("retried after %s, want at least %s", gap, tt.min)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	p := Policy{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}
	for range 50 {
		next := p.backoff()
		for n := 1; n <= 8; n++ {
			lo := min(time.Second<<(n-1), 20*time.Second) // jitter reaches a third below the cap
			hi := min(time.Second<<n, 30*time.Second)
			if d := next(); d < lo || d > hi {
				t.Fatalf("wait %d = %s, want within [%s, %s]", n, d, lo, hi)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second, true},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0, true}, // in the past: retry now
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Retry-After", tt.header)
			}
			got, ok := RetryAfter(h, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("RetryAfter(%q) = %s, %v; want %s, %v", tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestBodyBuffers: the answer's body is read in full and readable through
// Bytes without a copy until it is closed.
func TestBodyBuffers(t *testing.T) {
	url, _ := serve(t, func(n int, w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) })
	resp, err := (&http.Client{Transport: Retry(http.DefaultTransport, fastPolicy())}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := Bytes(resp); !ok || string(b) != "hello" {
		t.Errorf("Bytes = %q, %v", b, ok)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "hello" {
		t.Errorf("Body reads %q", b)
	}
	resp.Body.Close()
	if _, ok := Bytes(resp); ok {
		t.Error("Bytes still answers after Close")
	}
}
