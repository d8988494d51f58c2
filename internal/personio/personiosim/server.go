package personiosim

import (
	"cmp"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
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
	jobs     []Job // sorted by id
	attrs    []AttributeDef
	feed     []byte // encoded feed, nil when stale
	faults   Faults
	limiter  *rate.Limiter
	rng      *rand.Rand
	tokens   map[string]time.Time // token → expiry
	tokenSeq uint64
	stats    Stats
	shift    shiftState // what Faults.ShiftEvery did
	wide     []wideAttr // what Faults.WideEmployees adds; read-only
}

// New builds a Server from opts.
func New(opts Options) *Server {
	s := &Server{
		tenant:       cmpOr(opts.Tenant, DefaultTenant),
		clientID:     cmpOr(opts.ClientID, DefaultClientID),
		clientSecret: cmpOr(opts.ClientSecret, DefaultClientSecret),
		hook:         opts.BeforeEmployeesPage,
		logger:       opts.Logger,
		now:          time.Now,
		offices:      map[int64]Office{},
		rng:          rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		tokens:       map[string]time.Time{},
		stats:        Stats{},
		wide:         wideAttributes(),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if d := opts.Dataset; d != nil {
		for _, o := range d.Offices {
			s.offices[o.ID] = o
		}
		s.emps = make([]*empRecord, len(d.Employees))
		for i, e := range d.Employees {
			s.emps[i] = &empRecord{e: e.clone()}
		}
		sort.Slice(s.emps, func(i, j int) bool { return s.emps[i].e.ID < s.emps[j].e.ID })
		s.jobs = make([]Job, len(d.Jobs))
		for i, j := range d.Jobs {
			s.jobs[i] = j.clone()
		}
		sort.Slice(s.jobs, func(i, j int) bool { return s.jobs[i].ID < s.jobs[j].ID })
		for _, a := range d.Attributes {
			s.attrs = append(s.attrs, a.clone())
		}
	}
	s.setFaultsLocked(opts.Faults)
	s.routes()
	return s
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
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
	s.setFaultsLocked(f)
}

func (s *Server) setFaultsLocked(f Faults) {
	f.HiddenAttributes = slices.Clone(f.HiddenAttributes)
	s.faults = f
	s.limiter = newLimiter(f)
	s.shift = shiftState{}
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
		mc := make(map[int]int, len(m))
		for code, n := range m {
			mc[code] = n
		}
		c[k] = mc
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
	m := s.stats[endpoint]
	if m == nil {
		m = map[int]int{}
		s.stats[endpoint] = m
	}
	m[status]++
}

// Dataset returns a copy of the current data.
func (s *Server) Dataset() *Dataset {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &Dataset{
		Employees:  make([]Employee, len(s.emps)),
		Jobs:       make([]Job, len(s.jobs)),
		Offices:    make([]Office, 0, len(s.offices)),
		Attributes: make([]AttributeDef, len(s.attrs)),
	}
	for i, r := range s.emps {
		d.Employees[i] = r.e.clone()
	}
	for i, j := range s.jobs {
		d.Jobs[i] = j.clone()
	}
	for _, o := range s.offices {
		d.Offices = append(d.Offices, o)
	}
	sort.Slice(d.Offices, func(i, j int) bool { return d.Offices[i].ID < d.Offices[j].ID })
	for i, a := range s.attrs {
		d.Attributes[i] = a.clone()
	}
	return d
}

// Employees returns a copy of all employees, sorted by id.
func (s *Server) Employees() []Employee {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Employee, len(s.emps))
	for i, r := range s.emps {
		out[i] = r.e.clone()
	}
	return out
}

// Jobs returns a copy of all jobs, sorted by id.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, len(s.jobs))
	for i, j := range s.jobs {
		out[i] = j.clone()
	}
	return out
}

// UpsertEmployee creates or replaces the employee with e.ID. An OfficeID
// that is not a known office renders as office null (add it with
// UpsertOffice first).
func (s *Server) UpsertEmployee(e Employee) {
	rec := &empRecord{e: e.clone()}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, found := s.findEmployee(e.ID)
	if found {
		s.emps[i] = rec
		return
	}
	s.emps = slices.Insert(s.emps, i, rec)
}

// DeleteEmployee removes the employee with id and reports whether it existed.
func (s *Server) DeleteEmployee(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, found := s.findEmployee(id)
	if found {
		s.emps = slices.Delete(s.emps, i, i+1)
	}
	return found
}

func (s *Server) findEmployee(id int64) (int, bool) {
	return slices.BinarySearchFunc(s.emps, id, func(r *empRecord, id int64) int { return cmp.Compare(r.e.ID, id) })
}

// nextEmployeeID is one more than the highest employee id.
func (s *Server) nextEmployeeID() int64 {
	if len(s.emps) == 0 {
		return 1
	}
	return s.emps[len(s.emps)-1].e.ID + 1
}

// UpsertJob creates or replaces the job with j.ID.
func (s *Server) UpsertJob(j Job) {
	j = j.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feed = nil
	i, found := s.findJob(j.ID)
	if found {
		s.jobs[i] = j
		return
	}
	s.jobs = slices.Insert(s.jobs, i, j)
}

// DeleteJob removes the job with id and reports whether it existed.
func (s *Server) DeleteJob(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, found := s.findJob(id)
	if found {
		s.jobs = slices.Delete(s.jobs, i, i+1)
		s.feed = nil
	}
	return found
}

func (s *Server) findJob(id int64) (int, bool) {
	return slices.BinarySearchFunc(s.jobs, id, func(j Job, id int64) int { return cmp.Compare(j.ID, id) })
}

// UpsertOffice creates or renames an office. Employees in it render the new
// name from their next page on.
func (s *Server) UpsertOffice(o Office) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offices[o.ID] = o
}
