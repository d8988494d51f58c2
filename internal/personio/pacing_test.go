package personio_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestOneTooManyMakesEveryoneWait: a 429 to one request pauses the
// requests of every worker, not only the retry of the one that saw it. Two
// workers read the second and the third page; the second is answered 429
// at once, the third only once the client has taken the 429 in (its pace
// is cut), so its worker asks for the fourth while the pause is on. With a
// per-request cool-down the fourth page would come at once. Pages overlap
// by one row, so they start at multiples of PageSize-1.
func TestOneTooManyMakesEveryoneWait(t *testing.T) {
	const coolDown = 300 * time.Millisecond
	page := func(n int) string { return strconv.Itoa(n * (personio.PageSize - 1)) }
	second, third, fourth := page(1), page(2), page(3)
	sim := personiosim.New(personiosim.Options{Dataset: dataset(1000)})
	var (
		c         *personio.Client
		mu        sync.Mutex
		seen      = map[string]bool{}
		tooManyAt time.Time
		fourthAt  time.Time
		answered  = make(chan struct{})
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/company/employees" {
			off := r.URL.Query().Get("offset")
			mu.Lock()
			first := !seen[off]
			seen[off] = true
			if off == fourth && first {
				fourthAt = time.Now()
			}
			mu.Unlock()
			switch {
			case off == second && first:
				mu.Lock()
				tooManyAt = time.Now()
				mu.Unlock()
				w.WriteHeader(http.StatusTooManyRequests)
				close(answered)
				return
			case off == third && first:
				<-answered
				// The pacer cuts the burst to 1 when it takes a 429 in,
				// under the same lock as it starts the pause.
				for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
					if _, burst := c.Pace(); burst == 1 {
						break
					}
					if time.Now().After(deadline) {
						t.Error("the client never took the 429 in")
						break
					}
				}
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var err error
	c, err = personio.New(personio.Options{
		APIURL: srv.URL, JobsURL: srv.URL, Tenant: "acme",
		Credentials: personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret},
		RateLimit:   1000, Burst: 100, Concurrency: 2,
		MinBackoff: coolDown, MaxBackoff: coolDown,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1000 {
		t.Fatalf("%d employees, want 1000", len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	if wait := fourthAt.Sub(tooManyAt); wait < coolDown {
		t.Errorf("the fourth page was asked for %s after the 429 to the second, want after the shared cool-down of %s", wait, coolDown)
	}
}

// TestStormSlowsTheClientDown: under a 429 storm (Personio allows a tenth
// of the rate the client was configured for) the listing is complete, the
// client has lowered its own pace, and it paid far fewer 429s than pages:
// a client that pays a backoff per 429 without slowing down collects more
// 429s than it reads pages (63 for these 30 pages when measured).
func TestStormSlowsTheClientDown(t *testing.T) {
	env := startSim(t, personiosim.Options{
		Dataset: dataset(stormPages * personio.PageSize),
		Faults:  personiosim.Faults{RatePerMinute: stormServerRate, RateWindow: time.Second, Burst: 1},
	})
	c := env.client(t, func(o *personio.Options) {
		o.RateLimit, o.Burst = 3000.0/60, 15
		o.MinBackoff, o.MaxBackoff, o.MaxAttempts = 100*time.Millisecond, 3*time.Second, 0
	})
	got, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, env.sim, got)
	if perMinute, burst := c.Pace(); perMinute >= 3000*0.95 || burst != 1 {
		t.Errorf("pace after the storm: %.0f a minute, burst %d; want below the configured %.0f, burst 1", perMinute, burst, 3000*0.95)
	}
	if n := env.sim.Stats()[personiosim.EndpointEmployees][http.StatusTooManyRequests]; n == 0 || n >= stormPages {
		t.Errorf("%d answers of 429 for %d pages; want some, and fewer than the pages", n, stormPages)
	}
}

// stormPages is the size of the storm benchmark's listing: 30 employees
// pages, 3,000 employees.
const stormPages = 30

// stormServerRate is what the simulator allows in the storm: 10 employees
// requests a second with no burst, a tenth of the pace the client was told.
const stormServerRate = 10

// BenchmarkStorm reads a 3,000-employee listing while Personio answers 429
// to anything above a tenth of the rate the client was configured for.
// Time is scaled ten to one: the client is configured like the defaults
// (300 a minute with bursts of 15, first backoff 1s, 6 attempts) sped up
// tenfold, so it expects 50 requests a second and backs off from 100ms.
//
// Metrics: wall seconds per listing; the server's allowance (the least time
// its limit permits: the pages after the first at 10 a second); the ratio
// of the two; and the 429s and requests the listing cost. "calm" is the
// same listing without the storm; attempts=30 lifts the attempts so that
// a client paying a backoff per 429 finishes too.
func BenchmarkStorm(b *testing.B) {
	storm := personiosim.Faults{RatePerMinute: stormServerRate, RateWindow: time.Second, Burst: 1}
	withRetryAfter := storm
	withRetryAfter.RetryAfter = true
	for _, bc := range []struct {
		name     string
		faults   personiosim.Faults
		attempts int // 0: the default, 6
	}{
		{"calm", personiosim.Faults{}, 0},
		{"429-storm", storm, 0},
		{"429-storm-retry-after", withRetryAfter, 0},
		// With attempts enough for a per-request backoff to get through.
		{"429-storm/attempts=30", storm, 30},
		{"429-storm-retry-after/attempts=30", withRetryAfter, 30},
	} {
		b.Run(bc.name, func(b *testing.B) {
			sim := personiosim.New(personiosim.Options{
				Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: stormPages * personio.PageSize, Offices: 5, Jobs: 5}),
			})
			srv := httptest.NewServer(sim)
			b.Cleanup(srv.Close)
			var tooMany, requests float64
			for b.Loop() {
				sim.SetFaults(bc.faults) // a fresh limit starts with a full bucket
				sim.ResetStats()
				c, err := personio.New(personio.Options{
					APIURL: srv.URL, JobsURL: srv.URL, Tenant: "acme",
					Credentials: personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret},
					RateLimit:   3000.0 / 60, Burst: 15,
					MinBackoff: 100 * time.Millisecond, MaxBackoff: 3 * time.Second,
					MaxAttempts: bc.attempts,
				})
				if err != nil {
					b.Fatal(err)
				}
				emps, err := c.Employees(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if len(emps) != stormPages*personio.PageSize {
					b.Fatalf("%d employees, want %d", len(emps), stormPages*personio.PageSize)
				}
				st := sim.Stats()
				tooMany += float64(st[personiosim.EndpointEmployees][429])
				requests += float64(st.Total(personiosim.EndpointEmployees) + st.Total(personiosim.EndpointAuth))
			}
			wall := b.Elapsed().Seconds() / float64(b.N)
			allowance := float64(stormPages-1) / stormServerRate
			b.ReportMetric(wall, "wall-s/op")
			if bc.faults.RatePerMinute > 0 {
				b.ReportMetric(allowance, "allowance-s")
				b.ReportMetric(wall/allowance, "x-allowance")
			}
			b.ReportMetric(tooMany/float64(b.N), "429s/op")
			b.ReportMetric(requests/float64(b.N), "requests/op")
		})
	}
}
