package engine

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// confirmWorld is a synced target over an in-process simulator the test
// can change.
func confirmWorld(t *testing.T, employees int) (*benchWorld, *personiosim.Server, *store.Store, *Planned) {
	t.Helper()
	sim := personiosim.New(personiosim.Options{Dataset: benchDataset(employees)})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	w := newBenchWorld(t, &benchSim{url: srv.URL}, employees)
	_, st := benchStore(t)
	ctx := context.Background()
	first, _, err := w.runner.Plan(ctx, w.cfg, st, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.runner.Apply(ctx, st, first.Plan, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	steady, _, err := w.runner.Plan(ctx, w.cfg, st, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(steady.Plan.Changes) != 0 {
		t.Fatalf("plan after the first apply: %s", steady.Plan.Summary)
	}
	return w, sim, st, steady
}

// deletes returns the employee ids a plan deletes.
func deletes(p *plan.Plan) []int64 {
	var out []int64
	for _, c := range p.Changes {
		if c.Type == plan.TypeEmployee && c.Action == plan.Delete {
			id, _ := strconv.ParseInt(c.Key, 10, 64)
			out = append(out, id)
		}
	}
	return out
}

// TestConfirmAbsent: an employee a listing skipped is asked for by id and
// kept; one Personio no longer has is removed.
func TestConfirmAbsent(t *testing.T) {
	w, sim, _, steady := confirmWorld(t, 600)
	ctx := context.Background()
	f, err := w.runner.fetch(ctx, w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	src := steady.Source

	// Two synced employees vanish from the listing that was read; one of
	// them has really left Personio.
	var synced []int64
	for _, c := range steady.State.Employees {
		if c.Linked {
			id, _ := strconv.ParseInt(c.ExternalID, 10, 64)
			synced = append(synced, id)
		}
	}
	skipped, left := synced[10], synced[20]
	src.Employees = slices.DeleteFunc(src.Employees, func(e plan.SourceEmployee) bool { return e.ID == skipped || e.ID == left })
	sim.DeleteEmployee(left)

	planned, diags, err := w.runner.build(ctx, w.cfg, fetched{src: src, client: f.client}, steady.State, 0, nil)
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	if got := deletes(planned.Plan); !slices.Equal(got, []int64{left}) {
		t.Errorf("plan deletes %v, want only %d (who left); %d was only skipped by the listing", got, left, skipped)
	}
	if len(planned.Plan.Changes) != 1 {
		t.Errorf("plan: %s, want the one removal", planned.Plan.Summary)
	}

	// Without a client (a plan computed from data alone), nothing can be
	// confirmed: the skipped employee is planned for removal, which is
	// what the confirmation prevents.
	src2 := *src
	src2.Employees = slices.DeleteFunc(slices.Clone(src.Employees), func(e plan.SourceEmployee) bool { return e.ID == skipped })
	unconfirmed, _, err := w.runner.build(ctx, w.cfg, fetched{src: &src2}, steady.State, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(deletes(unconfirmed.Plan), skipped) {
		t.Errorf("without confirmation the skipped employee is not planned for removal: the test proves nothing")
	}
}

// TestListingShiftNeverRemovesLiveEmployees: while the plan reads the
// listing, employees leave before the current offset and others are hired
// at the end (the total stays the same). Whatever the plan removes must
// have left Personio; no employee Personio still has is planned for
// removal.
func TestListingShiftNeverRemovesLiveEmployees(t *testing.T) {
	const employees = 1_200
	w, sim, st, _ := confirmWorld(t, employees)
	ctx := context.Background()
	shifts, removed := 0, 0
	for run := range 6 {
		sim.SetFaults(personiosim.Faults{ShiftEvery: 2, ShiftTimes: 3, Latency: time.Millisecond})
		planned, diags, err := w.runner.Plan(ctx, w.cfg, st, PlanOptions{})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if diags.HasErrors() {
			t.Fatalf("run %d: %s", run, diags.Error())
		}
		live := map[int64]bool{}
		for _, e := range sim.Employees() {
			live[e.ID] = true
		}
		for _, id := range deletes(planned.Plan) {
			removed++
			if live[id] {
				t.Errorf("run %d: employee %d is live in Personio but planned for removal", run, id)
			}
		}
		shifts += sim.Shifts()
	}
	if shifts == 0 || removed == 0 {
		t.Fatalf("the listing moved %d times and %d leavers were planned for removal: the test exercised nothing", shifts, removed)
	}
}

// TestHiddenAttributesFailThePlan: an attribute the credential may not read
// fails the plan, naming it, instead of planning its values as empty.
func TestHiddenAttributesFailThePlan(t *testing.T) {
	for _, f := range []personiosim.Faults{
		{HiddenAttributes: []string{"position", "gender"}},
		{HiddenAttributes: []string{"position"}, HiddenListed: true},
	} {
		w, sim, st, _ := confirmWorld(t, 300)
		sim.SetFaults(f)
		_, _, err := w.runner.Plan(context.Background(), w.cfg, st, PlanOptions{})
		var he *personio.HiddenAttributesError
		if !errors.As(err, &he) {
			t.Fatalf("faults %+v: plan error %v, want a *personio.HiddenAttributesError", f, err)
		}
		for _, k := range f.HiddenAttributes {
			if !strings.Contains(err.Error(), strconv.Quote(k)) {
				t.Errorf("faults %+v: %q does not name %s", f, err, k)
			}
		}
	}
}

// TestJobsUnavailableKeepsJobs: a job feed that is switched off leaves the
// linked jobs alone and still plans employees.
func TestJobsUnavailableKeepsJobs(t *testing.T) {
	w, sim, st, _ := confirmWorld(t, 300)
	for _, e := range sim.Employees()[:3] {
		sim.DeleteEmployee(e.ID)
	}
	sim.SetFaults(personiosim.Faults{FeedMissing: true})
	planned, diags, err := w.runner.Plan(context.Background(), w.cfg, st, PlanOptions{})
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	p := planned.Plan
	if !strings.Contains(p.JobsUnavailable, "404") {
		t.Errorf("JobsUnavailable = %q, want the feed's 404", p.JobsUnavailable)
	}
	for _, c := range p.Changes {
		if c.Type == plan.TypeJob {
			t.Errorf("a job change while the feed is unavailable: %s %s", c.Action, c.Address)
		}
	}
	if n := len(deletes(p)); n == 0 {
		t.Errorf("plan %s: the employees who left are not planned for removal", p.Summary)
	}
}
