package personio

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const testSecret = "s3cr3t-never-printed"

// fakeAPI is a tiny v1 API: /v1/auth hands out "tok-1", and employees
// answers come from the test's handler.
type fakeAPI struct {
	employees http.HandlerFunc
	authCalls atomic.Int32
	authFail  int // status to answer /v1/auth with; 0 = success
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/auth":
		n := f.authCalls.Add(1)
		if f.authFail != 0 {
			w.WriteHeader(f.authFail)
			w.Write([]byte(`{"success":false,"error":{"code":0,"message":"Wrong credentials"}}`))
			return
		}
		w.Write([]byte(`{"success":true,"data":{"token":"tok-` + itoa(int(n)) + `","expires_in":86400}}`))
	default:
		f.employees(w, r)
	}
}

// testClient returns a client for base with fast backoff and no pacing.
func testClient(t *testing.T, base string, mod func(*Options)) *Client {
	t.Helper()
	opts := Options{
		APIURL: base, JobsURL: base, Tenant: "acme",
		Credentials: Credentials{ClientID: "id", ClientSecret: testSecret},
		RateLimit:   rate.Inf, MaxAttempts: 4,
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pageAt reads the employees page at offset, as a listing's first page.
func (c *Client) pageAt(ctx context.Context, offset int) (employeePage, error) {
	return c.page(ctx, c.sel, offset, 0)
}

func onePage(w http.ResponseWriter) {
	w.Write([]byte(page(1, emp(attr("id", "integer", "1")))))
}

func TestRetriesTransientFailures(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var calls atomic.Int32
			api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) < 3 {
					w.WriteHeader(status)
					return
				}
				onePage(w)
			}}
			srv := httptest.NewServer(api)
			defer srv.Close()
			p, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Employees) != 1 || calls.Load() != 3 {
				t.Errorf("employees %d after %d calls; want 1 after 3", len(p.Employees), calls.Load())
			}
		})
	}
}

func TestRetriesDroppedConnections(t *testing.T) {
	var calls atomic.Int32
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1: // closed before any answer
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case 2: // closed in the middle of the body
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"success\":true,")
			buf.Flush()
			conn.Close()
		default:
			onePage(w)
		}
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	if _, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Errorf("calls = %d, want 3", calls.Load())
	}
}

func TestGivesUpWithAClearError(t *testing.T) {
	var calls atomic.Int32
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, func(o *Options) { o.MaxAttempts = 3 }).pageAt(context.Background(), 200)
	var re *RetryError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RetryError", err)
	}
	if re.Attempts != 3 || calls.Load() != 3 || re.StatusCode != 429 {
		t.Errorf("attempts %d, calls %d, status %d; want 3, 3, 429", re.Attempts, calls.Load(), re.StatusCode)
	}
	for _, want := range []string{"employees page at offset 200: ", "Personio kept answering 429 Too Many Requests after 3 attempts over ", "try again later or lower the request rate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	var (
		mu    sync.Mutex
		times []time.Time
	)
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		onePage(w)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	if _, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	// Backoff alone would retry after a few milliseconds.
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %s, want the 1s Retry-After honoured", gap)
	}
}

// TestPacerWaitIsNotAnAttempt: after Personio asks every request to wait
// (a 429 with Retry-After), a request that waits for the pacer longer than
// one attempt may take is sent once the pause is over. HTTPClient.Timeout
// bounds the exchange with Personio, not the wait before it: counting the
// wait, the request failed as "could not be reached" without being sent.
func TestPacerWaitIsNotAnAttempt(t *testing.T) {
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/attributes") {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		onePage(w)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := testClient(t, srv.URL, func(o *Options) {
		o.MaxAttempts = 1
		o.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond}
	})
	ctx := context.Background()
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	var re *RetryError
	if _, err := c.Attributes(ctx); !errors.As(err, &re) || re.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want the 429", err)
	}
	// Every request now waits a second, ten times an attempt's limit.
	if _, err := c.Employees(ctx); err != nil {
		t.Fatalf("the request that waited for the pacer failed: %v", err)
	}
}

func TestRetryAfterTooLongStopsAtOnce(t *testing.T) {
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
	if err == nil || !strings.Contains(err.Error(), "asks to wait 1h0m0s (Retry-After); try again later") {
		t.Fatalf("err = %v", err)
	}
}

func TestDoesNotRetryOtherStatuses(t *testing.T) {
	var calls atomic.Int32
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"success":false,"error":{"code":400,"message":"The limit must not be greater than 100"}}`))
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 400 || calls.Load() != 1 {
		t.Fatalf("err = %v after %d calls, want one *StatusError 400", err, calls.Load())
	}
	if !strings.Contains(err.Error(), `Personio says "The limit must not be greater than 100"`) {
		t.Errorf("error %q lacks Personio's message", err)
	}
}

// TestCancellationIsPrompt checks that cancelling stops the client whatever
// it is waiting on: an answer, a backoff, or the pacer. Each case cancels at
// the moment the client is provably in that wait: from the handler while
// the request is in flight, or from the log line the client writes just
// before it sleeps, so a cancellation that lands elsewhere cannot make the
// test pass.
func TestCancellationIsPrompt(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	tests := []struct {
		name    string
		handler func(cancel func()) http.HandlerFunc
		onLog   string // cancel when the client logs this message
		mod     func(*Options)
	}{
		{"waiting for an answer", func(cancel func()) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				cancel()
				select {
				case <-block:
				case <-r.Context().Done():
				}
			}
		}, "", nil},
		{"backing off", func(func()) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}, "Personio request failed, retrying", func(o *Options) { o.MinBackoff, o.MaxBackoff = time.Hour, time.Hour }},
		{"honouring Retry-After", func(func()) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "240")
				w.WriteHeader(http.StatusTooManyRequests)
			}
		}, "Personio request failed, retrying", nil},
		{"pacing", func(func()) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { onePage(w) }
		}, "waiting for Personio's rate limit", func(o *Options) { o.RateLimit, o.Burst = rate.Every(time.Hour), 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancelCtx := context.WithCancel(context.Background())
			defer cancelCtx()
			cancelled := make(chan struct{})
			var once sync.Once
			cancel := func() {
				once.Do(func() {
					close(cancelled)
					cancelCtx()
				})
			}
			srv := httptest.NewServer(&fakeAPI{employees: tt.handler(cancel)})
			defer srv.Close()
			c := testClient(t, srv.URL, func(o *Options) {
				if tt.mod != nil {
					tt.mod(o)
				}
				o.Logger = slog.New(&hookHandler{fn: func(msg string) {
					if tt.onLog != "" && msg == tt.onLog {
						cancel()
					}
				}})
			})
			if err := c.Authenticate(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Every wait here lasts minutes or more: that Employees returns
			// at all shows the cancellation ended it.
			done := make(chan struct{})
			var err error
			go func() { _, err = c.Employees(ctx); close(done) }()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("Employees did not return: the client never reached the wait it should be cancelled in, or it ignored the cancellation")
			}
			select {
			case <-cancelled:
			default:
				t.Fatalf("Employees returned (%v) before reaching the wait it should be cancelled in", err)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		})
	}
}

// hookHandler is a slog.Handler that hands each message to fn: a way to
// act at the moment the client logs, or to count what it logs.
type hookHandler struct{ fn func(msg string) }

func (h *hookHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *hookHandler) Handle(_ context.Context, r slog.Record) error {
	h.fn(r.Message)
	return nil
}
func (h *hookHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *hookHandler) WithGroup(string) slog.Handler      { return h }

// garbledPage answers 200 with a whole body that is not a page: JSON
// mangled on the way, as by a proxy that cut it and appended its own text.
func garbledPage(w http.ResponseWriter) {
	w.Write([]byte("{\"success\":true,\"metadata\":{\"total_elements\":1,\"data\":[{\"type\":\"Employee\",\"attr\x00<!-- upstream timeout -->"))
}

// cutShort answers 200 and drops the connection halfway through the body,
// which the client sees as io.ErrUnexpectedEOF.
func cutShort(w http.ResponseWriter) {
	conn, buf, _ := w.(http.Hijacker).Hijack()
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"success\":true,")
	buf.Flush()
	conn.Close()
}

// TestUndecodablePageSharesTheAttemptBudget: a garbled page is asked for
// again within the same MaxAttempts as every other failure of the request,
// not with a fresh budget (which made a page cost up to 2×MaxAttempts).
func TestUndecodablePageSharesTheAttemptBudget(t *testing.T) {
	var calls atomic.Int32
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			garbledPage(w)
			return
		}
		cutShort(w)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 4 {
		t.Fatalf("err = %v, want a *RetryError after 4 attempts", err)
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("page requested %d times, want MaxAttempts = 4", n)
	}
}

// TestUndecodablePageAskedForOnceMore: an always garbled page is asked for
// exactly once more when an attempt is left, the log says so only when it
// is true, and the error says how many answers were seen.
func TestUndecodablePageAskedForOnceMore(t *testing.T) {
	tests := []struct {
		maxAttempts int
		calls       int32
		logged      int
		want, not   string
	}{
		{4, 2, 1, "could not be understood, twice in a row (", "no attempt was left"},
		{2, 2, 1, "could not be understood, twice in a row (", "no attempt was left"},
		{1, 1, 0, "could not be understood, and no attempt was left to ask for it again (", "twice"},
	}
	for _, tt := range tests {
		t.Run(itoa(tt.maxAttempts), func(t *testing.T) {
			var calls atomic.Int32
			api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				garbledPage(w)
			}}
			srv := httptest.NewServer(api)
			defer srv.Close()
			var (
				mu     sync.Mutex
				logged int
			)
			c := testClient(t, srv.URL, func(o *Options) {
				o.MaxAttempts = tt.maxAttempts
				o.Logger = slog.New(&hookHandler{fn: func(msg string) {
					if strings.Contains(msg, "decoded") || strings.Contains(msg, "retrying") {
						mu.Lock()
						logged++
						mu.Unlock()
					}
				}})
			})
			_, err := c.pageAt(context.Background(), 300)
			var pe *PageError
			if !errors.As(err, &pe) || pe.Offset != 300 {
				t.Fatalf("err = %v, want a *PageError at offset 300", err)
			}
			for _, want := range []string{tt.want, "not the expected JSON", "This is not a problem with the configuration"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q\nwant it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), tt.not) {
				t.Errorf("err = %q\nwant it not to contain %q", err, tt.not)
			}
			if n := calls.Load(); n != tt.calls {
				t.Errorf("page requested %d times, want %d", n, tt.calls)
			}
			mu.Lock()
			defer mu.Unlock()
			if logged != tt.logged {
				t.Errorf("%d retry log lines, want %d", logged, tt.logged)
			}
		})
	}
}

// TestRetryAfterNeverUndercutsMinBackoff: "Retry-After: 0" or a date in the
// past must not turn the retries into a burst; MinBackoff stays the floor.
func TestRetryAfterNeverUndercutsMinBackoff(t *testing.T) {
	for _, header := range []string{"0", "Sat, 01 Mar 2025 11:00:00 GMT"} {
		t.Run(header, func(t *testing.T) {
			var (
				mu    sync.Mutex
				times []time.Time
			)
			api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
				w.Header().Set("Retry-After", header)
				w.WriteHeader(http.StatusTooManyRequests)
			}}
			srv := httptest.NewServer(api)
			defer srv.Close()
			const floor = 80 * time.Millisecond
			c := testClient(t, srv.URL, func(o *Options) { o.MaxAttempts, o.MinBackoff, o.MaxBackoff = 3, floor, floor })
			if _, err := c.pageAt(context.Background(), 0); err == nil {
				t.Fatal("want an error after 3 answers of 429")
			}
			if len(times) != 3 {
				t.Fatalf("%d attempts, want 3", len(times))
			}
			for i := 1; i < len(times); i++ {
				if gap := times[i].Sub(times[i-1]); gap < floor-5*time.Millisecond {
					t.Errorf("attempt %d came %s after the previous one, want at least MinBackoff %s", i+1, gap, floor)
				}
			}
		})
	}
}

// TestRetryErrorNamesTheSetting: a request that keeps failing on the
// network names the setting that decides where it went.
func TestRetryErrorNamesTheSetting(t *testing.T) {
	hangUp := func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}
	tests := []struct {
		name string
		mod  func(*Options)
		call func(*Client) error
		want string
	}{
		{"api", nil, func(c *Client) error { _, err := c.pageAt(context.Background(), 0); return err },
			"; check the network and personio.api_url, then try again"},
		{"explicit jobs_url", func(o *Options) { o.JobsURLSet = true }, func(c *Client) error { _, err := c.Jobs(context.Background()); return err },
			"; check the network and personio.jobs_url, then try again"},
		{"jobs_url of unknown origin", nil, func(c *Client) error { _, err := c.Jobs(context.Background()); return err },
			"; check the network and personio.jobs_url (or personio.tenant), then try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&fakeAPI{employees: hangUp})
			defer srv.Close()
			err := tt.call(testClient(t, srv.URL, tt.mod))
			var re *RetryError
			if !errors.As(err, &re) || re.StatusCode != 0 {
				t.Fatalf("err = %v, want a network *RetryError", err)
			}
			if !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("err = %q\nwant suffix %q", err, tt.want)
			}
		})
	}
}
