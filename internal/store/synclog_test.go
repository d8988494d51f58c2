package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/tern/v2/migrate"

	"github.com/gridwork/gridsync/plan"
	"github.com/gridwork/gridsync/schema"
)

// TestSyncChangesNameExistingRuns checks that the sync log's foreign key
// keeps every change tied to an existing run.
func TestSyncChangesNameExistingRuns(t *testing.T) {
	s := newStore(t)
	res, err := s.Apply(context.Background(), basePlan(), ApplyOptions{})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	// A failed run has no changes.
	if _, err := s.RecordFailure(context.Background(), nil, ApplyOptions{}, errors.New("boom")); err != nil {
		t.Fatalf("RecordFailure: %v", err)
	}
	const missingRun = `violates foreign key constraint "sync_changes_run_id_fkey"`
	tests := []struct {
		name, sql string
		want      string // "" means allowed
	}{
		{"insert for a missing run", `insert into sync_changes (run_id, seq, address, action, type, company)
			values (999, 1, 'x', 'create', 'employee', 'acme')`, missingRun},
		{"insert for missing and existing runs", `insert into sync_changes (run_id, seq, address, action, type, company)
			values (1, 1000, 'x', 'create', 'employee', 'acme'), (999, 1, 'x', 'create', 'employee', 'acme')`, missingRun},
		{"move changes to a missing run", `update sync_changes set run_id = 999 where run_id = 1`, missingRun},
		{"change the id of a run with changes", `update sync_runs set id = 999 where id = 1`, missingRun},
		{"insert for an existing run", `insert into sync_changes (run_id, seq, address, action, type, company)
			values (1, 1000, 'x', 'create', 'employee', 'acme')`, ""},
		{"change the id of a run without changes", `update sync_runs set id = 998 where id = 2`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := exec(s, tt.sql)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}

	mustExec(t, s, "delete from company_sync")
	mustExec(t, s, "delete from sync_runs where id = $1", res.RunID)
	equalLines(t, "changes left after deleting run 1", dump(t, s, "select count(*) from sync_changes where run_id = 1"), []string{"0"})
	equalLines(t, "runs left", dump(t, s, "select id from sync_runs order by id"), []string{"998"})
}

// TestLeanApplyMigrationRoundTrip migrates 002 down and up again with a
// sync log in the database.
func TestLeanApplyMigrationRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	const query = `select seq, after->>'first_name', pg_typeof(after) from sync_changes where type = 'employee' order by seq`
	m := migrator(t, s)
	if err := m.MigrateTo(ctx, 1); err != nil {
		t.Fatalf("migrating down to 1: %v", err)
	}
	equalLines(t, "sync log at version 1", dump(t, s, query), []string{"6|Ada|jsonb", "7|Alan|jsonb", "8|Grace|jsonb"})
	if err := exec(s, `insert into sync_changes (run_id, seq, address, action, type, company) values (999, 1, 'x', 'create', 'employee', 'acme')`); err == nil ||
		!strings.Contains(err.Error(), "sync_changes_run_id_fkey") {
		t.Errorf("insert for a missing run at version 1: %v, want the foreign key error", err)
	}
	if _, _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrating up again: %v", err)
	}
	equalLines(t, "sync log at the latest version", dump(t, s, query), []string{"6|Ada|json", "7|Alan|json", "8|Grace|json"})
}

// TestSyncStatusMigrationRoundTrip migrates 003 down and up again with a
// refused run and sync status in the database: down keeps the runs (a
// refused one becomes failed, which version 2 knows), up accepts refused
// runs again.
func TestSyncStatusMigrationRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Write(ctx, func(context.Context, func(Query) (plan.State, error)) (*Batch, error) {
		return &Batch{Plan: basePlan(), Outcome: Refused, Error: "refused initech: suspicious"}, nil
	}, ApplyOptions{Command: "sync", Dirty: true}); err != nil {
		t.Fatal(err)
	}
	m := migrator(t, s)
	if err := m.MigrateTo(ctx, 2); err != nil {
		t.Fatalf("migrating down to 2: %v", err)
	}
	equalLines(t, "runs at version 2", dump(t, s, "select id, outcome, error from sync_runs"), []string{"1|failed|refused initech: suspicious"})
	if err := exec(s, "select 1 from sync_status"); err == nil {
		t.Error("sync_status still exists at version 2")
	}
	if _, _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrating up again: %v", err)
	}
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{Command: "apply"}); err != nil {
		t.Fatalf("apply at the latest version: %v", err)
	}
	mustExec(t, s, "update sync_runs set outcome = 'refused' where id = 1")
	equalLines(t, "runs at the latest version", dump(t, s, "select id, outcome, command, dirty from sync_runs order by id"), []string{"1|refused||false", "2|succeeded|apply|false"})
}

// migrator returns a tern migrator over s's embedded migrations, on a
// connection held until the test ends, for tests that migrate down.
func migrator(t *testing.T, s *Store) *migrate.Migrator {
	t.Helper()
	ctx := context.Background()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadMigrations(schema.Migrations()); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAttrsJSON(t *testing.T) {
	tests := []struct {
		name  string
		attrs plan.Attrs
		want  string
	}{
		{"none", plan.Attrs{}, ""},
		{"empty", plan.AttrsOf(map[string]string{}), "{}"},
		{"sorted keys", plan.AttrsOf(map[string]string{"title": "2", "email": "1"}), `{"email":"1","title":"2"}`},
		{"escapes", plan.AttrsOf(map[string]string{"position": "quote\" backslash\\ nl\n tab\t cr\r bell\a"}), `{"position":"quote\" backslash\\ nl\n tab\t cr\r bell\u0007"}`},
		{"unicode kept", plan.AttrsOf(map[string]string{"name": "Zoë Müller 東京 <b>&</b>"}), `{"name":"Zoë Müller 東京 <b>&</b>"}`},
		{"invalid utf-8 replaced", plan.AttrsOf(map[string]string{"position": "a\xffb"}), "{\"position\":\"a\uFFFDb\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := attrsJSON(tt.attrs)
			if string(got) != tt.want {
				t.Fatalf("attrsJSON = %s, want %s", got, tt.want)
			}
			if tt.attrs.IsNone() {
				return
			}
			// Whatever encoding/json decodes must be what we encoded.
			var back map[string]string
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("not valid JSON: %v", err)
			}
			std, _ := json.Marshal(tt.attrs.Map())
			var stdBack map[string]string
			_ = json.Unmarshal(std, &stdBack)
			if !reflect.DeepEqual(back, stdBack) {
				t.Errorf("decodes to %q, encoding/json round trip gives %q", back, stdBack)
			}
		})
	}
}

func TestPlanDigest(t *testing.T) {
	base := encodeChanges(basePlan()).digest
	if len(base) != 64 {
		t.Fatalf("digest %q is not hex SHA-256", base)
	}
	tests := []struct {
		name   string
		mutate func(p *plan.Plan)
		same   bool
	}{
		{"unchanged", func(*plan.Plan) {}, true},
		{"reason is display only", func(p *plan.Plan) { p.Changes[5].Reason = "other words" }, true},
		{"no-ops are ignored", func(p *plan.Plan) {
			p.Changes = append(p.Changes, plan.Change{Address: "employee.acme[5]", Action: plan.NoOp})
		}, true},
		{"digests of inputs are not part of it", func(p *plan.Plan) { p.Digests.Personio = "x" }, true},
		{"an attribute", func(p *plan.Plan) { p.Changes[5].After = p.Changes[5].After.With(plan.FieldLastName, "Byron") }, false},
		{"an action", func(p *plan.Plan) { p.Changes[5].Action = plan.Update }, false},
		{"the order", func(p *plan.Plan) { p.Changes[5], p.Changes[6] = p.Changes[6], p.Changes[5] }, false},
		{"field boundaries", func(p *plan.Plan) {
			p.Changes[5].Company, p.Changes[5].Key = "acme1", "001"
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePlan()
			tt.mutate(p)
			if got := encodeChanges(p).digest; (got == base) != tt.same {
				t.Errorf("digest changed = %t, want %t", got != base, !tt.same)
			}
		})
	}
}
