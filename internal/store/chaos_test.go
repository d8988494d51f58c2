package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

// chaosIterationsEnv sets how many applies TestDroppedConnectionsNeverLeave
// PartialApplies kills; the default keeps the test short for CI.
const chaosIterationsEnv = "GRIDSYNC_CHAOS_ITERATIONS"

// TestDroppedConnectionsNeverLeavePartialApplies applies plan after plan
// while another connection terminates the apply's backend at a random
// moment of its transaction, and checks after each one that the database
// holds all of that apply or none of it: a new company with its employees,
// an update of every employee of a baseline company, the run, its change
// rows and the last-synced times. Run it with GRIDSYNC_CHAOS_ITERATIONS=60
// for the reliability figure; it logs how the kills landed.
func TestDroppedConnectionsNeverLeavePartialApplies(t *testing.T) {
	iterations := 6
	if v := os.Getenv(chaosIterationsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q is not a positive number", chaosIterationsEnv, v)
		}
		iterations = n
	}
	const (
		baseEmployees = 1000
		newEmployees  = 2000
	)
	ctx := context.Background()
	s := newStore(t)
	killer, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close(ctx)
	// The checks run on a connection of their own: a kill that lands just
	// as an apply commits ends a session the pool may hand out again.
	checker, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer checker.Close(ctx)
	check := func(sql string) []string {
		t.Helper()
		rows, err := checker.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
			v, err := row.Values()
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(x)
			}
			return strings.Join(parts, "|"), err
		})
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return lines
	}

	base := &plan.Plan{Scope: []plan.Scope{{Company: "base", Employees: true}}, Changes: []plan.Change{
		company("base", "Base"), location("base", "hq", "HQ", "1", "HQ")}}
	for i := range baseEmployees {
		id := strconv.Itoa(100000 + i)
		base.Changes = append(base.Changes, employee("base", id, "hq", "B", id, ""))
	}
	if _, err := s.Apply(ctx, base, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	baseIDs := map[string]int64{}
	for _, line := range dump(t, s, "select external_id || '|' || id from employees") {
		var ext string
		var id int64
		if _, err := fmt.Sscanf(line, "%6s|%d", &ext, &id); err != nil {
			t.Fatal(err)
		}
		baseIDs[ext] = id
	}

	// iteration i adds company c<i> and sets every base position to "i".
	planFor := func(i int, position string) *plan.Plan {
		slug := fmt.Sprintf("c%d", i)
		p := &plan.Plan{Scope: []plan.Scope{{Company: slug, Employees: true}, {Company: "base", Employees: true}},
			Changes: []plan.Change{company(slug, slug), location(slug, "hq", "HQ", strconv.Itoa(10+i), "HQ")}}
		for j := range newEmployees {
			p.Changes = append(p.Changes, employee(slug, strconv.Itoa(j), "hq", "N", strconv.Itoa(j), ""))
		}
		for ext, id := range baseIDs {
			e := employee("base", ext, "hq", "B", ext, "")
			after := e.After
			after = after.With(plan.FieldPosition, fmt.Sprint("iteration ", i))
			p.Changes = append(p.Changes, with(e, plan.Update, id, plan.AttrsOf(map[string]string{plan.FieldPosition: position}), after))
		}
		return p
	}

	// An undisturbed apply first, to time the transaction.
	start := time.Now()
	if _, err := s.Apply(ctx, planFor(0, "Engineer"), ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	window := time.Since(start)
	applied := map[int]bool{0: true}
	position := "iteration 0"

	var hit, missed, rolledBack, committed, unknown, partial int
	for i := 1; i <= iterations; i++ {
		delay := rand.N(window + window/5)
		killed := make(chan int64, 1)
		go func() {
			time.Sleep(delay)
			// The apply's session is the one in a transaction; idle pool
			// connections are left alone.
			var n int64
			_ = killer.QueryRow(ctx, `select count(pg_terminate_backend(pid)) from pg_stat_activity
				where datname = current_database() and pid <> pg_backend_pid() and application_name = 'gridsync' and xact_start is not null`).Scan(&n)
			killed <- n
		}()
		_, err := s.Apply(ctx, planFor(i, position), ApplyOptions{})
		n := <-killed
		// Sessions killed after their commit may sit in the pool.
		s.pool.Reset()
		switch {
		case n == 0:
			missed++
		default:
			hit++
		}
		switch {
		case err == nil:
			committed++
		case errors.Is(err, ErrCommitUnknown):
			unknown++
		default:
			rolledBack++
		}

		// All or nothing of iteration i, whatever the error said.
		slug := fmt.Sprintf("c%d", i)
		got := check(fmt.Sprintf(`select
			(select count(*) from companies where slug = '%[1]s'),
			(select count(*) from employees e join companies c on c.id = e.company_id where c.slug = '%[1]s'),
			(select count(distinct position) from employees e join companies c on c.id = e.company_id where c.slug = 'base'),
			(select min(position) from employees e join companies c on c.id = e.company_id where c.slug = 'base'),
			(select count(*) from company_sync cs join companies c on c.id = cs.company_id where c.slug = '%[1]s'),
			(select count(*) from sync_runs where outcome = 'succeeded')`, slug))[0]
		all := fmt.Sprintf("1|%d|1|iteration %d|2|%d", newEmployees, i, len(applied)+2)
		none := fmt.Sprintf("0|0|1|%s|0|%d", position, len(applied)+1)
		switch got {
		case all:
			applied[i] = true
			position = fmt.Sprint("iteration ", i)
			if err != nil && !errors.Is(err, ErrCommitUnknown) {
				t.Errorf("iteration %d: written although Apply said %v", i, err)
			}
		case none:
			if err == nil {
				t.Errorf("iteration %d: Apply succeeded but nothing was written", i)
			}
		default:
			partial++
			t.Errorf("iteration %d (kill after %s, %d sessions): partial state %q, want %q or %q; Apply: %v", i, delay, n, got, all, none, err)
		}
		bad := check(`select r.id from sync_runs r left join sync_changes c on c.run_id = r.id group by r.id
			having count(c.seq) <> case when r.outcome = 'succeeded' then r.created + r.updated + r.adopted + r.unlinked + r.deleted else 0 end`)
		if len(bad) > 0 {
			t.Errorf("iteration %d: runs whose change rows do not match their counts: %q", i, bad)
		}
	}
	t.Logf("%d applies, kills landed in %d transactions (%d came too late); %d rolled back, %d committed, %d commit unknown; %d partial (transaction ~%s)",
		iterations, hit, missed, rolledBack, committed, unknown, partial, window.Round(time.Millisecond))
}
