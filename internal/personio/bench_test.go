package personio

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/plan"
)

// benchSim starts the simulator with n generated employees.
func benchSim(b *testing.B, n int, faults personiosim.Faults) (*personiosim.Server, string) {
	b.Helper()
	sim := personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: n, Offices: 20, Jobs: 50}),
		Faults:  faults,
	})
	srv := httptest.NewServer(sim)
	b.Cleanup(srv.Close)
	return sim, srv.URL
}

func benchClient(b *testing.B, url string, mod func(*Options)) *Client {
	b.Helper()
	opts := Options{
		APIURL: url, JobsURL: url, Tenant: "acme",
		Credentials: Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret},
		RateLimit:   rate.Inf,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// retainedBytes returns how many heap bytes stay reachable only through the
// value keep returns: the live heap after a collection with it, less the
// live heap after a collection without it.
func retainedBytes(keep func() any) uint64 {
	var ms runtime.MemStats
	v := keep()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	with := ms.HeapAlloc
	runtime.KeepAlive(v)
	v = nil
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > with {
		return 0
	}
	return with - ms.HeapAlloc
}

// keepModes are the KeepAttributes settings the benchmarks compare: every
// attribute (nil, the default), none (gridsync without employee_fields)
// and two custom fields.
var keepModes = []struct {
	name string
	keys []string
}{
	{"keep=all", nil},
	{"keep=none", []string{}},
	{"keep=2", []string{"dynamic_1001", "department"}},
}

// pagesFor is how many employees pages a listing of n employees takes:
// the first holds PageSize rows, each further page PageSize-1 new ones
// (pages overlap by one row).
func pagesFor(n int) int {
	if n <= PageSize {
		return 1
	}
	return 1 + (n-PageSize+PageSize-2)/(PageSize-1)
}

// shapes are the employee shapes the benchmarks compare: the generated
// dataset's 15 attributes, and 60 with Faults.WideEmployees.
var shapes = []struct {
	name   string
	faults personiosim.Faults
}{
	{"narrow", personiosim.Faults{}},
	{"wide", personiosim.Faults{WideEmployees: true}},
}

// BenchmarkSource100k reads a 100,000-employee tenant from the simulator
// into the plan's input, without limits. Metrics: requests per run
// (pagesFor(n) pages + 1 auth + 1 feed), wall seconds per run, allocations
// per employee of the whole process (client and in-process simulator
// together), and the live heap the last read holds per employee.
func BenchmarkSource100k(b *testing.B) {
	const n = 100_000
	sim, url := benchSim(b, n, personiosim.Faults{})
	for _, shape := range shapes {
		for _, mode := range keepModes {
			b.Run(shape.name+"/"+mode.name, func(b *testing.B) {
				sim.SetFaults(shape.faults)
				benchSource(b, sim, url, n, mode.keys)
			})
		}
	}
}

// benchSource measures Source of the n employees sim serves, keeping
// keep.
func benchSource(b *testing.B, sim *personiosim.Server, url string, n int, keep []string) {
	var (
		ms   runtime.MemStats
		reqs int
		last *plan.Source
	)
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	b.ResetTimer()
	for b.Loop() {
		sim.ResetStats()
		src, err := benchClient(b, url, func(o *Options) { o.KeepAttributes = keep }).Source(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(src.Employees) != n {
			b.Fatalf("%d employees, want %d", len(src.Employees), n)
		}
		st := sim.Stats()
		reqs = st.Total(personiosim.EndpointAuth) + st.Total(personiosim.EndpointEmployees) + st.Total(personiosim.EndpointFeed)
		last = src
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	retained := retainedBytes(func() any { s := last; last = nil; return s })
	if reqs != pagesFor(n)+2 {
		b.Errorf("made %d requests, want %d", reqs, pagesFor(n)+2)
	}
	b.ReportMetric(float64(reqs), "requests/op")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "wall-s/op")
	b.ReportMetric(float64(ms.Mallocs-mallocs)/float64(b.N)/float64(n), "allocs/employee")
	b.ReportMetric(float64(retained)/float64(n), "retained-B/employee")
}

// BenchmarkDecodePage isolates the client's cost per employee: decoding
// recorded simulator pages, narrow and wide, with no HTTP and no
// simulator in the count. Metrics: CPU time, allocations and retained
// live heap per employee.
func BenchmarkDecodePage(b *testing.B) {
	for _, shape := range shapes {
		pages := recordPages(b, 1000, shape.faults)
		for _, mode := range keepModes {
			b.Run(shape.name+"/"+mode.name, func(b *testing.B) {
				sel := newSelection(mode.keys, nil)
				b.SetBytes(int64(len(pages[0])))
				b.ReportAllocs()
				b.ResetTimer()
				i := 0
				for b.Loop() {
					if _, err := decodePage(pages[i%len(pages)], sel, 0); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.StopTimer()
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/PageSize, "ns/employee")
				b.ReportMetric(testing.AllocsPerRun(20, func() { _, _ = decodePage(pages[0], sel, 0) })/PageSize, "allocs/employee")
				retained := retainedBytes(func() any {
					all := make([]employeePage, len(pages))
					for i, body := range pages {
						all[i], _ = decodePage(body, newSelection(mode.keys, nil), 0)
					}
					return all
				})
				b.ReportMetric(float64(retained)/float64(len(pages)*PageSize), "retained-B/employee")
			})
		}
	}
}

// recordPages fetches the employees pages of an n-employee simulator
// with faults, as raw bodies.
func recordPages(b *testing.B, n int, faults personiosim.Faults) [][]byte {
	b.Helper()
	_, url := benchSim(b, n, faults)
	c := benchClient(b, url, nil)
	if err := c.Authenticate(context.Background()); err != nil {
		b.Fatal(err)
	}
	var pages [][]byte
	for off := 0; off < n; off += PageSize {
		req, _ := http.NewRequest("GET", url+"/v1/company/employees?limit=100&offset="+strconv.Itoa(off), nil)
		req.Header.Set("Authorization", "Bearer "+c.currentToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pages = append(pages, body)
	}
	return pages
}

// BenchmarkPacedListing runs the listing against the simulator limited like
// Personio (300 per window, bursts of 15) with time scaled a minute to a
// second, and the client configured to the same scaled limit. Metrics: the
// achieved employees request rate as a share of the allowed rate (goal ≥
// 0.9) and the 429s received (goal 0).
func BenchmarkPacedListing(b *testing.B) {
	const n = 30_000 // 300 pages: about a second at the scaled limit
	limit := personiosim.Faults{RatePerMinute: 300, RateWindow: time.Second, Burst: 15}
	sim, url := benchSim(b, n, personiosim.Faults{})
	var share, tooMany float64
	for b.Loop() {
		// A fresh limit starts with a full bucket, like a fresh minute.
		sim.SetFaults(limit)
		c := benchClient(b, url, func(o *Options) { o.RateLimit, o.Burst = 300, 15 })
		if err := c.Authenticate(context.Background()); err != nil {
			b.Fatal(err)
		}
		sim.ResetStats()
		start := time.Now()
		emps, err := c.Employees(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		if len(emps) != n {
			b.Fatalf("%d employees, want %d", len(emps), n)
		}
		st := sim.Stats()[personiosim.EndpointEmployees]
		share += float64(st[200]) / elapsed.Seconds() / 300
		tooMany += float64(st[429])
	}
	b.ReportMetric(share/float64(b.N), "rate-share")
	b.ReportMetric(tooMany/float64(b.N), "429s/op")
}
