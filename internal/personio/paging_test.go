package personio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestShiftingListingNeverMissesALiveEmployee reads a tenant whose listing
// moves under the read (an employee before the current offset deleted,
// one hired at the end, the total unchanged) many times, with latency so
// that concurrent pages interleave with the moves. Whatever the timing,
// the client either returns every employee that was there before and
// after the read, or fails with ErrListingChanged; it never returns a
// listing that silently lacks someone.
func TestShiftingListingNeverMissesALiveEmployee(t *testing.T) {
	runs := 20
	if testing.Short() {
		runs = 5
	}
	tests := []struct {
		name   string
		faults personiosim.Faults
		// mayFail: the listing keeps moving, so ErrListingChanged is a
		// correct answer; otherwise the read must succeed.
		mayFail bool
	}{
		{"once", personiosim.Faults{ShiftEvery: 3, ShiftTimes: 1, Latency: 2 * time.Millisecond}, false},
		{"twice", personiosim.Faults{ShiftEvery: 2, ShiftTimes: 2, Latency: time.Millisecond}, false},
		{"every fourth page", personiosim.Faults{ShiftEvery: 4, Latency: time.Millisecond}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var succeeded, failed, shifted int
			for run := range runs {
				env := startSim(t, personiosim.Options{Dataset: dataset(1000), Faults: tt.faults, Seed: int64(run)})
				before := env.sim.Employees()
				got, err := env.client(t, nil).Employees(context.Background())
				after := env.sim.Employees()
				if env.sim.Shifts() > 0 {
					shifted++
				}
				switch {
				case err == nil:
					succeeded++
					assertNoneMissed(t, before, after, got)
				case tt.mayFail && errors.Is(err, personio.ErrListingChanged):
					failed++
				default:
					t.Fatalf("run %d: %v", run, err)
				}
			}
			if shifted != runs {
				t.Errorf("the listing moved in %d of %d runs; the switch did not act", shifted, runs)
			}
			t.Logf("%d runs: %d read completely, %d refused as moving", runs, succeeded, failed)
		})
	}
}

// TestShiftIsDetectedAndReadAgain pins down what one move costs: the
// listing is read a second time, and no more.
func TestShiftIsDetectedAndReadAgain(t *testing.T) {
	var heads atomic.Int32
	env := startSim(t, personiosim.Options{
		Dataset:             dataset(1000),
		Faults:              personiosim.Faults{ShiftEvery: 5, ShiftTimes: 1},
		BeforeEmployeesPage: func(offset, _ int) { countHead(&heads, offset) },
	})
	c := env.client(t, func(o *personio.Options) { o.Concurrency = 1 }) // pages in order: the move lands mid-read
	before := env.sim.Employees()
	got, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertNoneMissed(t, before, env.sim.Employees(), got)
	if n := heads.Load(); n != 2 {
		t.Errorf("the listing was read %d times, want 2", n)
	}
	// 1000 employees: the first page holds rows 0..99, then pages at
	// 99, 198, …, 891 (10 more) reach row 990..999. Two reads.
	if n := env.sim.Stats().Total(personiosim.EndpointEmployees); n != 2*11 {
		t.Errorf("made %d employees requests, want 22", n)
	}
}

func countHead(n *atomic.Int32, offset int) {
	if offset == 0 {
		n.Add(1)
	}
}

// TestSmallerPagesThanAsked reads a Personio that serves fewer rows than
// the limit asks for: the client steps by the rows a page really holds
// (less one, for the overlap) and still reads everyone exactly once.
func TestSmallerPagesThanAsked(t *testing.T) {
	for _, served := range []int{50, 7, 2, 1} {
		t.Run(strconv.Itoa(served), func(t *testing.T) {
			sim := personiosim.New(personiosim.Options{Dataset: dataset(321)})
			var offsets []int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v1/company/employees" {
					q := r.URL.Query()
					off, _ := strconv.Atoi(q.Get("offset"))
					offsets = append(offsets, off)
					q.Set("limit", strconv.Itoa(served)) // the server's own cap
					r.URL.RawQuery = q.Encode()
				}
				sim.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			env := &simEnv{sim: sim, url: srv.URL}
			got, err := env.client(t, func(o *personio.Options) { o.Concurrency = 1 }).Employees(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			assertSame(t, sim, got)
			step := max(served-1, 1)
			for i, off := range offsets {
				if off != i*step {
					t.Fatalf("request %d asked for offset %d, want %d (step %d): %v", i, off, i*step, step, offsets)
				}
			}
		})
	}
}

// TestListingGrowsWhileRead hires employees at the end just before the
// last planned page is read: the client reads on to the new end, so the
// hires are in the listing, and the pages still fit together.
func TestListingGrowsWhileRead(t *testing.T) {
	var sim *personiosim.Server
	env := startSim(t, personiosim.Options{Dataset: dataset(250), BeforeEmployeesPage: func(offset, _ int) {
		if offset == 198 && len(sim.Employees()) == 250 {
			for i := range 60 {
				id := int64(1000 + i)
				sim.UpsertEmployee(personiosim.Employee{ID: id, FirstName: "New", LastName: "Hire", Email: "new" + strconv.FormatInt(id, 10) + "@acme.example", Status: "onboarding"})
			}
		}
	}})
	sim = env.sim
	got, err := env.client(t, func(o *personio.Options) { o.Concurrency = 1 }).Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, sim, got) // all 310, hires included
	if n := sim.Stats().Total(personiosim.EndpointEmployees); n != 4 {
		t.Errorf("made %d employees requests, want 4 (3 planned, 1 to the new end)", n)
	}
}
