package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

// holdLock takes the apply lock in a transaction of a connection of its
// own, registered as holder (when host is not ""), and returns its backend
// pid and a function that ends the transaction.
func holdLock(t *testing.T, s *Store, host string, pid int) (backend uint32, release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if host != "" {
		if _, err := conn.Exec(ctx, registerHolder, host, int32(pid), "gridsync apply", "ci"); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock($1)", applyLockKey); err != nil {
		t.Fatal(err)
	}
	// The connection is used by one goroutine at a time: a second caller
	// of release waits for the first, and the cleanup (which runs before
	// the connection closes) for a release still under way elsewhere.
	var once sync.Once
	release = func() { once.Do(func() { _ = tx.Rollback(context.Background()) }) }
	t.Cleanup(release)
	return conn.PgConn().PID(), release
}

// deadPID returns the pid of a process of this host that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := osexec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestLockNamesItsHolder: a writer refused or kept waiting by the lock is
// told which gridsync process holds it (host, pid, command, actor), not a
// PostgreSQL backend.
func TestLockNamesItsHolder(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := s.Write(ctx, func(context.Context, func(Query) (plan.State, error)) (*Batch, error) {
			close(holding)
			<-release
			return &Batch{Plan: &plan.Plan{}}, nil
		}, ApplyOptions{Command: "sync", Actor: "cron"})
		done <- err
	}()
	<-holding

	host, _ := os.Hostname()
	_, err := s.Apply(ctx, &plan.Plan{}, ApplyOptions{})
	want := fmt.Sprintf(", held by gridsync sync (pid %d on %s, as cron, since ", os.Getpid(), host)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(waited 0s); retry or raise -lock-timeout") {
		t.Errorf("Apply while locked = %v, want the holder %q", err, want)
	}
	var waited []string
	_, err = s.Apply(ctx, &plan.Plan{}, ApplyOptions{LockTimeout: 100 * time.Millisecond, Waiting: func(h string, wait time.Duration) {
		waited = append(waited, h+" for "+wait.String())
	}})
	if !errors.Is(err, ErrLocked) || len(waited) != 1 || !strings.HasPrefix(waited[0], want) || !strings.HasSuffix(waited[0], " for 100ms") {
		t.Errorf("a patient Apply: %v, told it waits for %q", err, waited)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, &plan.Plan{}, ApplyOptions{Waiting: func(string, time.Duration) { t.Error("Waiting called for a free lock") }}); err != nil {
		t.Errorf("Apply after the holder finished: %v", err)
	}
}

// TestOrphanedLockIsWaitedFor: a lock held by a session whose gridsync is
// gone (this store's session that lost its connection, or a process of
// this host that ended) is waited for even without a lock timeout: it goes
// away within milliseconds once PostgreSQL ends the session. A live holder
// still refuses at once. The holder lets go once the apply says it
// waits: an apply that waited succeeds, one that did not is refused.
func TestOrphanedLockIsWaitedFor(t *testing.T) {
	ctx := context.Background()
	host, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		name   string
		host   string
		pid    int
		lost   bool // the store saw the session's connection fail
		orphan bool
	}{
		{name: "a session of this store whose connection failed", lost: true, orphan: true},
		{name: "a process of this host that ended", host: host, pid: deadPID(t), orphan: true},
		{name: "a running process of this host", host: host, pid: os.Getpid()},
		{name: "a process of another host", host: "elsewhere.example", pid: deadPID(t)},
		{name: "an unregistered session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			backend, release := holdLock(t, s, tt.host, tt.pid)
			if tt.lost {
				s.lost.Store(int32(backend), true)
			}
			var waited bool
			_, err := s.Apply(ctx, &plan.Plan{}, ApplyOptions{Waiting: func(string, time.Duration) {
				waited = true
				go release()
			}})
			if tt.orphan {
				if err != nil || !waited {
					t.Errorf("Apply = %v (waited: %v), want it to wait for the orphaned lock", err, waited)
				}
				return
			}
			if !errors.Is(err, ErrLocked) || waited {
				t.Errorf("Apply = %v (waited: %v), want ErrLocked at once", err, waited)
			}
		})
	}
}

func TestLockHolderDescription(t *testing.T) {
	host, _ := os.Hostname()
	str := func(s string) *string { return &s }
	i32 := func(i int) *int32 { v := int32(i); return &v }
	since := time.Date(2024, 5, 1, 14, 3, 5, 0, time.UTC)
	tests := []struct {
		h          lockHolder
		want, next string
	}{
		{lockHolder{}, "", "retry or raise -lock-timeout"},
		{lockHolder{backendPID: 77, app: "psql", from: "10.0.0.7", xactStart: &since},
			", held by psql (PostgreSQL backend 77, from 10.0.0.7, in its transaction since 14:03:05 UTC)", "retry or raise -lock-timeout"},
		{lockHolder{backendPID: 77, host: str("runner-7"), pid: i32(4242), command: str("gridsync sync"), actor: str(""), since: &since},
			", held by gridsync sync (pid 4242 on runner-7, since 14:03:05 UTC)", "retry or raise -lock-timeout"},
		{lockHolder{backendPID: 77, host: str(host), pid: i32(deadPID(t)), command: str("gridsync apply"), actor: str("ada")},
			", held by gridsync apply (pid %d on " + host + ", as ada, which no longer runs)", "to end it now, run `select pg_terminate_backend(77)`"},
	}
	for _, tt := range tests {
		want := tt.want
		if strings.Contains(want, "%d") {
			want = fmt.Sprintf(want, *tt.h.pid)
		}
		if got := tt.h.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
		if got := tt.h.advice(); !strings.Contains(got, tt.next) {
			t.Errorf("advice() = %q, want it to contain %q", got, tt.next)
		}
	}
}

// TestLockIgnoresStaleHolderRows: a registration left by an ended session
// whose backend pid PostgreSQL has since given to another session (psql,
// the app) does not name that session's holder: the waiter is not told
// that a gridsync which no longer runs holds the lock, nor to terminate
// the live session, and it does not wait for a lock it takes to be
// orphaned. The next writer clears the stale row.
func TestLockIgnoresStaleHolderRows(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	host, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	backend, release := holdLock(t, s, "", 0)
	mustExec(t, s, `insert into sync_lock_holders (backend_pid, host, pid, command, actor, since)
		values ($1, $2, $3, 'gridsync apply', 'ada', now() - interval '1 day')`, int32(backend), host, int32(deadPID(t)))

	var waited bool
	_, err = s.Apply(ctx, &plan.Plan{}, ApplyOptions{Waiting: func(string, time.Duration) { waited = true }})
	want := fmt.Sprintf("PostgreSQL backend %d", backend)
	if !errors.Is(err, ErrLocked) || waited || !strings.Contains(err.Error(), want) ||
		strings.Contains(err.Error(), "as ada") || strings.Contains(err.Error(), "pg_terminate_backend") {
		t.Errorf("Apply while a live, unregistered session holds the lock = %v (waited: %v), want ErrLocked at once naming %s", err, waited, want)
	}

	release()
	if _, err := s.Apply(ctx, &plan.Plan{}, ApplyOptions{}); err != nil {
		t.Fatalf("Apply after the lock was released: %v", err)
	}
	if got := dump(t, s, fmt.Sprintf("select count(*) from sync_lock_holders where backend_pid = %d", backend)); got[0] != "0" {
		t.Errorf("the stale registration of backend %d is still there after a write", backend)
	}
}
