package personiosim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock replaces the server's clock so rate limits can be tested
// without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startClockedSim(t *testing.T, f Faults) (*testSim, *fakeClock) {
	t.Helper()
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 20, Offices: 2, Jobs: 2})})
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ts.mu.Lock()
	ts.now = clock.now
	ts.mu.Unlock()
	ts.SetFaults(f) // rebuilds the limiter, whose bucket is filled lazily from now()
	return ts, clock
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name     string
		faults   Faults
		allowed  int    // requests allowed at once
		refill   string // time until the next is allowed
		retryHdr string // Retry-After on the first 429, "" for none
	}{
		{"per window", Faults{RatePerMinute: 3}, 3, "20s", ""},
		{"per window with Retry-After", Faults{RatePerMinute: 3, RetryAfter: true}, 3, "20s", "20"},
		{"burst", Faults{RatePerMinute: 300, Burst: 15, RetryAfter: true}, 15, "200ms", "1"},
		{"scaled window", Faults{RatePerMinute: 300, Burst: 15, RateWindow: time.Second}, 15, "4ms", ""},
		{"burst alone", Faults{Burst: 2}, 2, "500ms", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, clock := startClockedSim(t, tt.faults)
			tok := ts.token()
			for i := range tt.allowed {
				if status, _, b := ts.do("GET", "/v1/company/employees", tok, "", ""); status != 200 {
					t.Fatalf("request %d: status %d, want 200: %s", i+1, status, b)
				}
			}
			status, h, b := ts.do("GET", "/v1/company/employees", tok, "", "")
			if status != http.StatusTooManyRequests {
				t.Fatalf("request %d: status %d, want 429", tt.allowed+1, status)
			}
			if e := decodeV1Error(t, b); e.Error.Code != 429 {
				t.Errorf("429 body code %d", e.Error.Code)
			}
			if got := h.Get("Retry-After"); got != tt.retryHdr {
				t.Errorf("Retry-After %q, want %q", got, tt.retryHdr)
			}
			// Other endpoints are not limited by the employees limit.
			if status, _, _ := ts.do("GET", "/xml?language=en", "", "", ""); status != 200 {
				t.Errorf("feed status %d while employees are limited, want 200", status)
			}
			if status, _, _ := ts.do("POST", "/v1/auth", "", "application/json", `{"client_id":"gridsync-demo","client_secret":"demo-secret-not-for-production"}`); status != 200 {
				t.Errorf("auth status %d while employees are limited, want 200", status)
			}
			d, _ := time.ParseDuration(tt.refill)
			clock.advance(d)
			if status, _, _ := ts.do("GET", "/v1/company/employees", tok, "", ""); status != 200 {
				t.Errorf("after %s: status %d, want 200 again", tt.refill, status)
			}
			if got := ts.Stats()[EndpointEmployees]; got[429] != 1 || got[200] != tt.allowed+1 {
				t.Errorf("stats %v, want %d×200 and 1×429", got, tt.allowed+1)
			}
		})
	}
}

func TestErrorRate(t *testing.T) {
	statuses := func(seed int64, rate float64, n int) []int {
		ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 5, Offices: 1}), Seed: seed})
		tok := ts.token()
		ts.SetFaults(Faults{ErrorRate: rate})
		var out []int
		for range n {
			status, _, _ := ts.do("GET", "/v1/company/employees", tok, "", "")
			out = append(out, status)
		}
		if status, _, _ := ts.do("GET", "/xml?language=en", "", "", ""); status != 200 {
			t.Errorf("feed status %d under error rate, want 200 (5xx apply to the API only)", status)
		}
		return out
	}
	t.Run("all fail with every 5xx", func(t *testing.T) {
		got := statuses(1, 1, 60)
		for _, want := range []int{500, 502, 503, 504} {
			if !slices.Contains(got, want) {
				t.Errorf("statuses %v never include %d", got, want)
			}
		}
		for _, s := range got {
			if s < 500 {
				t.Fatalf("status %d under error rate 1", s)
			}
		}
	})
	t.Run("share and determinism", func(t *testing.T) {
		a, b := statuses(42, 0.3, 200), statuses(42, 0.3, 200)
		if !slices.Equal(a, b) {
			t.Errorf("the same seed gave different fault sequences")
		}
		failed := 0
		for _, s := range a {
			if s >= 500 {
				failed++
			}
		}
		if failed < 30 || failed > 90 {
			t.Errorf("%d of 200 failed at error rate 0.3", failed)
		}
		if c := statuses(43, 0.3, 200); slices.Equal(a, c) {
			t.Errorf("different seeds gave the same fault sequence")
		}
	})
}

func TestDropRate(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 5, Offices: 1})})
	tok := ts.token()
	ts.SetFaults(Faults{DropRate: 1})
	for _, path := range []string{"/v1/company/employees", "/xml?language=en"} {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := ts.client.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: got status %d, want the connection dropped", path, resp.StatusCode)
		}
	}
	// net/http retries a request once when a reused connection closes, so
	// count at least one drop and nothing else.
	for _, ep := range []string{EndpointEmployees, EndpointFeed} {
		if got := ts.Stats()[ep]; got[0] < 1 || got[0] != ts.Stats().Total(ep) {
			t.Errorf("%s stats %v, want only drops (status 0)", ep, got)
		}
	}
}

func TestLatency(t *testing.T) {
	ts := startSim(t, Options{Faults: Faults{Latency: 30 * time.Millisecond}})
	start := time.Now()
	ts.do("GET", "/xml?language=en", "", "", "")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answer after %v, want at least the 30ms latency", d)
	}
}

func TestGarbledPage(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 250, Offices: 2}),
		Faults: Faults{Garbled: true, GarbledOffset: 100}})
	tok := ts.token()
	for _, offset := range []int{0, 100, 200, 100} {
		status, _, b := ts.do("GET", "/v1/company/employees?limit=100&offset="+strconv.Itoa(offset), tok, "", "")
		if status != 200 {
			t.Fatalf("offset %d: status %d, want 200", offset, status)
		}
		valid := json.Valid(b)
		if want := offset != 100; valid != want {
			t.Errorf("offset %d: valid JSON %v, want %v", offset, valid, want)
		}
	}
	t.Run("zero Faults garble nothing", func(t *testing.T) {
		ts.SetFaults(Faults{})
		if _, _, b := ts.do("GET", "/v1/company/employees?limit=100&offset=0", tok, "", ""); !json.Valid(b) {
			t.Errorf("page 0 garbled without Garbled")
		}
	})
}

func TestForbiddenAndHiddenAttributes(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 30, Offices: 2})})
	tok := ts.token()

	ts.SetFaults(Faults{Forbidden: true})
	for _, path := range []string{"/v1/company/employees", "/v1/company/employees/attributes"} {
		status, _, b := ts.do("GET", path, tok, "", "")
		if status != 403 || !strings.Contains(decodeV1Error(t, b).Error.Message, "employees:read") {
			t.Errorf("%s: status %d body %s, want 403 naming the scope", path, status, b)
		}
	}

	ts.SetFaults(Faults{HiddenAttributes: []string{"profile_picture", attrShirtSize}})
	_, p, _ := ts.page(tok, url.Values{"limit": {"30"}})
	for _, d := range p.Data {
		for _, hidden := range []string{"profile_picture", attrShirtSize} {
			if _, ok := d.Attributes[hidden]; ok {
				t.Fatalf("hidden attribute %s present", hidden)
			}
		}
		if _, ok := d.Attributes["first_name"]; !ok {
			t.Fatalf("first_name missing while only others are hidden")
		}
	}
	_, _, b := ts.do("GET", "/v1/company/employees/attributes", tok, "", "")
	if strings.Contains(string(b), `"profile_picture"`) {
		t.Errorf("attributes list shows a hidden attribute: %s", b)
	}
	status, _, b := ts.page(tok, url.Values{"attributes[]": {"first_name", "profile_picture"}})
	if status != 403 || !strings.Contains(decodeV1Error(t, b).Error.Message, "profile_picture") {
		t.Errorf("projection of a hidden attribute: status %d %s, want 403 naming it", status, b)
	}
}

func TestUnknownTenant(t *testing.T) {
	ts := startSim(t, Options{Faults: Faults{UnknownTenant: true}})
	ts.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	status, h, _ := ts.do("GET", "/xml?language=en", "", "", "")
	if status != http.StatusMovedPermanently || h.Get("Location") != "https://www.personio.de/" {
		t.Errorf("status %d Location %q, want 301 to https://www.personio.de/", status, h.Get("Location"))
	}
}

func TestFeedSwitches(t *testing.T) {
	tests := []struct {
		name       string
		faults     Faults
		path       string
		status     int
		location   string
		ctype, has string
	}{
		{"moved", Faults{FeedRedirect: MovedFeedPath}, "/xml?language=de", 301, MovedFeedPath + "?language=de", "", ""},
		{"moved elsewhere, query kept as given", Faults{FeedRedirect: "https://acme.jobs.personio.com/xml?language=en"}, "/xml?language=de", 301, "https://acme.jobs.personio.com/xml?language=en", "", ""},
		{"the moved feed", Faults{FeedRedirect: MovedFeedPath}, MovedFeedPath + "?language=en", 200, "", "text/xml", "<workzag-jobs>"},
		{"the moved feed without the switch", Faults{}, MovedFeedPath, 200, "", "text/xml", "<workzag-jobs>"},
		{"missing", Faults{FeedMissing: true}, "/xml?language=en", 404, "", "text/html", "<title>Page not found</title>"},
		{"moved and missing", Faults{FeedMissing: true}, MovedFeedPath, 404, "", "text/html", "<html"},
		{"unknown tenant wins", Faults{UnknownTenant: true, FeedRedirect: MovedFeedPath, FeedMissing: true}, "/xml", 301, "https://www.personio.de/", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 2, Offices: 1, Jobs: 2}), Faults: tt.faults})
			ts.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			status, h, b := ts.do("GET", tt.path, "", "", "")
			if status != tt.status || h.Get("Location") != tt.location {
				t.Errorf("status %d Location %q, want %d %q", status, h.Get("Location"), tt.status, tt.location)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), tt.ctype) || !strings.Contains(string(b), tt.has) {
				t.Errorf("Content-Type %q body %.80q, want %q holding %q", h.Get("Content-Type"), b, tt.ctype, tt.has)
			}
		})
	}
	for _, bad := range []string{"moved/xml", "ftp://example.com/xml", "://"} {
		if err := (Faults{FeedRedirect: bad}).Validate(); err == nil {
			t.Errorf("Validate accepts feed_redirect %q", bad)
		}
	}
	var f Faults
	if err := json.Unmarshal([]byte(`{"feed_redirect":"/moved/xml","feed_missing":true}`), &f); err != nil || f.FeedRedirect != MovedFeedPath || !f.FeedMissing {
		t.Errorf("decoded %+v, %v", f, err)
	}
}

func TestBeforeEmployeesPageHook(t *testing.T) {
	var (
		mu    sync.Mutex
		calls []string
		sim   *Server
	)
	hook := func(offset, limit int) {
		mu.Lock()
		calls = append(calls, strconv.Itoa(offset)+"/"+strconv.Itoa(limit))
		mu.Unlock()
		if offset == 100 {
			sim.DeleteEmployee(1) // the listing shifts under the client
		}
	}
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 250, Offices: 2}), BeforeEmployeesPage: hook})
	sim = ts.Server
	tok := ts.token()
	_, p0, _ := ts.page(tok, url.Values{"limit": {"100"}})
	_, p1, _ := ts.page(tok, url.Values{"limit": {"100"}, "offset": {"100"}})
	if !slices.Equal(calls, []string{"0/100", "100/100"}) {
		t.Errorf("hook calls %v", calls)
	}
	if p0.Metadata.TotalElements != 250 || p1.Metadata.TotalElements != 249 {
		t.Errorf("totals %d then %d, want 250 then 249", p0.Metadata.TotalElements, p1.Metadata.TotalElements)
	}
	if ids := p1.ids(t); ids[0] != 102 {
		t.Errorf("second page starts at id %d, want 102 after deleting id 1", ids[0])
	}
}

func TestFaultsJSON(t *testing.T) {
	in := `{"rate_per_minute":300,"burst":15,"rate_window":"1s","latency":"25ms","retry_after":true,"error_rate":0.1,"garbled":true,"garbled_offset":0}`
	var f Faults
	if err := json.Unmarshal([]byte(in), &f); err != nil {
		t.Fatal(err)
	}
	want := Faults{RatePerMinute: 300, Burst: 15, RateWindow: time.Second, Latency: 25 * time.Millisecond, RetryAfter: true, ErrorRate: 0.1, Garbled: true}
	if f.RateWindow != want.RateWindow || f.Latency != want.Latency || f.RatePerMinute != 300 || !f.Garbled || !f.RetryAfter {
		t.Fatalf("decoded %+v, want %+v", f, want)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"rate_window":"1s"`) {
		t.Errorf("encoded %s, want durations as strings", b)
	}
	var again Faults
	if err := json.Unmarshal(b, &again); err != nil || again.Latency != f.Latency {
		t.Errorf("round trip: %+v, %v", again, err)
	}
	if err := json.Unmarshal([]byte(`{"latency":25000000}`), &again); err != nil || again.Latency != 25*time.Millisecond {
		t.Errorf("nanoseconds: %v, %v", again.Latency, err)
	}
}
