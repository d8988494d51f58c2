package personiosim

import (
	"cmp"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of Options.
const (
	DefaultTenant       = "acme"
	DefaultClientID     = "gridsync-demo"
	DefaultClientSecret = "demo-secret-not-for-production"
)

// Options configure a Server. The zero value serves an empty tenant "acme"
// with the default demo credentials and no faults.
type Options struct {
	Dataset      *Dataset // copied; nil serves an empty tenant
	Tenant       string   // default DefaultTenant
	ClientID     string   // default DefaultClientID
	ClientSecret string   // default DefaultClientSecret
	Faults       Faults
	// Seed makes fault randomness (ErrorRate, DropRate) deterministic for a
	// given order of requests.
	Seed int64
	// BeforeEmployeesPage, when set, is called before each employees page is
	// read from the dataset (after auth, rate limit and injected errors), so
	// tests can change the data between pages. It may call the Server's
	// methods.
	BeforeEmployeesPage func(offset, limit int)
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
}

// Stats counts answers per endpoint pattern and status code, for example
// Stats{"GET /v1/company/employees": {200: 12, 429: 3}}. Status 0 counts
// dropped connections. Admin calls under /_sim/ are not counted.
type Stats map[string]map[int]int

// Total is the number of requests counted for endpoint, all statuses.
func (s Stats) Total(endpoint string) int {
	n := 0
	for _, c := range s[endpoint] {
		n += c
	}
	return n
}

// Endpoint patterns, as used in Stats.
const (
	EndpointAuth       = "POST /v1/auth"
	EndpointEmployees  = "GET /v1/company/employees"
	EndpointAttributes = "GET /v1/company/employees/attributes"
	EndpointEmployee   = "GET /v1/company/employees/{id}"
	EndpointPicture    = "GET /v1/company/employees/{id}/profile-picture/{width}"
	EndpointFeed       = "GET /xml"
	// EndpointMovedFeed serves the feed at MovedFeedPath, where
	// Faults.FeedRedirect can send it.
	EndpointMovedFeed = "GET " + MovedFeedPath
)

// MovedFeedPath is a second path the feed is served at, for a feed that
// redirects within its host (Faults.FeedRedirect).
const MovedFeedPath = "/moved/xml"

// Server is a simulated Personio tenant. It implements http.Handler; all
// methods are safe for concurrent use.
type Server struct {
	tenant, clientID, clientSecret string
	hook                           func(offset, limit int)
	logger                         *slog.Logger
	mux                            *http.ServeMux
	now                            func() time.Time

	mu       sync.Mutex
	emps     []*empRecord // sorted by id
	offices  map[int64]Office
	jobs     []Job          // sorted by id
	attrs    []AttributeDef // set by New, read-only afterwards
	feed     []byte         // encoded feed, nil when stale
	faults   Faults
	limiter  *rate.Limiter
	rng      *rand.Rand
	tokens   map[string]time.Time // token → expiry
	tokenSeq uint64
	stats    Stats
	// What Faults.ShiftEvery did since the faults were last set: employees
	// pages with a non-zero offset served, shifts made.
	shiftPages, shifts int
}

// New builds a Server from opts.
func New(opts Options) *Server {
	s := &Server{
		tenant:       cmp.Or(opts.Tenant, DefaultTenant),
		clientID:     cmp.Or(opts.ClientID, DefaultClientID),
		clientSecret: cmp.Or(opts.ClientSecret, DefaultClientSecret),
		hook:         opts.BeforeEmployeesPage,
		logger:       cmp.Or(opts.Logger, slog.New(slog.DiscardHandler)),
		now:          time.Now,
		offices:      map[int64]Office{},
		rng:          rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		tokens:       map[string]time.Time{},
		stats:        Stats{},
	}
	if d := opts.Dataset; d != nil {
		for _, o := range d.Offices {
			s.offices[o.ID] = o
		}
		s.emps = cloneAll(d.Employees, func(e Employee) *empRecord { return &empRecord{e: e.clone()} })
		slices.SortFunc(s.emps, byKey)
		s.jobs = cloneAll(d.Jobs, Job.clone)
		slices.SortFunc(s.jobs, byKey)
		s.attrs = cloneAll(d.Attributes, AttributeDef.clone)
	}
	s.SetFaults(opts.Faults)
	s.routes()
	return s
}

// Tenant is the tenant subdomain the server pretends to be.
func (s *Server) Tenant() string { return s.tenant }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFaults replaces the fault switches. A new rate limit starts with a full
// bucket.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.HiddenAttributes = slices.Clone(f.HiddenAttributes)
	s.faults = f
	s.limiter = newLimiter(f)
	s.shiftPages, s.shifts = 0, 0
}

// Faults returns the current fault switches.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	f.HiddenAttributes = slices.Clone(f.HiddenAttributes)
	return f
}

// Stats returns a copy of the request counts.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(Stats, len(s.stats))
	for k, m := range s.stats {
		c[k] = maps.Clone(m)
	}
	return c
}

// ResetStats sets all request counts to zero.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{}
}

func (s *Server) count(endpoint string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stats[endpoint] == nil {
		s.stats[endpoint] = map[int]int{}
	}
	s.stats[endpoint][status]++
}

// Dataset returns a copy of the current data.
func (s *Server) Dataset() *Dataset {
	s.mu.Lock()
	defer s.mu.Unlock()
	offices := slices.AppendSeq(make([]Office, 0, len(s.offices)), maps.Values(s.offices))
	slices.SortFunc(offices, func(a, b Office) int { return cmp.Compare(a.ID, b.ID) })
	return &Dataset{
		Employees:  cloneAll(s.emps, (*empRecord).employee),
		Jobs:       cloneAll(s.jobs, Job.clone),
		Offices:    offices,
		Attributes: cloneAll(s.attrs, AttributeDef.clone),
	}
}

// Employees returns a copy of all employees, sorted by id.
func (s *Server) Employees() []Employee {
	return locked(s, func() []Employee { return cloneAll(s.emps, (*empRecord).employee) })
}

// Jobs returns a copy of all jobs, sorted by id.
func (s *Server) Jobs() []Job {
	return locked(s, func() []Job { return cloneAll(s.jobs, Job.clone) })
}

// locked returns get() under the server's lock.
func locked[T any](s *Server, get func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get()
}

// cloneAll maps xs through clone into a new slice, empty but not nil when
// xs is empty (so that the admin API encodes [] rather than null).
func cloneAll[T, U any](xs []T, clone func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = clone(x)
	}
	return out
}

// UpsertEmployee creates or replaces the employee with e.ID. An OfficeID
// that is not a known office renders as office null (add it with
// UpsertOffice first).
func (s *Server) UpsertEmployee(e Employee) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putEmployee(e)
}

// putEmployee is UpsertEmployee with s.mu held.
func (s *Server) putEmployee(e Employee) { s.emps = upsert(s.emps, &empRecord{e: e.clone()}) }

// DeleteEmployee removes the employee with id and reports whether it existed.
func (s *Server) DeleteEmployee(id int64) (found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emps, found = remove(s.emps, id)
	return found
}

// employee returns the employee with id (nil when there is none), its
// office and the custom attributes, read together.
func (s *Server) employee(id int64) (rec *empRecord, office Office, attrs []AttributeDef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, found := find(s.emps, id); found {
		rec = s.emps[i]
		office = s.offices[rec.e.OfficeID]
	}
	return rec, office, s.attrs
}

// UpsertJob creates or replaces the job with j.ID.
func (s *Server) UpsertJob(j Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putJob(j)
}

// putJob is UpsertJob with s.mu held: the feed is rendered again.
func (s *Server) putJob(j Job) {
	s.feed = nil
	s.jobs = upsert(s.jobs, j.clone())
}

// DeleteJob removes the job with id and reports whether it existed.
func (s *Server) DeleteJob(id int64) (found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs, found = remove(s.jobs, id); found {
		s.feed = nil
	}
	return found
}

// UpsertOffice creates or renames an office. Employees in it render the new
// name from their next page on.
func (s *Server) UpsertOffice(o Office) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offices[o.ID] = o
}

// keyed is a record kept in a slice sorted by id: employees and jobs.
type keyed interface{ key() int64 }

func (r *empRecord) key() int64 { return r.e.ID }
func (j Job) key() int64        { return j.ID }

func byKey[T keyed](a, b T) int { return cmp.Compare(a.key(), b.key()) }

// find is where id is or would be in xs, and whether it is there.
func find[T keyed](xs []T, id int64) (int, bool) {
	return slices.BinarySearchFunc(xs, id, func(x T, id int64) int { return cmp.Compare(x.key(), id) })
}

// nextID is one more than the highest id in xs, or first when xs is empty.
func nextID[T keyed](xs []T, first int64) int64 {
	if len(xs) == 0 {
		return first
	}
	return xs[len(xs)-1].key() + 1
}

// upsert replaces the record with x's id in xs, or inserts x in order.
func upsert[T keyed](xs []T, x T) []T {
	i, found := find(xs, x.key())
	if found {
		xs[i] = x
		return xs
	}
	return slices.Insert(xs, i, x)
}

// remove deletes the record with id from xs and reports whether it was there.
func remove[T keyed](xs []T, id int64) ([]T, bool) {
	if i, found := find(xs, id); found {
		return slices.Delete(xs, i, i+1), true
	}
	return xs, false
}
