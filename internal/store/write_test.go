package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/plan"
)

func TestApplyCreatesExactlyThePlannedRows(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := basePlan()
	res, err := s.Apply(ctx, p, ApplyOptions{Actor: "ada", GitCommit: "abc123", ConfigDir: "/cfg"})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res.Created != 9 || res.Updated+res.Adopted+res.Unlinked+res.Deleted != 0 {
		t.Errorf("counts = %+v, want 9 created", res)
	}
	// 2 companies + 3 locations + 3 employees + 1 job
	if res.RowsWritten != 9 {
		t.Errorf("RowsWritten = %d, want 9", res.RowsWritten)
	}

	equalLines(t, "locations", dump(t, s, dumpLocations), []string{
		"acme|Acme GmbH|berlin-hq|Berlin HQ|11|Berlin",
		"acme|Acme GmbH|remote|Remote|NULL|NULL",
		"globex|Globex|munich|Munich|12|München",
	})
	equalLines(t, "employees", dump(t, s, dumpEmployees), []string{
		"acme|berlin-hq|personio|1001|Ada|Lovelace|diverse|Engineer|ada@acme.test|active|https://img.test/1001",
		"acme|berlin-hq|personio|1002|Alan|Turing|diverse|Engineer|alan@acme.test|active|https://img.test/1002",
		"globex|munich|personio|2001|Grace|Hopper|diverse|Engineer|grace@globex.test|active|https://img.test/2001",
	})
	equalLines(t, "jobs", dump(t, s, dumpJobs), []string{
		"acme|berlin-hq|personio|9001|Go Engineer|<p>Join us</p>|permanent|full-time|R&D|https://jobs.test/9001|published",
	})
	equalLines(t, "sync run", dump(t, s, `select id, outcome, actor, git_commit, config_dir, config_digest, personio_digest,
		target_digest, plan_digest = '`+encodeChanges(p).digest+`', created, rows_written, finished_at >= started_at from sync_runs`), []string{
		"1|succeeded|ada|abc123|/cfg|cfg1|pers1|tgt1|true|9|9|true",
	})
	equalLines(t, "sync changes", dump(t, s, `select seq, address, action, type, company, key, target_id, before, after->>'first_name', reason
		from sync_changes where run_id = 1 and type = 'employee' order by seq`), []string{
		"6|employee.acme[1001]|create|employee|acme|1001|NULL|NULL|Ada|new in Personio",
		"7|employee.acme[1002]|create|employee|acme|1002|NULL|NULL|Alan|new in Personio",
		"8|employee.globex[2001]|create|employee|globex|2001|NULL|NULL|Grace|new in Personio",
	})
	// globex has jobs off: no jobs time, but the setting is recorded.
	equalLines(t, "company sync", dump(t, s, `select c.slug, cs.kind, cs.enabled, cs.last_synced_at is not null, cs.last_run_id
		from company_sync cs join companies c on c.id = cs.company_id order by 1, 2`), []string{
		"acme|employees|true|true|1",
		"acme|jobs|true|true|1",
		"globex|employees|true|true|1",
		"globex|jobs|false|false|NULL",
	})
	if res.RunID != 1 {
		t.Errorf("RunID = %d, want 1", res.RunID)
	}
}

func TestReapplyWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{}); err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	before := dump(t, s, dumpVersions)

	tests := []struct {
		name string
		plan *plan.Plan
	}{
		{"same changes again", basePlan()},
		{"no changes", &plan.Plan{Scope: basePlan().Scope, AllCompanies: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Apply(ctx, tt.plan, ApplyOptions{})
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if res.RowsWritten != 0 {
				t.Errorf("RowsWritten = %d, want 0", res.RowsWritten)
			}
			equalLines(t, "row versions (xmin, updated_at)", dump(t, s, dumpVersions), before)
			// The run is still recorded and the last-synced time moves on.
			equalLines(t, "last run", dump(t, s, `select count(*) from company_sync where last_run_id = `+strconv.FormatInt(res.RunID, 10)), []string{"3"})
		})
	}
}

func TestApplyEachAction(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{}); err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	// A hand-written, unlinked employee with the email of a new hire, and
	// one without a counterpart.
	mustExec(t, s, `insert into employees (company_id, first_name, last_name, email)
		select id, 'Barbara', 'L.', 'Barbara@Acme.test' from companies where slug = 'acme'`)
	var manual int64
	if err := s.pool.QueryRow(ctx, "select id from employees where external_id is null").Scan(&manual); err != nil {
		t.Fatal(err)
	}
	ada, alan, grace := rowID(t, s, "employees", "1001"), rowID(t, s, "employees", "1002"), rowID(t, s, "employees", "2001")
	goJob := rowID(t, s, "jobs", "9001")

	renamed := employee("acme", "1001", "remote", "Ada", "King", "ada@acme.test")
	adopted := employee("acme", "1003", "berlin-hq", "Barbara", "Liskov", "barbara@acme.test")
	loc := location("acme", "berlin-hq", "Berlin Mitte", "13", "Berlin Mitte")
	p := &plan.Plan{
		Scope: basePlan().Scope, AllCompanies: true,
		Changes: []plan.Change{
			with(company("acme", "Acme SE"), plan.Update, 0, plan.AttrsOf(map[string]string{plan.FieldName: "Acme GmbH"}), plan.AttrsOf(map[string]string{plan.FieldName: "Acme SE"})),
			with(loc, plan.Update, 0, plan.Attrs{}, loc.After),
			with(renamed, plan.Update, ada, basePlan().Changes[5].After, renamed.After),
			with(adopted, plan.Adopt, manual, plan.AttrsOf(map[string]string{plan.FieldFirstName: "Barbara"}), adopted.After),
			with(employee("acme", "1002", "", "", "", ""), plan.Delete, alan, plan.AttrsOf(map[string]string{plan.FieldFirstName: "Alan"}), plan.Attrs{}),
			with(employee("globex", "2001", "", "", "", ""), plan.Unlink, grace, plan.AttrsOf(map[string]string{plan.FieldFirstName: "Grace"}), plan.Attrs{}),
			with(job("acme", "9001", "", ""), plan.Delete, goJob, plan.AttrsOf(map[string]string{plan.FieldTitle: "Go Engineer"}), plan.Attrs{}),
		},
	}
	res, err := s.Apply(ctx, p, ApplyOptions{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res.Updated != 3 || res.Adopted != 1 || res.Deleted != 2 || res.Unlinked != 1 || res.Created != 0 {
		t.Errorf("counts = %+v", res)
	}
	if res.RowsWritten != 7 {
		t.Errorf("RowsWritten = %d, want 7", res.RowsWritten)
	}
	equalLines(t, "locations", dump(t, s, dumpLocations), []string{
		"acme|Acme SE|berlin-hq|Berlin Mitte|13|Berlin Mitte",
		"acme|Acme SE|remote|Remote|NULL|NULL",
		"globex|Globex|munich|Munich|12|München",
	})
	equalLines(t, "employees", dump(t, s, dumpEmployees), []string{
		"acme|remote|personio|1001|Ada|King|diverse|Engineer|ada@acme.test|active|https://img.test/1001",
		"acme|berlin-hq|personio|1003|Barbara|Liskov|diverse|Engineer|barbara@acme.test|active|https://img.test/1003",
		// Unlinked: kept with its last synced values, editable again.
		"globex|munich|-|-|Grace|Hopper|diverse|Engineer|grace@globex.test|active|https://img.test/2001",
	})
	if got := rowID(t, s, "employees", "1003"); got != manual {
		t.Errorf("adoption created row %d instead of linking row %d", got, manual)
	}
	equalLines(t, "jobs", dump(t, s, dumpJobs), nil)
	if err := exec(s, "update employees set last_name = 'H.' where id = $1", grace); err != nil {
		t.Errorf("editing an unlinked employee: %v", err)
	}

	t.Run("reapply is harmless", func(t *testing.T) {
		before := dump(t, s, dumpVersions)
		res, err := s.Apply(ctx, p, ApplyOptions{})
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if res.RowsWritten != 0 {
			t.Errorf("RowsWritten = %d, want 0", res.RowsWritten)
		}
		equalLines(t, "row versions", dump(t, s, dumpVersions), before)
	})
}

func TestApplyRefusesWithoutWriting(t *testing.T) {
	ctx := context.Background()
	stale := errors.New("stale plan: the target changed since the plan was made")
	tests := []struct {
		name string
		plan *plan.Plan
		opts ApplyOptions
		want string
	}{
		{"verify fails", basePlan(), ApplyOptions{Verify: func(plan.State) error { return stale }}, "stale plan"},
		{"unknown location", func() *plan.Plan {
			p := basePlan()
			p.Changes = append(p.Changes, employee("acme", "1009", "paris", "P", "Q", "pq@acme.test"))
			return p
		}(), ApplyOptions{}, `location "paris" of company "acme", which does not exist`},
		{"company neither existing nor created", func() *plan.Plan {
			p := basePlan()
			p.Changes = append(p.Changes, employee("initech", "1", "", "P", "Q", ""))
			return p
		}(), ApplyOptions{}, `company "initech", which is not in the Gridwork database`},
		{"adopting a row that is gone", func() *plan.Plan {
			p := basePlan()
			p.Changes = append(p.Changes, with(employee("acme", "1005", "", "X", "Y", "x@acme.test"), plan.Adopt, 999, plan.Attrs{},
				plan.AttrsOf(map[string]string{plan.FieldFirstName: "X"})))
			return p
		}(), ApplyOptions{}, "cannot adopt employees row 999"},
		{"bad office id", func() *plan.Plan {
			p := basePlan()
			p.Changes = append(p.Changes, location("acme", "x", "X", "Berlin", ""))
			return p
		}(), ApplyOptions{}, `office id "Berlin" is not a Personio office id`},
		{"deleting a company", &plan.Plan{Changes: []plan.Change{with(company("acme", ""), plan.Delete, 0, plan.Attrs{}, plan.Attrs{})}},
			ApplyOptions{}, "gridsync only creates and updates companies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			_, err := s.Apply(ctx, tt.plan, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Apply error = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "check the connection") {
				t.Errorf("Apply error %q blames the connection for a plan the database cannot take", err)
			}
			if tt.opts.Verify != nil && !errors.Is(err, stale) {
				t.Errorf("Apply error %v does not wrap the Verify error", err)
			}
			for _, table := range []string{"companies", "locations", "employees", "jobs", "sync_runs", "sync_changes", "company_sync"} {
				if got := dump(t, s, "select count(*) from "+table); got[0] != "0" {
					t.Errorf("%s has %s rows after a refused apply", table, got[0])
				}
			}
		})
	}
}

func TestRecordFailure(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := basePlan()
	p.Changes = append(p.Changes, employee("acme", "1009", "paris", "P", "Q", "pq@acme.test"))
	opts := ApplyOptions{Actor: "ci", GitCommit: "deadbeef", ConfigDir: "/cfg"}
	_, applyErr := s.Apply(ctx, p, opts)
	if applyErr == nil {
		t.Fatal("Apply succeeded with an unknown location")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel() // an interrupted apply is still logged
	id, err := s.RecordFailure(cancelled, p, opts, applyErr)
	if err != nil {
		t.Fatalf("RecordFailure: %v", err)
	}
	runs, err := s.History(ctx, 10)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if len(runs) != 1 || runs[0].ID != id || runs[0].Outcome != "failed" || runs[0].Actor != "ci" ||
		runs[0].GitCommit != "deadbeef" || runs[0].PlanDigest != encodeChanges(p).digest || runs[0].ConfigDigest != "cfg1" ||
		!strings.Contains(runs[0].Error, `location "paris"`) || runs[0].RowsWritten != 0 {
		t.Errorf("History = %+v", runs)
	}
	if got := dump(t, s, "select count(*) from employees"); got[0] != "0" {
		t.Errorf("employees written by a failed apply: %s", got[0])
	}

	if _, err := s.RecordFailure(ctx, nil, ApplyOptions{}, errors.New("reading Personio failed")); err != nil {
		t.Errorf("RecordFailure without a plan: %v", err)
	}
}
