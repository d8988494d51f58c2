package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

// TestKilledConnectionLeavesNoPartialWrite terminates the apply's backend
// from a second connection after all data writes, just before the sync log.
// The re-run right after it, without a lock timeout, is not refused by the
// killed session's lock, which PostgreSQL releases only as the session
// ends, a moment after pg_terminate_backend returns: the store knows the
// session lost its connection and waits for its lock to go.
func TestKilledConnectionLeavesNoPartialWrite(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	killed := false
	var pid int32
	s.beforeLog = func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
			return err
		}
		// The employees are written at this point, inside the transaction.
		var n int
		if err := tx.QueryRow(ctx, "select count(*) from employees").Scan(&n); err != nil || n != 3 {
			t.Errorf("before the kill the transaction sees %d employees (%v), want 3", n, err)
		}
		conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		if err := conn.QueryRow(ctx, "select pg_terminate_backend($1)", pid).Scan(&killed); err != nil {
			return err
		}
		return nil
	}
	_, err := s.Apply(ctx, basePlan(), ApplyOptions{})
	if !killed {
		t.Fatal("the apply's backend was not terminated")
	}
	if err == nil {
		t.Fatal("Apply succeeded although its connection was killed")
	}
	if !strings.Contains(err.Error(), "check the connection to the Gridwork database") {
		t.Errorf("the error does not point at the connection: %v", err)
	}
	if _, lost := s.lost.Load(pid); !lost {
		t.Errorf("the store did not note that session %d lost its connection", pid)
	}
	for _, table := range []string{"companies", "locations", "employees", "jobs", "sync_runs", "sync_changes", "company_sync"} {
		if got := dump(t, s, "select count(*) from "+table); got[0] != "0" {
			t.Errorf("%s has %s rows after the killed apply", table, got[0])
		}
	}
	if _, err := s.RecordFailure(ctx, basePlan(), ApplyOptions{}, err); err != nil {
		t.Errorf("RecordFailure after the kill: %v", err)
	}

	s.beforeLog = nil
	res, err := s.Apply(ctx, basePlan(), ApplyOptions{})
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if res.RowsWritten != 9 {
		t.Errorf("re-run wrote %d rows, want 9", res.RowsWritten)
	}
	res, err = s.Apply(ctx, basePlan(), ApplyOptions{})
	if err != nil || res.RowsWritten != 0 {
		t.Errorf("second re-run = %+v, %v; want 0 rows written", res, err)
	}
	equalLines(t, "runs", dump(t, s, "select id, outcome from sync_runs order by id"), []string{"1|failed", "2|succeeded", "3|succeeded"})
}

// TestConcurrentAppliesNeverInterleave holds the apply lock in one apply
// (its Verify blocks) and checks that others fail fast or wait.
func TestConcurrentAppliesNeverInterleave(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, &plan.Plan{Changes: []plan.Change{company("acme", "Acme"), location("acme", "hq", "HQ", "1", "HQ")}}, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	scope := []plan.Scope{{Company: "acme", Employees: true}}
	first := &plan.Plan{Scope: scope, Changes: []plan.Change{employee("acme", "1", "hq", "A", "A", "a@acme.test")}}
	second := &plan.Plan{Scope: scope, Changes: []plan.Change{employee("acme", "2", "hq", "B", "B", "b@acme.test")}}

	holding, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, first, ApplyOptions{LockTimeout: time.Minute, Verify: func(plan.State) error {
			close(holding)
			<-release
			return nil
		}})
		firstDone <- err
	}()
	<-holding

	for _, timeout := range []time.Duration{0, 200 * time.Millisecond} {
		_, err := s.Apply(ctx, second, ApplyOptions{LockTimeout: timeout})
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "retry or raise -lock-timeout") ||
			!strings.Contains(err.Error(), ", held by gridsync (pid ") {
			t.Errorf("Apply with lock timeout %s while locked = %v, want the lock error", timeout, err)
		}
	}

	// A patient apply waits for the first and then sees its writes.
	var seen plan.State
	verified := make(chan struct{})
	secondDone := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, second, ApplyOptions{LockTimeout: time.Minute, Verify: func(st plan.State) error {
			seen = st
			close(verified)
			return nil
		}})
		secondDone <- err
	}()
	select {
	case <-verified:
		t.Fatal("the second apply ran while the first held the lock")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatalf("first apply: %v", err)
	}
	if err := <-secondDone; err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if len(seen.Employees) != 1 || seen.Employees[0].ExternalID != "1" {
		t.Errorf("the second apply verified against %+v, want the first apply's employee", seen.Employees)
	}
	equalLines(t, "runs in order", dump(t, s, `select id, created from sync_runs where id > 1 order by id`), []string{"2|1", "3|1"})
	equalLines(t, "runs do not overlap", dump(t, s, `select a.finished_at <= b.finished_at from sync_runs a, sync_runs b where a.id = 2 and b.id = 3`), []string{"true"})
}
