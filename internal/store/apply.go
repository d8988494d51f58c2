package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridwork/gridsync/plan"
)

// applyLockKey is the advisory lock every gridsync apply takes: "gridsync"
// in ASCII, distinct from tern's migration lock.
const applyLockKey int64 = 0x6772696473796e63

// ErrLocked is returned (wrapped) when another apply holds the lock for
// longer than ApplyOptions.LockTimeout.
var ErrLocked = errors.New("another gridsync apply holds the lock")

// ApplyOptions tune one Apply.
type ApplyOptions struct {
	// LockTimeout is how long to wait for the advisory lock another apply
	// holds. Zero or less means do not wait at all, as in Terraform.
	LockTimeout time.Duration
	// Actor, GitCommit and ConfigDir go into the sync log.
	Actor, GitCommit, ConfigDir string
	// Verify, when set, is called inside the transaction after the lock is
	// held, with the target state of the plan's scope as it is now. A
	// non-nil error (a stale plan) aborts before anything is written and is
	// returned wrapped.
	Verify func(current plan.State) error
	// StartedAt is when the run started, for the sync log; zero means when
	// Apply was called.
	StartedAt time.Time
}

// Result is what an Apply did. The counts are changes by action (of every
// resource type); RowsWritten is the number of company, location, employee
// and job rows that actually changed, which is 0 when the target already
// matched.
type Result struct {
	RunID                                        int64
	Created, Updated, Adopted, Unlinked, Deleted int
	RowsWritten                                  int64
	Duration                                     time.Duration
}

// Apply carries out p in one transaction: it marks the transaction as
// gridsync's (so the read-only trigger lets it write linked rows), takes the
// apply lock, calls opts.Verify, writes companies, locations, employees and
// jobs, and records the run, one row per change and the last-synced times.
// Any error rolls all of it back.
func (s *Store) Apply(ctx context.Context, p *plan.Plan, opts ApplyOptions) (*Result, error) {
	if p == nil {
		return nil, errors.New("no plan to apply")
	}
	if err := validatePlan(p); err != nil {
		return nil, err
	}
	start := time.Now()
	if opts.StartedAt.IsZero() {
		opts.StartedAt = start
	}
	res := countActions(p)

	log := newPendingLog(p)
	var (
		bodyDone bool // set when only COMMIT remains
		refused  bool // the lock or Verify said no: nothing was attempted
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select set_config('gridsync.writer', 'on', true)"); err != nil {
			return fmt.Errorf("marking the transaction as gridsync's: %w", err)
		}
		if err := s.lock(ctx, tx, opts.LockTimeout); err != nil {
			refused = errors.Is(err, ErrLocked)
			return err
		}
		if opts.Verify != nil {
			current, err := readState(ctx, tx, scopeQuery(p))
			if err != nil {
				return fmt.Errorf("re-reading the target state: %w", err)
			}
			if err := opts.Verify(current); err != nil {
				refused = true
				return err
			}
		}
		rows, err := writeChanges(ctx, tx, p, log)
		if err != nil {
			return err
		}
		res.RowsWritten = rows
		if s.beforeLog != nil {
			if err := s.beforeLog(ctx, tx); err != nil {
				return err
			}
		}
		res.RunID, err = writeRun(ctx, tx, p, log.wait(), opts, res)
		bodyDone = err == nil
		return err
	})
	if err != nil && bodyDone && !isServerError(err) {
		// The connection failed during COMMIT: the server may have
		// committed before it went away. Saying "rolled back" would be a
		// guess, and logging a failed run could contradict a succeeded one.
		return nil, fmt.Errorf("%w on the Gridwork database at %s: %v", ErrCommitUnknown, s.where, err)
	}
	switch {
	case err == nil:
	case refused:
		// The refusal says itself that nothing was written.
		return nil, err
	case connectionLost(err) && ctx.Err() == nil:
		// The connection failed (dropped, reset, timed out), not the data.
		return nil, fmt.Errorf("apply rolled back, nothing was written: %w; check the connection to the Gridwork database at %s and run the apply again", err, s.where)
	default:
		return nil, fmt.Errorf("apply rolled back, nothing was written: %w", err)
	}
	res.Duration = time.Since(start)
	s.logger.Info("applied plan", "run", res.RunID, "rows", res.RowsWritten, "duration", res.Duration)
	return res, nil
}

// ErrCommitUnknown means the connection failed while the transaction was
// committing, so whether the apply was written is unknown.
var ErrCommitUnknown = errors.New("the connection failed while committing the apply, so it is unknown whether it was written; run `gridsync history` to see whether the run was recorded as succeeded, and `gridsync plan` to see what is left to do")

// connectionLost reports whether err is the connection failing rather than
// PostgreSQL refusing the data: a network error, or the server ending the
// session (SQLSTATE classes 08 connection exception and 57 operator
// intervention, such as pg_terminate_backend or a shutdown).
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return true
	}
	return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57")
}

// isServerError reports whether PostgreSQL itself answered with an error, in
// which case the transaction was definitely rolled back.
func isServerError(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr)
}

// scopeQuery is the state a plan was computed against.
func scopeQuery(p *plan.Plan) Query {
	q := Query{IncludeUnconfigured: p.AllCompanies}
	for _, sc := range p.Scope {
		q.Companies = append(q.Companies, sc.Company)
	}
	return q
}

// lock takes the transaction-scoped apply lock, waiting at most timeout.
func (s *Store) lock(ctx context.Context, tx pgx.Tx, timeout time.Duration) error {
	locked := func() error {
		return fmt.Errorf("%w on the Gridwork database at %s%s (waited %s); retry or raise -lock-timeout", ErrLocked, s.where, s.lockHolder(ctx), max(timeout, 0))
	}
	if timeout <= 0 {
		var ok bool
		if err := tx.QueryRow(ctx, "select pg_try_advisory_xact_lock($1)", applyLockKey).Scan(&ok); err != nil {
			return fmt.Errorf("taking the apply lock: %w", err)
		}
		if !ok {
			return locked()
		}
		return nil
	}
	// lock_timeout bounds the wait for the advisory lock; it is reset right
	// after so that it does not cut short the writes that follow.
	ms := strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
	if _, err := tx.Exec(ctx, "select set_config('lock_timeout', $1, true)", ms); err != nil {
		return fmt.Errorf("setting the lock timeout: %w", err)
	}
	if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock($1)", applyLockKey); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
			return locked()
		}
		return fmt.Errorf("taking the apply lock: %w", err)
	}
	if _, err := tx.Exec(ctx, "set local lock_timeout to default"); err != nil {
		return fmt.Errorf("resetting the lock timeout: %w", err)
	}
	return nil
}

// lockHolder describes the session holding the apply lock, as
// ", held by gridsync (pid 4242, from 10.0.0.7, in its transaction since
// 14:03:05 UTC)", or "" when it cannot be found (it just let go, or the role
// may not see other sessions). It asks on a connection of its own: the
// transaction that failed to lock may be aborted.
func (s *Store) lockHolder(ctx context.Context) string {
	var (
		pid       int32
		app, from string
		xactStart *time.Time
	)
	err := s.pool.QueryRow(ctx, `
		select a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'), a.xact_start
		from pg_locks l join pg_stat_activity a on a.pid = l.pid
		where l.locktype = 'advisory' and l.granted and l.objsubid = 1
		  and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid
		  and l.database = (select oid from pg_database where datname = current_database())
		limit 1`, applyLockKey>>32, applyLockKey&0xffffffff).Scan(&pid, &app, &from, &xactStart)
	if err != nil {
		return ""
	}
	if app == "" {
		app = "a session"
	}
	desc := fmt.Sprintf(", held by %s (pid %d, from %s", app, pid, from)
	if xactStart != nil {
		desc += ", in its transaction since " + xactStart.UTC().Format("15:04:05 MST")
	}
	return desc + ")"
}

// countActions counts p's changes by action.
func countActions(p *plan.Plan) *Result {
	res := &Result{}
	for _, c := range p.Changes {
		switch c.Action {
		case plan.Create:
			res.Created++
		case plan.Update:
			res.Updated++
		case plan.Adopt:
			res.Adopted++
		case plan.Unlink:
			res.Unlinked++
		case plan.Delete:
			res.Deleted++
		}
	}
	return res
}

// validatePlan rejects changes the store cannot carry out, before any
// connection is used. They would be bugs in the engine or a damaged plan
// file, so the message names the change.
func validatePlan(p *plan.Plan) error {
	for _, c := range p.Changes {
		if c.Action == plan.NoOp {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("cannot apply change %s (%s %s): %s", c.Address, c.Action, c.Type, why)
		}
		if c.Company == "" {
			return bad("it names no company")
		}
		switch c.Type {
		case plan.TypeCompany, plan.TypeLocation:
			if c.Action != plan.Create && c.Action != plan.Update {
				return bad("gridsync only creates and updates companies and locations")
			}
			if c.Type == plan.TypeLocation && c.Key == "" {
				return bad("it names no location")
			}
			if c.Type == plan.TypeLocation {
				if _, err := parseOfficeID(c.After[plan.FieldOfficeID]); err != nil {
					return bad(err.Error())
				}
			}
		case plan.TypeEmployee, plan.TypeJob:
			switch c.Action {
			case plan.Create, plan.Update:
				if c.Key == "" {
					return bad("it has no Personio id")
				}
			case plan.Adopt:
				if c.Type != plan.TypeEmployee {
					return bad("only employees are adopted")
				}
				if c.Key == "" || c.TargetID <= 0 {
					return bad("it needs a Personio id and a target row")
				}
			case plan.Unlink, plan.Delete:
				if c.TargetID <= 0 {
					return bad("it has no target row")
				}
			default:
				return bad("unknown action")
			}
		default:
			return bad("unknown resource type")
		}
	}
	return nil
}

func parseOfficeID(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return nil, fmt.Errorf("office id %q is not a Personio office id", s)
	}
	return &id, nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
