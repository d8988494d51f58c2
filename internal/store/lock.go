package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// applyLockKey is the advisory lock every gridsync apply takes: "gridsync"
// in ASCII, distinct from tern's migration lock.
const applyLockKey int64 = 0x6772696473796e63

// ErrLocked is returned (wrapped) when another writer (an apply or a
// sync) holds the lock for longer than ApplyOptions.LockTimeout; the
// message goes on to name the holder.
var ErrLocked = errors.New("the apply lock is taken")

// orphanGrace is how long a writer waits, whatever its lock timeout, for a
// lock held by a session whose gridsync process is gone: a session of this
// very store that lost its connection, or one of a process on this host that
// no longer runs. PostgreSQL releases a terminated session's locks within
// milliseconds, so a re-run right after a killed connection is not refused
// for a lock nobody holds any more.
const orphanGrace = 5 * time.Second

// registerHolder records, in autocommit before the apply transaction
// begins, which gridsync process uses this session, so that a writer
// waiting for the lock can name it. It also clears the rows of sessions
// that have ended: those whose backend pid no session has, and those
// registered before the session now holding that pid started
// (PostgreSQL reuses backend pids). A session of another role, whose
// start this role may not see, keeps its row.
const registerHolder = `
with gone as (
    delete from sync_lock_holders r
    where r.backend_pid <> pg_backend_pid() and not exists (
        select 1 from pg_stat_activity a
        where a.pid = r.backend_pid and (a.backend_start is null or a.backend_start <= r.since))
)
insert into sync_lock_holders (backend_pid, host, pid, command, actor, since)
values (pg_backend_pid(), $1, $2, $3, $4, now())
on conflict (backend_pid) do update set
    host = excluded.host, pid = excluded.pid, command = excluded.command, actor = excluded.actor, since = excluded.since`

// register registers this process running command ("sync", "apply", …;
// "" for a bare "gridsync") for actor.
func (s *Store) register(ctx context.Context, conn *pgxpool.Conn, command, actor string) error {
	host, _ := os.Hostname()
	cmd := strings.TrimSuffix("gridsync "+command, " ") // "gridsync" alone for ""
	if _, err := conn.Exec(ctx, registerHolder, host, int32(os.Getpid()), cmd, actor); err != nil {
		return fmt.Errorf("registering this gridsync run with the Gridwork database at %s: %w", s.where, err)
	}
	return nil
}

// lock takes the transaction-scoped apply lock. When another session holds
// it, lock waits at most opts.LockTimeout (calling opts.Waiting first), or
// orphanGrace when that session's gridsync process is gone.
func (s *Store) lock(ctx context.Context, tx pgx.Tx, opts ApplyOptions) error {
	var ok bool
	if err := tx.QueryRow(ctx, "select pg_try_advisory_xact_lock($1)", applyLockKey).Scan(&ok); err != nil {
		return fmt.Errorf("taking the apply lock: %w", err)
	}
	if ok {
		return nil
	}
	holder := s.lockHolder(ctx)
	wait := max(opts.LockTimeout, 0)
	if _, lost := s.lost.Load(holder.backendPID); holder.backendPID != 0 && (lost || holder.gone()) {
		wait = max(wait, orphanGrace) // the holder's gridsync process is gone
	}
	locked := func(h lockHolder) error {
		return fmt.Errorf("%w on the Gridwork database at %s%s (waited %s); %s", ErrLocked, s.where, h, wait, h.advice())
	}
	if wait <= 0 {
		return locked(holder)
	}
	if opts.Waiting != nil {
		opts.Waiting(holder.String(), wait)
	}
	// lock_timeout bounds the wait for the advisory lock; it is reset right
	// after so that it does not cut short the writes that follow.
	ms := strconv.FormatInt(max(wait.Milliseconds(), 1), 10)
	if _, err := tx.Exec(ctx, "select set_config('lock_timeout', $1, true)", ms); err != nil {
		return fmt.Errorf("setting the lock timeout: %w", err)
	}
	if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock($1)", applyLockKey); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
			return locked(s.lockHolder(ctx))
		}
		return fmt.Errorf("taking the apply lock: %w", err)
	}
	if _, err := tx.Exec(ctx, "set local lock_timeout to default"); err != nil {
		return fmt.Errorf("resetting the lock timeout: %w", err)
	}
	return nil
}

// lockHolder is the session holding the apply lock, as far as it can be
// seen: the zero value when it cannot be found (it just let go, or the role
// may not see other sessions).
type lockHolder struct {
	backendPID int32
	app, from  string
	xactStart  *time.Time
	// The gridsync process, when the session registered one.
	host, command, actor *string
	pid                  *int32
	since                *time.Time
}

// lockHolder asks on a connection of its own: the transaction that failed
// to lock may be aborted. A registration older than the holder's session
// is another session's, which had the same backend pid before.
func (s *Store) lockHolder(ctx context.Context) lockHolder {
	var h lockHolder
	err := s.pool.QueryRow(ctx, `
		select a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'), a.xact_start,
		       r.host, r.pid, r.command, r.actor, r.since
		from pg_locks l
		join pg_stat_activity a on a.pid = l.pid
		left join sync_lock_holders r on r.backend_pid = l.pid and (a.backend_start is null or a.backend_start <= r.since)
		where l.locktype = 'advisory' and l.granted and l.objsubid = 1
		  and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid
		  and l.database = (select oid from pg_database where datname = current_database())
		limit 1`, applyLockKey>>32, applyLockKey&0xffffffff).Scan(
		&h.backendPID, &h.app, &h.from, &h.xactStart, &h.host, &h.pid, &h.command, &h.actor, &h.since)
	if err != nil {
		return lockHolder{}
	}
	return h
}

// String describes the holder as ", held by gridsync sync (pid 4242 on
// runner-7, as ci-bot, since 14:03:05 UTC)", or by its PostgreSQL session
// when no gridsync process registered it; "" when unknown.
func (h lockHolder) String() string {
	switch {
	case h.backendPID == 0:
		return ""
	case h.host != nil && h.pid != nil && h.command != nil:
		desc := fmt.Sprintf(", held by %s (pid %d on %s", *h.command, *h.pid, *h.host)
		if h.actor != nil && *h.actor != "" {
			desc += ", as " + *h.actor
		}
		if h.since != nil {
			desc += ", since " + h.since.UTC().Format("15:04:05 MST")
		}
		if h.gone() {
			desc += ", which no longer runs"
		}
		return desc + ")"
	}
	desc := fmt.Sprintf(", held by %s (PostgreSQL backend %d, from %s", cmp.Or(h.app, "a session"), h.backendPID, h.from)
	if h.xactStart != nil {
		desc += ", in its transaction since " + h.xactStart.UTC().Format("15:04:05 MST")
	}
	return desc + ")"
}

// advice says what to do about a lock that stayed held.
func (h lockHolder) advice() string {
	if h.gone() {
		return fmt.Sprintf("its database session outlived a lost connection and ends when PostgreSQL notices; "+
			"to end it now, run `select pg_terminate_backend(%d)` on the Gridwork database, then retry", h.backendPID)
	}
	return "retry or raise -lock-timeout"
}

// gone reports whether the holder registered a process of this host that
// no longer runs.
func (h lockHolder) gone() bool {
	return h.host != nil && h.pid != nil && !processAlive(*h.host, int(*h.pid))
}

// processAlive reports whether process pid runs on host, as far as this
// process can tell: only processes of this host can be checked, others
// count as alive.
func processAlive(host string, pid int) bool {
	if self, err := os.Hostname(); err != nil || self != host || pid <= 0 || pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}
