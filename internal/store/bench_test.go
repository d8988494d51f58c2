package store

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

// BenchmarkApplyCreates applies a first sync of n employees over 50
// companies and compares it with a raw COPY of the same rows, measured in
// the same run, into two scratch tables: one with the employees table's
// columns only, and one that also has its indexes (LIKE … INCLUDING ALL;
// neither has foreign keys or triggers). Metrics:
//
//	apply-rows/s        employee rows per second through Apply (staging,
//	                    upsert, foreign-key checks and the sync log included)
//	copy-rows/s         the same rows through a bare COPY into the plain table
//	apply/copy          the ratio of the two (the goal: at least 0.5)
//	apply/copy-indexed  the ratio against COPY into the indexed table
//	noop-rows           rows written by re-applying the same plan (must be 0)
//	noop-ms             how long that no-change apply took
//
// It also logs how long each statement of the first apply took, slowest
// first, so that a change can be judged by where the time goes.
func BenchmarkApplyCreates(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("employees=%d", n), func(b *testing.B) {
			benchApplyCreates(b, n, 50)
		})
	}
}

func benchApplyCreates(b *testing.B, n, companies int) {
	ctx := context.Background()
	steps := &stepTracer{}
	s := newTracedStore(b, steps)
	setup := &plan.Plan{}
	for c := range companies {
		slug := fmt.Sprintf("company-%02d", c)
		setup.Changes = append(setup.Changes, company(slug, "Company "+slug),
			location(slug, "hq", "HQ", strconv.Itoa(2*c+1), "HQ "+slug),
			location(slug, "branch", "Branch", strconv.Itoa(2*c+2), "Branch "+slug))
		setup.Scope = append(setup.Scope, plan.Scope{Company: slug, Employees: true, Jobs: true})
	}
	if _, err := s.Apply(ctx, setup, ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	p := &plan.Plan{Scope: setup.Scope, AllCompanies: true}
	for i := range n {
		slug := fmt.Sprintf("company-%02d", i%companies)
		loc := "hq"
		if i%3 == 0 {
			loc = "branch"
		}
		id := strconv.Itoa(100000 + i)
		p.Changes = append(p.Changes, employee(slug, id, loc, "First"+id, "Last"+id, "e"+id+"@"+slug+".test"))
	}
	baseline := copyRows(b, s, p)
	mustExec(b, s, "create table copy_scratch (like employees including defaults)")
	mustExec(b, s, "create table copy_scratch_indexed (like employees including all)")

	var applyTime, copyTime, copyIndexedTime time.Duration
	var noopRows int64
	var noopTime time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		mustExec(b, s, `begin; select set_config('gridsync.writer', 'on', true);
			truncate employees, sync_changes, company_sync, sync_status, sync_runs, copy_scratch, copy_scratch_indexed; commit`)
		mustExec(b, s, "vacuum analyze employees")
		steps.reset()
		b.StartTimer()

		start := time.Now()
		res, err := s.Apply(ctx, p, ApplyOptions{})
		applyTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.Logf("apply of %d employees took %s:%s", n, time.Since(start).Round(time.Millisecond), steps)
		b.StartTimer()
		if res.RowsWritten != int64(n) {
			b.Fatalf("Apply wrote %d rows, want %d", res.RowsWritten, n)
		}

		b.StopTimer()
		start = time.Now()
		if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"copy_scratch"}, baselineColumns, pgx.CopyFromRows(baseline)); err != nil {
			b.Fatal(err)
		}
		copyTime += time.Since(start)
		start = time.Now()
		if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"copy_scratch_indexed"}, baselineColumns, pgx.CopyFromRows(baseline)); err != nil {
			b.Fatal(err)
		}
		copyIndexedTime += time.Since(start)

		start = time.Now()
		res, err = s.Apply(ctx, p, ApplyOptions{})
		noopTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		noopRows += res.RowsWritten
		b.StartTimer()
	}
	b.StopTimer()
	rows := float64(n) * float64(b.N)
	applyRate, copyRate := rows/applyTime.Seconds(), rows/copyTime.Seconds()
	b.ReportMetric(applyRate, "apply-rows/s")
	b.ReportMetric(copyRate, "copy-rows/s")
	b.ReportMetric(applyRate/copyRate, "apply/copy")
	b.ReportMetric(applyRate/(rows/copyIndexedTime.Seconds()), "apply/copy-indexed")
	b.ReportMetric(float64(noopRows)/float64(b.N), "noop-rows")
	b.ReportMetric(float64(noopTime.Milliseconds())/float64(b.N), "noop-ms")
	if noopRows != 0 {
		b.Errorf("re-applying the same plan wrote %d rows, want 0", noopRows)
	}
}

var baselineColumns = []string{"company_id", "location_id", "external_source", "external_id", "first_name", "last_name",
	"gender", "position", "email", "status", "profile_image_url", "synced_at"}

// copyRows resolves p's employee creates to the rows Apply would insert.
func copyRows(b *testing.B, s *Store, p *plan.Plan) [][]any {
	ctx := context.Background()
	ids := map[string]int64{}
	rows, err := s.pool.Query(ctx, "select c.slug || '/' || l.slug, l.id from locations l join companies c on c.id = l.company_id")
	if err != nil {
		b.Fatal(err)
	}
	var key string
	var id, companyID int64
	if _, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { ids[key] = id; return nil }); err != nil {
		b.Fatal(err)
	}
	companyIDs := map[string]int64{}
	rows, err = s.pool.Query(ctx, "select slug, id from companies")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pgx.ForEachRow(rows, []any{&key, &companyID}, func() error { companyIDs[key] = companyID; return nil }); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	out := make([][]any, 0, len(p.Changes))
	for _, c := range p.Changes {
		a := c.After
		out = append(out, []any{companyIDs[c.Company], ids[c.Company+"/"+a.Get(plan.FieldLocation)], "personio", c.Key,
			a.Get(plan.FieldFirstName), a.Get(plan.FieldLastName), a.Get(plan.FieldGender), a.Get(plan.FieldPosition), a.Get(plan.FieldEmail),
			a.Get(plan.FieldStatus), a.Get(plan.FieldProfileImageURL), now})
	}
	return out
}
