package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gridwork/gridsync/plan"
)

// statusRows dumps sync_status as company|kind|outcome|error|run.
func statusRows(t testing.TB, s *Store) []string {
	t.Helper()
	return dump(t, s, `select company, kind, last_outcome, last_error, coalesce(last_run_id::text, '-') from sync_status order by 1, 2`)
}

// TestWriteRecordsOutcomes: a run that left a refused company out records
// the refusal for the run and for each of the company's kinds, and moves
// the last-synced time only of the kinds that synced.
func TestWriteRecordsOutcomes(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	first, err := s.Apply(ctx, basePlan(), ApplyOptions{Command: "sync"})
	if err != nil {
		t.Fatal(err)
	}
	synced := func() []string {
		return dump(t, s, `select c.slug, cs.kind, cs.enabled, coalesce(cs.last_run_id::text, '-') from company_sync cs
			join companies c on c.id = cs.company_id order by 1, 2`)
	}
	equalLines(t, "company_sync after the first run", synced(), []string{"acme|employees|true|1", "acme|jobs|true|1", "globex|employees|true|1", "globex|jobs|false|-"})

	// acme is written; globex was refused (its changes left out).
	p := basePlan()
	p.Scope = p.Scope[:1]
	p.Changes = []plan.Change{with(employee("acme", "1001", "berlin-hq", "Ada", "King", "ada@acme.test"), plan.Update, rowID(t, s, "employees", "1001"),
		plan.AttrsOf(map[string]string{plan.FieldLastName: "Lovelace"}), employee("acme", "1001", "berlin-hq", "Ada", "King", "ada@acme.test").After)}
	b := &Batch{Plan: p, Outcome: Refused, Error: "refused globex: the plan would remove 9 of 9 linked employees",
		Kinds: append(ScopeResults(p), KindResult{Company: "globex", Kind: KindEmployees, Outcome: Refused, Error: "the plan would remove 9 of 9\nlinked employees"})}
	res, err := s.Write(ctx, func(context.Context, func(Query) (plan.State, error)) (*Batch, error) { return b, nil }, ApplyOptions{Command: "sync", Dirty: true})
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, "runs", dump(t, s, "select id, command, outcome, error, dirty, updated, rows_written from sync_runs order by id"), []string{
		"1|sync|succeeded||false|0|9",
		"2|sync|refused|refused globex: the plan would remove 9 of 9 linked employees|true|1|1",
	})
	equalLines(t, "status", statusRows(t, s), []string{
		"acme|employees|succeeded||2",
		"acme|jobs|succeeded||2",
		"globex|employees|refused|the plan would remove 9 of 9 linked employees|2",
	})
	equalLines(t, "company_sync: globex kept run 1", synced(), []string{"acme|employees|true|2", "acme|jobs|true|2", "globex|employees|true|1", "globex|jobs|false|-"})
	if res.RunID != 2 || first.RunID != 1 {
		t.Errorf("run ids %d, %d", first.RunID, res.RunID)
	}
	st, err := s.Status(ctx, []string{"acme", "globex"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		switch c.Company + " " + c.Kind {
		case "globex employees":
			if c.LastOutcome != "refused" || c.LastAttemptRunID != 2 || c.LastRunID != 1 || c.LastAttemptAt == nil || !c.LastAttemptAt.After(*c.LastSyncedAt) {
				t.Errorf("status of globex employees: %+v", c)
			}
		case "globex jobs":
			if c.LastAttemptAt != nil || c.LastOutcome != "" {
				t.Errorf("globex jobs (paused) has an attempt: %+v", c)
			}
		}
	}
}

// TestJobsUnavailableCountsNoJobsAsSynced: a plan made while the job feed
// could not be read syncs employees, records every enabled jobs kind as
// failed with the reason, and moves no jobs' last-synced time.
func TestJobsUnavailableCountsNoJobsAsSynced(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s, `select c.slug, cs.kind, cs.last_synced_at from company_sync cs join companies c on c.id = cs.company_id where cs.kind = 'jobs' order by 1`)

	p := &plan.Plan{Scope: basePlan().Scope, AllCompanies: true,
		JobsUnavailable: "the job feed at https://acme.jobs.personio.de/xml answered 404 Not Found"}
	if _, err := s.Apply(ctx, p, ApplyOptions{Command: "sync"}); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "status", statusRows(t, s), []string{
		"acme|employees|succeeded||2",
		"acme|jobs|failed|the job feed at https://acme.jobs.personio.de/xml answered 404 Not Found|2",
		"globex|employees|succeeded||2",
	})
	equalLines(t, "jobs' last-synced times", dump(t, s, `select c.slug, cs.kind, cs.last_synced_at from company_sync cs join companies c on c.id = cs.company_id where cs.kind = 'jobs' order by 1`), before)
	equalLines(t, "employees synced in run 2", dump(t, s, `select c.slug, cs.last_run_id from company_sync cs join companies c on c.id = cs.company_id where cs.kind = 'employees' order by 1`),
		[]string{"acme|2", "globex|2"})
}

// TestRecordFailureMarksTheScope: a run that failed before it had a plan
// (Personio was down) marks every enabled kind of its scope as failed,
// companies not yet in Gridwork included.
func TestRecordFailureMarksTheScope(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	id, err := s.RecordFailure(ctx, nil, ApplyOptions{
		Command: "sync", ConfigDigest: "cfgdigest", Dirty: true,
		Scope: []plan.Scope{{Company: "acme", Employees: true, Jobs: true}, {Company: "initech", Employees: true}},
	}, errors.New("reading Personio:\n  503 Service Unavailable"))
	if err != nil {
		t.Fatal(err)
	}
	equalLines(t, "run", dump(t, s, "select id, command, outcome, error, config_digest, dirty, plan_digest from sync_runs"),
		[]string{"1|sync|failed|reading Personio:\n  503 Service Unavailable|cfgdigest|true|"})
	equalLines(t, "status", statusRows(t, s), []string{
		"acme|employees|failed|reading Personio: 503 Service Unavailable|1",
		"acme|jobs|failed|reading Personio: 503 Service Unavailable|1",
		"initech|employees|failed|reading Personio: 503 Service Unavailable|1",
	})
	st, err := s.Status(ctx, []string{"initech"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[0].Exists || st[0].LastOutcome != "failed" || st[0].LastAttemptRunID != id || st[0].LastSyncedAt != nil {
		t.Errorf("status of a company not in Gridwork = %+v", st)
	}
}

func TestScopeResults(t *testing.T) {
	p := &plan.Plan{Scope: []plan.Scope{{Company: "a", Employees: true, Jobs: true}, {Company: "b", Jobs: true}, {Company: "c"}}}
	got := ScopeResults(p)
	want := []KindResult{
		{Company: "a", Kind: KindEmployees, Outcome: Succeeded}, {Company: "a", Kind: KindJobs, Outcome: Succeeded},
		{Company: "b", Kind: KindJobs, Outcome: Succeeded},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ScopeResults = %+v, want %+v", got, want)
	}
	p.JobsUnavailable = "feed\n404"
	want[1].Outcome, want[1].Error = Failed, "feed 404"
	want[2].Outcome, want[2].Error = Failed, "feed 404"
	if got := ScopeResults(p); !slices.Equal(got, want) {
		t.Errorf("ScopeResults with jobs unavailable = %+v, want %+v", got, want)
	}
}
