package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/plan"
)

// cliResult is what one gridsync run said.
type cliResult struct {
	stdout, stderr string
	code           int
}

// goGS runs gridsync in a goroutine; the channel yields its result.
func (h *e2e) goGS(args ...string) <-chan cliResult {
	return h.goGSCtx(context.Background(), args...)
}

func (h *e2e) goGSCtx(ctx context.Context, args ...string) <-chan cliResult {
	ch := make(chan cliResult, 1)
	go func() {
		out, errOut, code := h.gsCtx(ctx, args...)
		ch <- cliResult{out, errOut, code}
	}()
	return ch
}

// wait returns the result of a goGS run, failing after a generous limit.
func wait(t *testing.T, ch <-chan cliResult) cliResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(60 * time.Second):
		t.Fatal("gridsync did not finish within a minute")
		return cliResult{}
	}
}

// connect opens another connection to the fixture's database.
func (h *e2e) connect() *pgx.Conn {
	h.t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// lockTable begins a transaction on its own connection that holds an
// explicit table lock, so that an apply blocks at a known point. The
// returned function ends the transaction (idempotent).
func (h *e2e) lockTable(lock string) (release func()) {
	h.t.Helper()
	ctx := context.Background()
	tx, err := h.connect().Begin(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, lock); err != nil {
		h.t.Fatalf("%s: %v", lock, err)
	}
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback(ctx) }) }
	h.t.Cleanup(release)
	return release
}

// locksInThisDB restricts pg_locks (which is cluster-wide, and other
// tests' databases share the server) to the fixture's database.
const locksInThisDB = `l.database = (select oid from pg_database where datname = current_database())`

// waitForLocks polls pg_locks until query (counting something) returns
// want, so that the test acts at a known point of an apply, not after a
// guessed sleep. done, when it yields first, means the apply finished
// without ever reaching that point.
func (h *e2e) waitForLocks(query string, want int, done <-chan cliResult) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if h.count(query) == want {
			return
		}
		select {
		case r := <-done:
			h.t.Fatalf("gridsync finished before the expected lock state: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no lock state %q = %d after 30s", query, want)
		}
	}
}

// TestE2EStalePlan: a saved plan is applied only while the configuration,
// Personio and the database are what it was computed from.
func TestE2EStalePlan(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	e := h.pickEmployee(inOffice(officeBerlin))
	e.FirstName = "Pending"
	h.sim.UpsertEmployee(e)

	var victim personiosim.Employee
	tests := []struct {
		name    string
		before  func() // runs before plan -out
		change  func()
		restore func()
		reason  string
	}{
		{
			// The digests cover what gridsync writes, not why a record
			// leaves: the saved plan's removal would now be an unlink.
			name: "a removal became an unlink",
			before: func() {
				victim = h.pickEmployee(inOffice(officeMunich))
				v := victim
				v.Status = "inactive"
				h.sim.UpsertEmployee(v)
			},
			change: func() {
				v := victim
				v.OfficeID = officeVienna // active again, in an unmapped office
				h.sim.UpsertEmployee(v)
			},
			restore: func() { h.sim.UpsertEmployee(victim) },
			reason:  "employee.acme[",
		},
		{
			// The file is trusted only as far as it matches the plan
			// computed now: an update whose key was edited must not
			// become the insert of a record nobody reviewed.
			name:   "a change's key edited in the file",
			change: func() { h.editPlanFile("saved.plan", func(f map[string]any) { change0(t, f)["key"] = "77777" }) },
			reason: "employee.acme[",
		},
		{
			name: "the scope edited in the file",
			change: func() {
				h.editPlanFile("saved.plan", func(f map[string]any) { f["scope"].([]any)[0].(map[string]any)["jobs"] = false })
			},
			reason: "the companies in scope would now be planned differently",
		},
		{
			name: "Personio changed",
			change: func() {
				o := h.pickEmployee(inOffice(officeMunich))
				o.LastName = "Meanwhile"
				h.sim.UpsertEmployee(o)
			},
			reason: "Personio's data changed since the plan was made",
		},
		{
			name: "database changed",
			change: func() {
				if _, err := h.db.Exec(t.Context(), "update locations set name = 'Renamed by hand' where slug = 'munich'"); err != nil {
					t.Fatal(err)
				}
			},
			reason: "the Gridwork database changed since the plan was made",
		},
		{
			name:    "configuration changed",
			change:  func() { h.setConfig(strings.Replace(e2eCompanies, `name   = "Munich"`, `name   = "München"`, 1)) },
			restore: func() { h.setConfig(e2eCompanies) },
			reason:  "the configuration changed since the plan was made",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			out, _ := h.mustGS(0, "plan", "-out", "saved.plan")
			if !strings.Contains(out, "gridsync apply -chdir "+h.dir+" saved.plan") {
				t.Errorf("plan -out does not say how to apply:\n%s", out)
			}
			tt.change()
			sum := h.checksum()
			out, stderr, code := h.gs("apply", "saved.plan")
			if code != 1 || !strings.Contains(stderr, "stale plan: "+tt.reason) || !strings.Contains(stderr, "nothing was written") {
				t.Errorf("apply of a stale plan: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
			if strings.HasPrefix(tt.reason, "employee.") && !strings.Contains(stderr, "would now be planned differently") {
				t.Errorf("the refusal does not say the plan differs:\n%s", stderr)
			}
			if h.checksum() != sum {
				t.Error("the refused apply changed the database")
			}
			if tt.restore != nil {
				tt.restore()
			}
		})
	}

	t.Run("fresh plan applies once", func(t *testing.T) {
		h.mustGS(0, "plan", "-out", "saved.plan")
		runs := h.count("select count(*) from sync_runs")
		out, _ := h.mustGS(0, "apply", "saved.plan")
		if !strings.Contains(out, "Apply complete!") {
			t.Errorf("apply saved.plan:\n%s", out)
		}
		if n := h.count("select count(*) from sync_runs where outcome = 'succeeded'"); n != runs+1 {
			t.Errorf("%d succeeded runs, want %d", n, runs+1)
		}
		h.assertState(e2eMapping())
		h.noChanges()

		sum := h.checksum()
		_, stderr, code := h.gs("apply", "saved.plan")
		if code != 1 || !strings.Contains(stderr, "stale plan") {
			t.Errorf("applying the same plan twice: exit %d\n%s", code, stderr)
		}
		if h.checksum() != sum {
			t.Error("the second apply of a saved plan changed the database")
		}
	})
}

// editPlanFile rewrites a saved plan file (in the configuration directory)
// through edit, as a hand or a merge might.
func (h *e2e) editPlanFile(name string, edit func(map[string]any)) {
	h.t.Helper()
	path := filepath.Join(h.dir, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(raw, &f); err != nil {
		h.t.Fatal(err)
	}
	edit(f)
	if raw, err = json.Marshal(f); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		h.t.Fatal(err)
	}
}

// change0 returns the first change of a decoded plan file.
func change0(t *testing.T, f map[string]any) map[string]any {
	t.Helper()
	changes, _ := f["changes"].([]any)
	if len(changes) == 0 {
		t.Fatal("the saved plan has no changes")
	}
	return changes[0].(map[string]any)
}

// TestE2EDeletionGuard: a plan that removes too much of a company, or that
// rests on a suspicious Personio answer, is refused before any write unless
// -allow-mass-delete.
func TestE2EDeletionGuard(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	// initech maps Zurich, a small office of three.
	const officeZurich int64 = 1010
	h.sim.UpsertOffice(personiosim.Office{ID: officeZurich, Name: "Zurich"})
	var zurich []int64
	for i := range 3 {
		id := h.nextEmployeeID()
		zurich = append(zurich, id)
		h.sim.UpsertEmployee(personiosim.Employee{ID: id, FirstName: "Zoe", LastName: fmt.Sprint("Z", i), Email: fmt.Sprintf("zoe%d@initech.example", i), Status: "active", OfficeID: officeZurich})
	}
	companies := e2eCompanies + `
company "initech" {
  name = "Initech AG"

  location "zurich" {
    name   = "Zurich"
    office = "Zurich"
  }
}
`
	h.setConfig(companies)
	m := e2eMapping()
	m["initech"] = map[int64]string{officeZurich: "zurich"}
	h.apply()
	h.assertState(m)

	hamburg := func() []int64 {
		var ids []int64
		for _, e := range h.sim.Employees() {
			if inOffice(officeHamburg)(e) {
				ids = append(ids, e.ID)
			}
		}
		return ids
	}

	t.Run("at the limit", func(t *testing.T) {
		ids := hamburg()
		if allowed := max(5, len(ids)/10); allowed != 5 {
			t.Fatalf("fixture: globex has %d linked employees, %d removals allowed; want the minimum of 5", len(ids), allowed)
		}
		for _, id := range ids[:5] {
			h.sim.DeleteEmployee(id)
		}
		if _, stderr := h.mustGS(0, "plan"); strings.Contains(stderr, "-allow-mass-delete") {
			t.Errorf("plan warns about the guard for 5 removals:\n%s", stderr)
		}
		h.apply()
		h.assertState(m)
	})

	t.Run("mass delete", func(t *testing.T) {
		hamburg := hamburg()
		n := len(hamburg)
		remove := (3*n + 9) / 10 // 30%, rounded up
		allowed := max(5, n/10)
		if remove <= allowed {
			t.Fatalf("fixture: removing %d of %d does not exceed the %d allowed", remove, n, allowed)
		}
		for _, id := range hamburg[:remove] {
			h.sim.DeleteEmployee(id)
		}

		// plan shows the plan and warns; apply refuses.
		_, stderr := h.mustGS(0, "plan")
		if !strings.Contains(stderr, "apply will refuse this plan unless -allow-mass-delete") {
			t.Errorf("plan does not warn about the guard:\n%s", stderr)
		}
		sum := h.checksum()
		_, stderr, code := h.gs("apply", "-auto-approve")
		msg := fmt.Sprintf("the plan would remove or unlink %d of %d linked employees of company globex (at most %d allowed)", remove, n, allowed)
		if code != 1 || !strings.Contains(stderr, msg) || !strings.Contains(stderr, "-allow-mass-delete") {
			t.Errorf("apply: exit %d, stderr:\n%s\nwant it to say: %s", code, stderr, msg)
		}
		if h.checksum() != sum {
			t.Error("the refused apply changed the database")
		}
		// A saved plan is guarded the same way.
		h.mustGS(0, "plan", "-out", "mass.plan")
		if _, stderr, code := h.gs("apply", "mass.plan"); code != 1 || !strings.Contains(stderr, msg) {
			t.Errorf("apply mass.plan: exit %d\n%s", code, stderr)
		}
		if h.checksum() != sum {
			t.Error("the refused apply of a saved plan changed the database")
		}

		out := h.apply("-allow-mass-delete")
		if !strings.Contains(out, fmt.Sprintf("0 unlinked, %d destroyed.", remove)) {
			t.Errorf("apply -allow-mass-delete:\n%s", out[strings.LastIndex(out, "Apply complete"):])
		}
		h.assertState(m)
		h.noChanges()
	})

	t.Run("office suddenly empty", func(t *testing.T) {
		for _, id := range zurich {
			h.sim.DeleteEmployee(id)
		}
		p := h.plan()
		if got := p.actions(); !maps.Equal(got, map[string]int{"employee delete": 3}) {
			t.Errorf("plan actions = %v, want 3 employee deletes", got)
		}
		if len(p.Suspicious) != 1 || !strings.Contains(p.Suspicious[0], "company initech") || !strings.Contains(p.Suspicious[0], "office Zurich (id 1010)") {
			t.Errorf("suspicious = %q", p.Suspicious)
		}
		sum := h.checksum()
		_, stderr, code := h.gs("apply", "-auto-approve")
		if code != 1 || !strings.Contains(stderr, "Personio's answer looks suspicious") || !strings.Contains(stderr, "Zurich") || !strings.Contains(stderr, "-allow-mass-delete") {
			t.Errorf("apply: exit %d, stderr:\n%s", code, stderr)
		}
		if h.checksum() != sum {
			t.Error("the refused apply changed the database")
		}
		h.apply("-allow-mass-delete")
		h.assertState(m)
		h.noChanges()
	})

	t.Run("Personio without any employee", func(t *testing.T) {
		for _, e := range h.sim.Employees() {
			h.sim.DeleteEmployee(e.ID)
		}
		p := h.plan()
		if len(p.Suspicious) != 1 || !strings.Contains(p.Suspicious[0], "Personio answered with no employees at all") {
			t.Errorf("suspicious = %q", p.Suspicious)
		}
		sum := h.checksum()
		_, stderr, code := h.gs("apply", "-auto-approve")
		if code != 1 || !strings.Contains(stderr, "no employees at all") {
			t.Errorf("apply: exit %d, stderr:\n%s", code, stderr)
		}
		if h.checksum() != sum {
			t.Error("the refused apply changed the database")
		}
	})
}

// TestE2EKilledMidApply terminates gridsync's backend (or interrupts
// gridsync) while its apply transaction is blocked at a known point, behind
// a table lock the test holds: nothing of it may remain, and a re-run
// converges.
func TestE2EKilledMidApply(t *testing.T) {
	tests := []struct {
		name      string
		baseline  bool // a first apply succeeded; the killed one changes rows
		lock      string
		table     string // the table the apply waits for
		interrupt bool   // cancel gridsync's context instead of killing its backend
	}{
		// Companies and locations are written; employees wait.
		{name: "first apply, during the data writes", lock: "lock table employees in share mode", table: "employees"},
		// Every data row is written; the sync log waits.
		{name: "first apply, before the sync log", lock: "lock table sync_runs in exclusive mode", table: "sync_runs"},
		// Employee updates, deletes and creates are written; jobs wait.
		{name: "later apply, during the data writes", baseline: true, lock: "lock table jobs in share mode", table: "jobs"},
		{name: "later apply, before the sync log", baseline: true, lock: "lock table sync_runs in exclusive mode", table: "sync_runs"},
		// Ctrl-C while the apply waits.
		{name: "interrupted", baseline: true, lock: "lock table sync_runs in exclusive mode", table: "sync_runs", interrupt: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newE2E(t, e2eOptions{})
			var runsBefore []string
			if tt.baseline {
				h.apply()
				runsBefore = []string{"1|succeeded"}
				renamed := h.pickEmployee(inOffice(officeBerlin))
				renamed.FirstName = "Killed"
				h.sim.UpsertEmployee(renamed)
				h.sim.DeleteEmployee(h.pickEmployee(inOffice(officeMunich)).ID)
				h.sim.UpsertEmployee(personiosim.Employee{ID: h.nextEmployeeID(), FirstName: "New", LastName: "Hire", Email: "new.hire@acme.example", Status: "active", OfficeID: officeHamburg})
				j := h.sim.Jobs()[0]
				j.Name = "Killed Job"
				h.sim.UpsertJob(j)
				h.mustGS(2, "plan", "-detailed-exitcode")
			}
			data := h.checksum("companies", "locations", "employees", "jobs", "company_sync", "sync_changes")

			release := h.lockTable(tt.lock)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := h.goGSCtx(ctx, "apply", "-auto-approve")

			// The apply holds the advisory lock and waits for the table.
			blocked := `select coalesce(min(l.pid), 0) as pid from pg_locks l
				join pg_locks a on a.pid = l.pid and a.locktype = 'advisory' and a.granted
				where ` + locksInThisDB + ` and l.relation = to_regclass('` + tt.table + `') and not l.granted`
			h.waitForLocks(`select count(*) from (`+blocked+`) b where b.pid <> 0`, 1, done)
			if tt.interrupt {
				cancel()
			} else {
				pid := h.count(blocked)
				var killed bool
				if err := h.db.QueryRow(t.Context(), "select pg_terminate_backend($1, 10000)", pid).Scan(&killed); err != nil || !killed {
					t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, killed, err)
				}
			}
			release()
			r := wait(t, done)
			failed := len(runsBefore) + 1
			if tt.interrupt {
				// An interrupt says what was written and exits like other
				// command-line tools do.
				if want := fmt.Sprintf("Error: interrupted: nothing was written (recorded as failed sync run %d)\n", failed); r.code != exitSIGINT || r.stderr != want {
					t.Errorf("interrupted apply: exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", r.code, r.stderr, exitSIGINT, want)
				}
			} else {
				if r.code != 1 || !strings.Contains(r.stderr, "apply rolled back, nothing was written") ||
					!strings.Contains(r.stderr, "check the connection to the Gridwork database") {
					t.Errorf("apply: exit %d\nstderr:\n%s", r.code, r.stderr)
				}
				if !strings.Contains(r.stderr, fmt.Sprintf("(recorded as sync run %d)", failed)) {
					t.Errorf("the killed apply does not name its failed run:\n%s", r.stderr)
				}
			}
			if got := h.checksum("companies", "locations", "employees", "jobs", "company_sync", "sync_changes"); got != data {
				t.Errorf("the failed apply left a partial write:\nbefore %s\nafter  %s", data, got)
			}
			runs := h.query("select id, outcome from sync_runs order by id")
			// A killed connection and an interrupt are both logged as failed runs.
			if want := append(slices.Clone(runsBefore), fmt.Sprintf("%d|failed", failed)); !slices.Equal(runs, want) {
				t.Errorf("sync runs after the kill = %q, want %q", runs, want)
			}
			var hist struct {
				Runs []struct {
					ID      int64
					Outcome string
					Error   string
				}
			}
			out, _ := h.mustGS(0, "history", "-json", "-limit", "1")
			if err := json.Unmarshal([]byte(out), &hist); err != nil || len(hist.Runs) != 1 || hist.Runs[0].Outcome != "failed" || hist.Runs[0].Error == "" {
				t.Errorf("history of the killed run (%v):\n%s", err, out)
			}

			h.apply()
			h.assertState(e2eMapping())
			if got := h.query("select outcome from sync_runs order by id desc limit 1"); !slices.Equal(got, []string{"succeeded"}) {
				t.Errorf("the re-run is logged as %q", got)
			}
			h.assertWholeRuns()
			h.noChanges()
		})
	}
}

// assertWholeRuns checks the sync log: every run's change rows are
// numbered 1..n without gaps, n is the sum of the run's counts, and failed
// runs have none.
func (h *e2e) assertWholeRuns() {
	h.t.Helper()
	bad := h.query(`select r.id, r.outcome, r.created + r.updated + r.adopted + r.unlinked + r.deleted, count(c.seq), coalesce(max(c.seq), 0)
		from sync_runs r left join sync_changes c on c.run_id = r.id
		group by r.id
		having count(c.seq) <> case when r.outcome = 'succeeded' then r.created + r.updated + r.adopted + r.unlinked + r.deleted else 0 end
		    or coalesce(max(c.seq), 0) <> count(c.seq)`)
	if len(bad) > 0 {
		h.t.Errorf("runs whose change rows do not match (id|outcome|counted|rows|max seq): %q", bad)
	}
}

// TestE2EConcurrentApplies: applies at once never interleave, and an apply
// that waited for the lock plans against what the other one wrote: it never
// fails "stale plan" because another writer went first.
func TestE2EConcurrentApplies(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	host, _ := os.Hostname()

	t.Run("both waiting for the lock", func(t *testing.T) {
		// The first apply to take the advisory lock blocks on the sync log
		// until the test lets go; the second waits for the advisory lock.
		release := h.lockTable("lock table sync_runs in exclusive mode")
		a := h.goGS("apply", "-auto-approve", "-lock-timeout", "30s")
		b := h.goGS("apply", "-auto-approve", "-lock-timeout", "30s")
		h.waitForLocks(`select count(*) from pg_locks l where `+locksInThisDB+` and not l.granted
			and (l.relation = to_regclass('sync_runs') or l.locktype = 'advisory')`, 2, nil)
		if n := h.count("select count(*) from employees"); n != 0 {
			t.Errorf("%d employees visible before the first apply committed", n)
		}
		release()
		results := []cliResult{wait(t, a), wait(t, b)}
		// The waiter planned under the lock, after the first had written:
		// it has nothing to do, and printed only that.
		slices.SortFunc(results, func(x, y cliResult) int { return len(y.stdout) - len(x.stdout) })
		first, waiter := results[0], results[1]
		if first.code != 0 || !strings.Contains(first.stdout, "Apply complete! Resources: ") || strings.Contains(first.stdout, "Apply complete! Resources: 0 added") {
			t.Errorf("first apply: exit %d\n%s%s", first.code, first.stdout, first.stderr)
		}
		if waiter.code != 0 || !strings.HasPrefix(waiter.stdout, plan.NoChanges) ||
			!strings.Contains(waiter.stdout, "Apply complete! Resources: 0 added, 0 changed, 0 unlinked, 0 destroyed.") {
			t.Errorf("the apply that waited: exit %d, stdout:\n%s\nstderr:\n%s", waiter.code, waiter.stdout, waiter.stderr)
		}
		if want := fmt.Sprintf("Waiting up to 30s for the apply lock, held by gridsync apply (pid %d on %s, as e2e-bot, since ", os.Getpid(), host); !strings.Contains(waiter.stderr, want) {
			t.Errorf("the waiter does not name the lock's holder; stderr:\n%s\nwant %q", waiter.stderr, want)
		}
		if got := h.query("select id, outcome, rows_written > 0 from sync_runs order by id"); !slices.Equal(got, []string{"1|succeeded|true", "2|succeeded|false"}) {
			t.Errorf("sync runs = %q, want the first writing and the waiter writing nothing", got)
		}
		h.assertWholeRuns()
		h.assertState(e2eMapping())
		h.noChanges()
	})

	t.Run("no lock timeout", func(t *testing.T) {
		e := h.pickEmployee(inOffice(officeBerlin))
		e.FirstName = "Concurrent"
		h.sim.UpsertEmployee(e)
		release := h.lockTable("lock table sync_runs in exclusive mode")
		a := h.goGS("apply", "-auto-approve")
		h.waitForLocks(`select count(*) from pg_locks l where `+locksInThisDB+` and not l.granted and l.relation = to_regclass('sync_runs')`, 1, a)
		out, stderr, code := h.gs("apply", "-auto-approve")
		holder := fmt.Sprintf(", held by gridsync apply (pid %d on %s, as e2e-bot, since ", os.Getpid(), host)
		if code != 1 || !strings.Contains(stderr, "the apply lock is taken on the Gridwork database") || !strings.Contains(stderr, holder) ||
			!strings.Contains(stderr, "retry or raise -lock-timeout") {
			t.Errorf("apply while locked: exit %d, stderr:\n%s\nwant the holder %q", code, stderr, holder)
		}
		if out != "" {
			t.Errorf("the refused apply printed a plan although it never held the lock:\n%s", out)
		}
		release()
		if r := wait(t, a); r.code != 0 {
			t.Errorf("the lock holder: exit %d\n%s", r.code, r.stderr)
		}
		h.assertWholeRuns()
		h.assertState(e2eMapping())
	})

	t.Run("free running", func(t *testing.T) {
		for round := range 3 {
			e := h.pickEmployee(inOffice(officeMunich))
			e.Position = fmt.Sprint("Round ", round)
			h.sim.UpsertEmployee(e)
			h.sim.UpsertEmployee(personiosim.Employee{ID: h.nextEmployeeID(), FirstName: "Hire", LastName: fmt.Sprint(round), Email: fmt.Sprintf("hire%d@acme.example", round), Status: "active", OfficeID: officeBerlin})
			before := h.count("select count(*) from sync_runs where outcome = 'succeeded'")
			a := h.goGS("apply", "-auto-approve", "-lock-timeout", "30s")
			b := h.goGS("apply", "-auto-approve", "-lock-timeout", "30s")
			for _, r := range []cliResult{wait(t, a), wait(t, b)} {
				if r.code != 0 {
					t.Errorf("round %d: exit %d, stderr:\n%s", round, r.code, r.stderr)
				}
			}
			if after := h.count("select count(*) from sync_runs where outcome = 'succeeded'"); after-before != 2 {
				t.Errorf("round %d: %d runs recorded, want 2", round, after-before)
			}
			if n := h.count("select count(*) from sync_runs where outcome = 'failed'"); n != 0 {
				t.Errorf("round %d: %d failed runs", round, n)
			}
			h.assertWholeRuns()
			h.assertState(e2eMapping())
		}
		h.noChanges()
	})
}

// TestE2EReadOnlyTrigger: a foreign writer cannot change synced rows; once
// the office is unmapped and applied, the rows are editable again.
func TestE2EReadOnlyTrigger(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	ctx := t.Context()
	var emp, job int64
	if err := h.db.QueryRow(ctx, `select min(e.id) from employees e join locations l on l.id = e.location_id where l.slug = 'munich'`).Scan(&emp); err != nil {
		t.Fatal(err)
	}
	if err := h.db.QueryRow(ctx, `select min(j.id) from jobs j join locations l on l.id = j.location_id where l.slug = 'munich'`).Scan(&job); err != nil {
		t.Fatal(err)
	}

	refused := func(sql string, args ...any) {
		t.Helper()
		_, err := h.db.Exec(ctx, sql, args...)
		var pgErr *pgconn.PgError
		if err == nil || !strings.Contains(err.Error(), "is synced from Personio and read-only") || !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s: %v, want the read-only refusal (42501)", sql, err)
		}
	}
	sum := h.checksum()
	refused("update employees set first_name = 'Hacked' where id = $1", emp)
	refused("delete from employees where id = $1", emp)
	refused("update jobs set title = 'Hacked' where id = $1", job)
	refused("delete from jobs where id = $1", job)
	for _, table := range []string{"employees", "jobs"} {
		if _, err := h.db.Exec(ctx, "truncate "+table+" cascade"); err == nil || !strings.Contains(err.Error(), table+" holds records synced from Personio, which are read-only") {
			t.Errorf("truncate %s: %v, want refused", table, err)
		}
	}
	if h.checksum() != sum {
		t.Error("a refused foreign write changed the database")
	}
	h.noChanges()

	// Rows the app owns stay writable.
	if _, err := h.db.Exec(ctx, `insert into employees (company_id, first_name, email)
		select id, 'Manual', 'manual@acme.example' from companies where slug = 'acme'`); err != nil {
		t.Errorf("inserting an unlinked employee: %v", err)
	}
	if _, err := h.db.Exec(ctx, "update employees set last_name = 'Edited' where email = 'manual@acme.example'"); err != nil {
		t.Errorf("editing an unlinked employee: %v", err)
	}

	h.setConfig(strings.Replace(e2eCompanies, "    office = \"Munich\"\n", "", 1))
	h.apply("-allow-mass-delete")
	if _, err := h.db.Exec(ctx, "update employees set first_name = 'Edited' where id = $1", emp); err != nil {
		t.Errorf("editing an unlinked (formerly synced) employee: %v", err)
	}
	if _, err := h.db.Exec(ctx, "update jobs set title = 'Edited' where id = $1", job); err != nil {
		t.Errorf("editing an unlinked (formerly synced) job: %v", err)
	}
	if got := h.query("select first_name from employees where id = $1", emp); !slices.Equal(got, []string{"Edited"}) {
		t.Errorf("employee %d = %q after the edit", emp, got)
	}
	h.noChanges()
}

// TestE2EPersonioFailures: when Personio fails, plan and apply exit 1 with
// a message that says what to do, and the database is untouched.
func TestE2EPersonioFailures(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	runs := h.count("select count(*) from sync_runs")

	tests := []struct {
		name   string
		faults personiosim.Faults
		want   []string
	}{
		{"forbidden", personiosim.Faults{Forbidden: true}, []string{"Personio refused", "(403)", "API credentials"}},
		{"unknown tenant", personiosim.Faults{UnknownTenant: true}, []string{"no Personio job feed at http://", "check personio.jobs_url"}},
		{"garbled page", personiosim.Faults{Garbled: true, GarbledOffset: 0}, []string{"employees page at offset 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.sim.SetFaults(tt.faults)
			defer h.sim.SetFaults(personiosim.Faults{})
			// Something to do, so an apply that went ahead would show.
			e := h.pickEmployee(inOffice(officeBerlin))
			e.FirstName += "x"
			h.sim.UpsertEmployee(e)
			sum := h.checksum()
			for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
				out, stderr, code := h.gs(cmd...)
				if code != 1 || out != "" {
					t.Errorf("%s: exit %d, stdout:\n%s", cmd[0], code, out)
				}
				for _, w := range tt.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: stderr does not say %q:\n%s", cmd[0], w, stderr)
					}
				}
			}
			if h.checksum() != sum {
				t.Error("a failed Personio read changed the database")
			}
		})
	}
	if n := h.count("select count(*) from sync_runs"); n != runs {
		t.Errorf("%d sync runs, want %d", n, runs)
	}

	t.Run("wrong credentials", func(t *testing.T) {
		w := newE2E(t, e2eOptions{ClientSecret: "rotated-in-personio"})
		for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
			out, stderr, code := w.gs(cmd...)
			if code != 1 || out != "" || !strings.Contains(stderr, "Personio rejected the credentials") || !strings.Contains(stderr, "check client_id / client_secret") {
				t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", cmd[0], code, out, stderr)
			}
			if strings.Contains(stderr, personiosim.DefaultClientSecret) {
				t.Errorf("%s prints the client secret", cmd[0])
			}
		}
		if n := w.count("select (select count(*) from companies) + (select count(*) from sync_runs)"); n != 0 {
			t.Errorf("%d rows written after a credentials failure", n)
		}
	})
}
