package personio_test

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/plan"
)

// simEnv is a simulator behind an HTTP server, with a recorder of what the
// client sent.
type simEnv struct {
	sim *personiosim.Server
	url string

	mu     sync.Mutex
	limits []string // limit= of every employees request
	sent   []string // Authorization of every employees request
	issued []string // tokens sent back in Authorization response headers
	// projections are the attributes[] of every employees request.
	projections []string
}

func startSim(t testing.TB, opts personiosim.Options) *simEnv {
	t.Helper()
	env := &simEnv{}
	env.sim = personiosim.New(opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/company/employees" {
			env.mu.Lock()
			env.limits = append(env.limits, r.URL.Query().Get("limit"))
			env.projections = append(env.projections, strings.Join(r.URL.Query()["attributes[]"], ","))
			env.sent = append(env.sent, r.Header.Get("Authorization"))
			env.mu.Unlock()
		}
		env.sim.ServeHTTP(&headerSpy{ResponseWriter: w, env: env}, r)
	}))
	t.Cleanup(srv.Close)
	env.url = srv.URL
	return env
}

// headerSpy records rotated tokens as the simulator writes them.
type headerSpy struct {
	http.ResponseWriter
	env  *simEnv
	done bool
}

func (h *headerSpy) WriteHeader(code int) {
	if !h.done {
		h.done = true
		if v := h.Header().Get("Authorization"); v != "" {
			h.env.mu.Lock()
			h.env.issued = append(h.env.issued, v)
			h.env.mu.Unlock()
		}
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerSpy) Write(b []byte) (int, error) {
	if !h.done {
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(b)
}

// Hijack lets the simulator drop connections through the spy.
func (h *headerSpy) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.ResponseWriter.(http.Hijacker).Hijack()
}

// client returns a personio client for env with fast, test-sized backoff.
func (env *simEnv) client(t testing.TB, mod func(*personio.Options)) *personio.Client {
	t.Helper()
	opts := personio.Options{
		APIURL: env.url, JobsURL: env.url, Tenant: "acme",
		Credentials: personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret},
		RateLimit:   rate.Inf, MaxAttempts: 12,
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := personio.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dataset(employees int) *personiosim.Dataset {
	return personiosim.Generate(personiosim.GenerateOptions{Seed: 7, Employees: employees, Offices: 6, Jobs: 12})
}

// assertSame checks that got holds every employee of the simulator exactly
// once, in id order, with the synced fields decoded.
func assertSame(t *testing.T, sim *personiosim.Server, got []personio.Employee) {
	t.Helper()
	want := sim.Employees()
	offices := map[int64]string{}
	for _, o := range sim.Dataset().Offices {
		offices[o.ID] = o.Name
	}
	if len(got) != len(want) {
		t.Fatalf("got %d employees, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID {
			t.Fatalf("employee %d: id %d, want %d (missing, duplicated or out of order)", i, g.ID, w.ID)
		}
		var officeID int64
		if g.Office != nil {
			officeID = g.Office.ID
			if g.Office.Name != offices[officeID] {
				t.Errorf("employee %d: office name %q, want %q", g.ID, g.Office.Name, offices[officeID])
			}
		}
		if g.FirstName != w.FirstName || g.LastName != w.LastName || g.Email != w.Email || g.Status != w.Status ||
			g.Gender != w.Gender || g.Position != w.Position || officeID != w.OfficeID || (g.ProfilePictureURL != "") != w.HasPicture {
			t.Fatalf("employee %d decoded as %+v (office %v), simulator has %+v", g.ID, g, g.Office, w)
		}
	}
}

func (env *simEnv) assertLimit100(t *testing.T) {
	t.Helper()
	env.mu.Lock()
	defer env.mu.Unlock()
	for _, l := range env.limits {
		if l != "100" {
			t.Fatalf("an employees request asked for limit=%q; want always 100 (%q)", l, env.limits)
		}
	}
}

func TestEmployeesEachExactlyOnceUnderFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults personiosim.Faults
		// status that must have occurred, proving the fault was exercised
		sawStatus int
		// employees in the listing; 0 means 1234
		employees int
		// the client's rate limit in requests a second; 0 means none
		rate rate.Limit
		// the client's burst with a rate limit; 0 means 2
		burst int
	}{
		{name: "no faults"},
		{name: "429 storm", faults: personiosim.Faults{RatePerMinute: 20, RateWindow: time.Second, Burst: 1}, sawStatus: 429},
		// The simulator asks for whole seconds, so this one is kept short.
		// The client's burst lets its four workers go at once, so a 429
		// comes however slowly a loaded machine spaces its paced requests.
		{name: "429 storm with Retry-After", faults: personiosim.Faults{RatePerMinute: 20, RateWindow: time.Second, Burst: 1, RetryAfter: true}, sawStatus: 429, employees: 500, rate: 40, burst: 8},
		{name: "5xx", faults: personiosim.Faults{ErrorRate: 0.3}, sawStatus: -5},
		{name: "5xx storm", faults: personiosim.Faults{ErrorRate: 0.6}, sawStatus: -5},
		{name: "slow pages under a rate limit", faults: personiosim.Faults{Latency: 40 * time.Millisecond, RatePerMinute: 20, RateWindow: time.Second, Burst: 2}, sawStatus: 429},
		{name: "dropped connections", faults: personiosim.Faults{DropRate: 0.25}, sawStatus: 0},
		{name: "everything at once", faults: personiosim.Faults{RatePerMinute: 20, RateWindow: time.Second, Burst: 2, ErrorRate: 0.15, DropRate: 0.15, Latency: time.Millisecond}, sawStatus: 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(cmp.Or(tt.employees, 1234)), Faults: tt.faults, Seed: 3})
			// Backoff must be able to outlast the simulator's token interval,
			// and the attempts a starved worker's share of it: bounded
			// give-up has tests of its own.
			c := env.client(t, func(o *personio.Options) {
				o.MinBackoff, o.MaxBackoff, o.MaxAttempts = 10*time.Millisecond, 200*time.Millisecond, 40
				if tt.rate != 0 {
					o.RateLimit, o.Burst = tt.rate, cmp.Or(tt.burst, 2)
				}
			})
			got, err := c.Employees(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			assertSame(t, env.sim, got)
			env.assertLimit100(t)
			stats := env.sim.Stats()[personiosim.EndpointEmployees]
			switch tt.sawStatus {
			case 0:
				if tt.name != "no faults" && stats[0] == 0 {
					t.Errorf("no connection was dropped: %v", stats)
				}
			case -5:
				if stats[500]+stats[502]+stats[503]+stats[504] == 0 {
					t.Errorf("no 5xx was answered: %v", stats)
				}
			default:
				if stats[tt.sawStatus] == 0 {
					t.Errorf("no %d was answered: %v", tt.sawStatus, stats)
				}
			}
		})
	}
}

func TestEmployeesListingChangesMidway(t *testing.T) {
	newcomer := personiosim.Employee{ID: 50_000, FirstName: "Zoë", LastName: "Łukasiewicz", Email: "zoe@acme.example", Status: "onboarding"}
	tests := []struct {
		name    string
		setup   func(s *personiosim.Server)
		change  func(s *personiosim.Server, call int32)
		reads   int // times the first page is read
		wantErr bool
	}{
		{"insert at the end", nil, func(s *personiosim.Server, call int32) {
			if call == 3 {
				s.UpsertEmployee(newcomer)
			}
		}, 1, false},
		{"delete before the offset", nil, func(s *personiosim.Server, call int32) {
			if call == 3 {
				s.DeleteEmployee(5)
			}
		}, 2, false},
		{"insert before the offset", func(s *personiosim.Server) { s.DeleteEmployee(9) }, func(s *personiosim.Server, call int32) {
			if call == 3 { // id 9 sorts before every later row, which all move down
				s.UpsertEmployee(personiosim.Employee{ID: 9, FirstName: "Re", LastName: "Hired", Email: "rehired@acme.example", Status: "active"})
			}
		}, 2, false},
		{"hires keep coming", nil, func(s *personiosim.Server, call int32) {
			if call%2 == 0 {
				s.UpsertEmployee(personiosim.Employee{ID: 60_000 + int64(call), FirstName: "N", LastName: "N", Email: fmt.Sprintf("n%d@acme.example", call), Status: "active"})
			}
		}, 1, false},
		{"keeps moving", nil, func(s *personiosim.Server, call int32) {
			if call%4 == 3 {
				s.DeleteEmployee(int64(call))
			}
		}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				calls, reads atomic.Int32
				sim          *personiosim.Server
			)
			env := startSim(t, personiosim.Options{Dataset: dataset(777), BeforeEmployeesPage: func(offset, limit int) {
				if offset == 0 {
					reads.Add(1)
				}
				tt.change(sim, calls.Add(1))
			}})
			sim = env.sim
			if tt.setup != nil {
				tt.setup(sim)
			}
			before := sim.Employees()
			got, err := env.client(t, nil).Employees(context.Background())
			if n := int(reads.Load()); n != tt.reads {
				t.Errorf("the listing was read %d times, want %d", n, tt.reads)
			}
			if tt.wantErr {
				if !errors.Is(err, personio.ErrListingChanged) {
					t.Fatalf("err = %v, want ErrListingChanged", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertNoneMissed(t, before, sim.Employees(), got)
			env.assertLimit100(t)
		})
	}
}

// assertNoneMissed checks a listing read while employees came and went:
// every employee there before and after the read is in got, got lists
// nobody who was in neither, and no one twice, in id order.
func assertNoneMissed(t *testing.T, before, after []personiosim.Employee, got []personio.Employee) {
	t.Helper()
	known := map[int64]int{}
	for _, e := range before {
		known[e.ID]++
	}
	for _, e := range after {
		known[e.ID] += 2
	}
	gotIDs := map[int64]bool{}
	for i, e := range got {
		if i > 0 && got[i-1].ID >= e.ID {
			t.Fatalf("employees not in strict id order at %d: %d then %d", i, got[i-1].ID, e.ID)
		}
		if known[e.ID] == 0 {
			t.Fatalf("employee %d was never in the simulator", e.ID)
		}
		gotIDs[e.ID] = true
	}
	for id, k := range known {
		if k == 3 && !gotIDs[id] {
			t.Fatalf("employee %d was there before and after the read but is missing from it", id)
		}
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	tests := []struct {
		name   string
		faults personiosim.Faults
		want   string
	}{
		{"429 forever", personiosim.Faults{RatePerMinute: 1, Burst: 1}, "Personio kept answering 429 Too Many Requests after 3 attempts over "},
		{"5xx forever", personiosim.Faults{ErrorRate: 1}, "after 3 attempts over "},
		{"dropped forever", personiosim.Faults{DropRate: 1}, "Personio could not be reached after 3 attempts over "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(250), Faults: tt.faults})
			c := env.client(t, func(o *personio.Options) { o.MaxAttempts = 3 })
			_, err := c.Employees(context.Background())
			var re *personio.RetryError
			if !errors.As(err, &re) || re.Attempts != 3 {
				t.Fatalf("err = %v, want a *RetryError after 3 attempts", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestCancellationWithBlockingSimulator cancels from inside the simulator,
// while it holds the first employees page back: the client is provably
// waiting for that answer, which never comes.
func TestCancellationWithBlockingSimulator(t *testing.T) {
	ctx, cancelCtx := context.WithCancel(context.Background())
	defer cancelCtx()
	cancelled := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	env := startSim(t, personiosim.Options{Dataset: dataset(300), BeforeEmployeesPage: func(int, int) {
		once.Do(func() {
			close(cancelled)
			cancelCtx()
		})
		<-release
	}})
	t.Cleanup(func() { close(release) }) // before startSim's server closes
	c := env.client(t, nil)
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The page is held back until the test ends: that Source returns at
	// all shows the cancellation ended the wait.
	done := make(chan struct{})
	var err error
	go func() { _, err = c.Source(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Source did not return: the simulator was never asked for an employees page, or it ignored the cancellation")
	}
	select {
	case <-cancelled:
	default:
		t.Fatalf("Source returned (%v) before asking for an employees page", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestGarbledPageNamesThePage(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(500), Faults: personiosim.Faults{Garbled: true, GarbledOffset: 198}})
	_, err := env.client(t, nil).Employees(context.Background())
	var pe *personio.PageError
	if !errors.As(err, &pe) || pe.Offset != 198 {
		t.Fatalf("err = %v, want a *PageError at offset 198", err)
	}
	for _, want := range []string{
		"employees page at offset 198: Personio's answer to GET /v1/company/employees?limit=100&offset=198 could not be understood, twice in a row",
		"not the expected JSON",
		"not a problem with the configuration",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q\nwant it to contain %q", err, want)
		}
	}
}

// TestGarbledPageOnceIsRetried checks that one garbled answer (a body cut
// short on the way) is asked for again instead of failing the run.
func TestGarbledPageOnceIsRetried(t *testing.T) {
	var sim *personiosim.Server
	var mu sync.Mutex
	calls := 0
	env := startSim(t, personiosim.Options{
		Dataset: dataset(500),
		Faults:  personiosim.Faults{Garbled: true, GarbledOffset: 198},
		BeforeEmployeesPage: func(offset, _ int) {
			if offset != 198 {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if calls++; calls == 2 {
				sim.SetFaults(personiosim.Faults{}) // the second answer is whole
			}
		},
	})
	sim = env.sim
	got, err := env.client(t, nil).Employees(context.Background())
	if err != nil {
		t.Fatalf("one garbled answer failed the listing: %v", err)
	}
	assertSame(t, env.sim, got)
	if calls != 2 {
		t.Errorf("page at offset 198 requested %d times, want 2 (one garbled, one retry)", calls)
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name   string
		opts   personiosim.Options
		call   func(*personio.Client) error
		target any
		want   string
	}{
		{
			name:   "wrong secret",
			opts:   personiosim.Options{ClientSecret: "the-real-one"},
			call:   func(c *personio.Client) error { return c.Authenticate(context.Background()) },
			target: new(*personio.AuthError),
			want:   `Personio rejected the credentials (401, Personio says "Wrong credentials"): check client_id / client_secret`,
		},
		{
			name:   "scope missing",
			opts:   personiosim.Options{Faults: personiosim.Faults{Forbidden: true}},
			call:   func(c *personio.Client) error { _, err := c.Employees(context.Background()); return err },
			target: new(*personio.ForbiddenError),
			want:   "employees page at offset 0: Personio refused /v1/company/employees (403): Forbidden: the API credentials lack the scope employees:read; allow it",
		},
		{
			name:   "attribute list refused",
			opts:   personiosim.Options{Faults: personiosim.Faults{Forbidden: true}},
			call:   func(c *personio.Client) error { _, err := c.Attributes(context.Background()); return err },
			target: new(*personio.ForbiddenError),
			want:   "reading the employee attributes: Personio refused /v1/company/employees/attributes (403): Forbidden: the API credentials lack the scope employees:read",
		},
		{
			name:   "unknown tenant",
			opts:   personiosim.Options{Faults: personiosim.Faults{UnknownTenant: true}},
			call:   func(c *personio.Client) error { _, err := c.Source(context.Background()); return err },
			target: new(*personio.TenantNotFoundError),
			want:   "tenant subdomain not found: acme (URL answered 301); check personio.tenant",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Dataset = dataset(120)
			env := startSim(t, tt.opts)
			err := tt.call(env.client(t, nil))
			if !errors.As(err, tt.target) {
				t.Fatalf("err = %v (%T), want %T", err, err, tt.target)
			}
			want := strings.ReplaceAll(tt.want, "URL", env.url)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q\nwant prefix %q", err, want)
			}
			if strings.Contains(err.Error(), personiosim.DefaultClientSecret) {
				t.Error("the error reveals the client secret")
			}
		})
	}
}

func TestRotatedTokensAreUsed(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(2000), Faults: personiosim.Faults{RotateTokens: true}})
	c := env.client(t, func(o *personio.Options) { o.Concurrency = 1 })
	got, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, env.sim, got)
	env.mu.Lock()
	defer env.mu.Unlock()
	// One at a time, each request must carry the token the previous answer
	// rotated to.
	for i := 1; i < len(env.sent); i++ {
		if env.sent[i] != env.issued[i-1] {
			t.Fatalf("request %d sent %q, the previous answer rotated to %q", i+1, env.sent[i], env.issued[i-1])
		}
	}
	if n := env.sim.Stats().Total(personiosim.EndpointAuth); n != 1 {
		t.Errorf("authenticated %d times, want once", n)
	}
}

// TestSource reads a tenant as a plan does: every employee once, the
// jobs of the feed, the offices of both; exactly the requests needed.
func TestSource(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(1234)})
	var progress [][2]int
	c := env.client(t, func(o *personio.Options) {
		o.Progress = func(done, total int) { progress = append(progress, [2]int{done, total}) }
	})
	src, err := c.Source(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	emps := env.sim.Employees()
	if len(src.Employees) != len(emps) {
		t.Fatalf("%d employees, want %d", len(src.Employees), len(emps))
	}
	for i, e := range emps {
		if g := src.Employees[i]; g.ID != e.ID || g.FirstName != e.FirstName || g.Email != e.Email || g.Status != e.Status {
			t.Errorf("employee %d read as %+v, simulator has %+v", e.ID, g, e)
		}
	}

	// Requests: exactly the pages needed, one auth, one feed.
	stats := env.sim.Stats()
	if a, e, f := stats.Total(personiosim.EndpointAuth), stats.Total(personiosim.EndpointEmployees), stats.Total(personiosim.EndpointFeed); a != 1 || e != 13 || f != 1 {
		t.Errorf("requests: auth %d, employees %d, feed %d; want 1, 13, 1", a, e, f)
	}
	if len(progress) != 13 || progress[12] != [2]int{1234, 1234} {
		t.Errorf("progress calls = %v", progress)
	}

	jobs := env.sim.Jobs()
	if len(src.Jobs) != len(jobs) {
		t.Fatalf("got %d jobs, want %d", len(src.Jobs), len(jobs))
	}
	for i, j := range jobs {
		g := src.Jobs[i]
		if g.ID != j.ID || g.Name != j.Name || g.Office != j.Office || g.EmploymentType != j.EmploymentType ||
			g.Schedule != j.Schedule || len(g.Descriptions) != len(j.Descriptions) ||
			g.ApplicationURL != fmt.Sprintf("%s/job/%d", env.url, j.ID) {
			t.Errorf("job %d read as %+v, simulator has %+v", j.ID, g, j)
		}
	}

	// Offices: employee offices by id, feed-only ones by name with id 0.
	byName := map[string]int64{}
	for _, o := range env.sim.Dataset().Offices {
		byName[o.Name] = o.ID
	}
	used := map[int64]bool{}
	for _, e := range emps {
		if e.OfficeID != 0 {
			used[e.OfficeID] = true
		}
	}
	feedOnly := 0
	for _, o := range src.Offices {
		switch {
		case o.ID == 0:
			feedOnly++
			if used[byName[o.Name]] {
				t.Errorf("feed office %q has an employee office of that name but no id", o.Name)
			}
		case byName[o.Name] != o.ID:
			t.Errorf("office %+v does not match the simulator", o)
		}
	}
	if feedOnly == 0 {
		t.Error("the generated feed names an office no employee has; Source lost it")
	}
	if !slices.IsSortedFunc(src.Offices, func(a, b plan.Office) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("offices not sorted by name: %+v", src.Offices)
	}
}
