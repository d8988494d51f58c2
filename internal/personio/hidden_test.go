package personio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// required is what a configuration syncing the standard attributes and
// two custom ones asks the client to watch.
func required() []string {
	return append(personio.StandardAttributes(), "dynamic_1001", "dynamic_1002")
}

func TestHiddenAttributes(t *testing.T) {
	const n = 450
	tests := []struct {
		name    string
		faults  personiosim.Faults
		setup   func(*personiosim.Server)
		keys    []string       // hidden keys reported, nil for success
		missing map[string]int // Missing of the error
		has     []string       // in the message
		// pages is how many employees pages the read may make: a credential
		// found wanting by the attribute list costs one page, not a listing.
		pages int
	}{
		{
			name:   "hidden in the attribute list",
			faults: personiosim.Faults{HiddenAttributes: []string{"position", "gender"}},
			keys:   []string{"gender", "position"},
			has: []string{
				`Personio does not let the API credential read the 2 attributes that gridsync syncs: "gender" ("Gender", not in the credential's attribute list), "position" ("Position", not in the credential's attribute list)`,
				"unknown, not empty, and nothing was written",
				"Settings → Integrations → API credentials, open this credential and add them to its readable employee attributes",
			},
			pages: 1,
		},
		{
			name:    "hidden on the pages only",
			faults:  personiosim.Faults{HiddenAttributes: []string{"position"}, HiddenListed: true},
			keys:    []string{"position"},
			missing: map[string]int{"position": n},
			has:     []string{`"position" ("Position", missing on all 450 employees)`},
			pages:   6, // the projected first page is refused (403), then 5 with every attribute
		},
		{
			name:   "an employee_fields key hidden",
			faults: personiosim.Faults{HiddenAttributes: []string{"dynamic_1002"}},
			keys:   []string{"dynamic_1002"},
			has:    []string{`the attribute that gridsync syncs: "dynamic_1002" (not in the credential's attribute list)`},
			pages:  1,
		},
		{
			name:   "a custom key hidden on the pages only is named by its label",
			faults: personiosim.Faults{HiddenAttributes: []string{"dynamic_1002"}, HiddenListed: true},
			keys:   []string{"dynamic_1002"}, missing: map[string]int{"dynamic_1002": n},
			has:   []string{`"dynamic_1002" ("Shirt size", missing on all 450 employees)`},
			pages: 6,
		},
		{
			name: "null values are not hidden",
			setup: func(s *personiosim.Server) {
				for _, e := range s.Employees() {
					e.Gender, e.Department, e.OfficeID = "", "", 0 // rendered as null
					e.Custom = nil
					s.UpsertEmployee(e)
				}
			},
			pages: 5,
		},
		{
			name:  "employees without a picture are not hiding it",
			pages: 5, // about one in ten generated employees has none
		},
		{
			name:   "a hidden picture is found in the list",
			faults: personiosim.Faults{HiddenAttributes: []string{"profile_picture"}},
			keys:   []string{"profile_picture"},
			pages:  1,
		},
		{
			// Employees without a picture come without the attribute, so its
			// absence proves nothing: only the list can tell, and here it
			// says readable. The employees read without pictures.
			name:   "a picture hidden on the pages only is not judged by its absence",
			faults: personiosim.Faults{HiddenAttributes: []string{"profile_picture"}, HiddenListed: true},
			pages:  6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(n), Faults: tt.faults})
			if tt.setup != nil {
				tt.setup(env.sim)
			}
			c := env.client(t, func(o *personio.Options) {
				o.RequiredAttributes = required()
				o.KeepAttributes = []string{"dynamic_1001", "dynamic_1002"}
			})
			got, err := c.Employees(context.Background())
			stats := env.sim.Stats()
			if p := stats.Total(personiosim.EndpointEmployees); p != tt.pages {
				t.Errorf("made %d employees requests, want %d", p, tt.pages)
			}
			if a := stats.Total(personiosim.EndpointAttributes); a != 1 {
				t.Errorf("read the attribute list %d times, want once", a)
			}
			if tt.keys == nil {
				if err != nil {
					t.Fatal(err)
				}
				if slices.Contains(tt.faults.HiddenAttributes, "profile_picture") {
					for _, e := range got {
						if e.ProfilePictureURL != "" {
							t.Fatalf("employee %d has a picture the simulator hid", e.ID)
						}
					}
					return
				}
				assertSame(t, env.sim, got)
				return
			}
			var he *personio.HiddenAttributesError
			if !errors.As(err, &he) {
				t.Fatalf("err = %v, want a *HiddenAttributesError", err)
			}
			if got != nil {
				t.Error("a read that failed returned employees")
			}
			if !slices.Equal(he.Keys, tt.keys) {
				t.Errorf("keys %v, want %v", he.Keys, tt.keys)
			}
			for k, want := range tt.missing {
				if he.Missing[k] != want || he.Read != n {
					t.Errorf("missing %v of %d, want %s on %d of %d", he.Missing, he.Read, k, want, n)
				}
			}
			for _, h := range tt.has {
				if !strings.Contains(err.Error(), h) {
					t.Errorf("err = %q\nwant it to contain %q", err, h)
				}
			}
		})
	}
}

// TestProjectionRefusedListUnreadable: when Personio refuses the projected
// employees (403) and the attribute list, which would say which attribute
// is hidden, cannot be read, the read fails with the list's own failure
// (here an outage: try again later), not with the 403 alone.
func TestProjectionRefusedListUnreadable(t *testing.T) {
	sim := personiosim.New(personiosim.Options{Dataset: dataset(30), Faults: personiosim.Faults{HiddenAttributes: []string{"position"}}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/company/employees/attributes" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	env := &simEnv{sim: sim, url: srv.URL}
	_, err := env.client(t, func(o *personio.Options) {
		o.RequiredAttributes, o.KeepAttributes, o.MaxAttempts = required(), []string{}, 2
	}).Employees(context.Background())
	var re *personio.RetryError
	if !errors.As(err, &re) || re.StatusCode != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "reading the employee attributes") {
		t.Fatalf("err = %v, want the attribute list's 503", err)
	}
	if n := sim.Stats()[personiosim.EndpointEmployees][http.StatusForbidden]; n != 1 {
		t.Errorf("%d employees requests refused, want the projected one", n)
	}
}

// TestAttributesSharedReadOutlivesItsCaller: two callers share one read
// of the attribute list, and the one whose read it is gives up (its context
// is cancelled) while the answer is held back. The other still gets the
// list: sharing the read must not hand it the first caller's cancellation
// (a plan failed with "context canceled" when the feed failed first).
func TestAttributesSharedReadOutlivesItsCaller(t *testing.T) {
	sim := personiosim.New(personiosim.Options{Dataset: dataset(10)})
	arrived := make(chan struct{})
	var lists atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/company/employees/attributes" && lists.Add(1) == 1 {
			close(arrived)
			<-r.Context().Done() // held back until the first caller gives up
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := (&simEnv{sim: sim, url: srv.URL}).client(t, nil)
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() { _, err := c.Attributes(first); firstErr <- err }()
	<-arrived
	type result struct {
		infos []personio.AttributeInfo
		err   error
	}
	second := make(chan result, 1)
	go func() { infos, err := c.Attributes(context.Background()); second <- result{infos, err} }()
	// Give the second caller time to join the read in flight; one that
	// joins late reads alone, and the test then proves less, never fails.
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the caller that gave up: err = %v, want context.Canceled", err)
	}
	select {
	case r := <-second:
		if r.err != nil || len(r.infos) == 0 {
			t.Fatalf("the other caller: %d attributes, err %v; want the list", len(r.infos), r.err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the other caller never returned")
	}
}

// TestHiddenAttributesCached checks that a caller reading the attribute
// list itself (for employee_fields) and Employees share one request.
func TestHiddenAttributesCached(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(120)})
	c := env.client(t, func(o *personio.Options) { o.RequiredAttributes = required() })
	if _, err := c.Source(context.Background()); err != nil {
		t.Fatal(err)
	}
	infos, err := c.Attributes(context.Background())
	if err != nil || len(infos) == 0 {
		t.Fatalf("attributes %v, %v", infos, err)
	}
	if n := env.sim.Stats().Total(personiosim.EndpointAttributes); n != 1 {
		t.Errorf("read the attribute list %d times, want once", n)
	}
}

func TestCheckAttributes(t *testing.T) {
	tests := []struct {
		name   string
		hidden []string
		want   []string
	}{
		{"all readable", nil, nil},
		{"two hidden", []string{"position", "dynamic_1001", "department"}, []string{"dynamic_1001", "position"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(30), Faults: personiosim.Faults{HiddenAttributes: tt.hidden}})
			err := env.client(t, nil).CheckAttributes(context.Background(), required())
			var he *personio.HiddenAttributesError
			switch {
			case tt.want == nil && err != nil:
				t.Fatal(err)
			case tt.want != nil && (!errors.As(err, &he) || !slices.Equal(he.Keys, tt.want)):
				t.Fatalf("err = %v, want hidden %v", err, tt.want)
			}
			st := env.sim.Stats()
			if st.Total(personiosim.EndpointEmployees) != 0 || st.Total(personiosim.EndpointAttributes) != 1 {
				t.Errorf("requests %v, want the attribute list only", st)
			}
		})
	}
	t.Run("list unreadable", func(t *testing.T) {
		env := startSim(t, personiosim.Options{Faults: personiosim.Faults{Forbidden: true}})
		err := env.client(t, nil).CheckAttributes(context.Background(), required())
		var fe *personio.ForbiddenError
		if !errors.As(err, &fe) {
			t.Fatalf("err = %v, want the 403", err)
		}
	})
}

// TestProjection: a client that knows what it syncs asks Personio for just
// those attributes (and the id), so a tenant with many custom attributes
// answers with small pages; one that keeps every attribute asks for all.
func TestProjection(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(250), Faults: personiosim.Faults{WideEmployees: true}})
	c := env.client(t, func(o *personio.Options) {
		o.RequiredAttributes = []string{"status", "office", "first_name"}
		o.KeepAttributes = []string{"dynamic_1001"}
	})
	got, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := env.sim.Employees()
	if len(got) != len(want) {
		t.Fatalf("%d employees, want %d", len(got), len(want))
	}
	for i, e := range got {
		w := want[i]
		kept, _ := w.Custom["dynamic_1001"].(string)
		if v, _ := e.Attr("dynamic_1001"); e.ID != w.ID || e.FirstName != w.FirstName || e.Status != w.Status || v != kept {
			t.Errorf("employee %d read as %+v, simulator has %+v", w.ID, e, w)
		}
		if e.LastName != "" || e.Email != "" {
			t.Errorf("employee %d came with attributes it was not asked for: %+v", w.ID, e)
		}
	}
	env.mu.Lock()
	projections := slices.Clone(env.projections)
	env.mu.Unlock()
	if len(projections) == 0 {
		t.Fatal("no employees request")
	}
	for _, p := range projections {
		if p != "dynamic_1001,first_name,id,office,status" {
			t.Errorf("employees request projected onto %q, want the id, the required and the kept attributes", p)
		}
	}

	all := startSim(t, personiosim.Options{Dataset: dataset(50)})
	if _, err := all.client(t, nil).Employees(context.Background()); err != nil {
		t.Fatal(err)
	}
	if all.projections[0] != "" {
		t.Errorf("a client keeping every attribute projected onto %q", all.projections[0])
	}
}
