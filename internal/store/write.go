package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridwork/gridsync/plan"
)

// ApplyOptions tune one Apply or Write.
type ApplyOptions struct {
	// LockTimeout is how long to wait for the advisory lock another apply
	// holds. Zero or less means do not wait at all, as in Terraform.
	LockTimeout time.Duration
	// Waiting, when set, is called once before waiting for a lock another
	// writer holds, with a description of the holder (", held by …") and
	// how long it waits at most.
	Waiting func(holder string, wait time.Duration)
	// Command, Actor, GitCommit, Dirty and ConfigDir go into the sync log.
	// Command ("sync", "apply", "apply PLANFILE") and Actor also name this
	// run, with this process's host and pid, to writers waiting for the
	// lock.
	Command, Actor, GitCommit, ConfigDir string
	Dirty                                bool
	// Verify, when set, is called by Apply inside the transaction after the
	// lock is held, with the target state of the plan's scope as it is now.
	// A non-nil error (a stale plan) aborts before anything is written and
	// is returned wrapped.
	Verify func(current plan.State) error
	// StartedAt is when the run started, for the sync log; zero means when
	// Apply was called.
	StartedAt time.Time
	// Scope and ConfigDigest describe a run that failed before it had a
	// plan, for RecordFailure: the companies and kinds it would have synced.
	Scope        []plan.Scope
	ConfigDigest string
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

// Prepare decides, inside the apply transaction and under the lock, what to
// write. read reads the target state within the transaction. An error
// aborts: nothing is written, and Write returns it as it is.
type Prepare func(ctx context.Context, read func(Query) (plan.State, error)) (*Batch, error)

// Apply carries out p as it is in one transaction (see Write), after
// opts.Verify accepted the target state of p's scope under the lock.
func (s *Store) Apply(ctx context.Context, p *plan.Plan, opts ApplyOptions) (*Result, error) {
	if p == nil {
		return nil, errors.New("no plan to apply")
	}
	if err := validatePlan(p); err != nil {
		return nil, err
	}
	return s.Write(ctx, func(ctx context.Context, read func(Query) (plan.State, error)) (*Batch, error) {
		if opts.Verify != nil {
			q := Query{IncludeUnconfigured: p.AllCompanies} // the state p was computed against
			for _, sc := range p.Scope {
				q.Companies = append(q.Companies, sc.Company)
			}
			current, err := read(q)
			if err != nil {
				return nil, err
			}
			if err := opts.Verify(current); err != nil {
				return nil, err
			}
		}
		return &Batch{Plan: p}, nil
	}, opts)
}

// Write runs one apply transaction: it registers this run for writers that
// wait, marks the transaction as gridsync's (so the read-only trigger lets
// it write linked rows), takes the apply lock, asks prepare what to write,
// writes companies, locations, employees and jobs, and records the run, one
// row per change, the last-synced times and each company's sync status.
// Any error rolls all of it back. Once everything is written, the commit
// runs to its end even if ctx is cancelled meanwhile, so that an interrupt
// leaves either nothing or everything.
func (s *Store) Write(ctx context.Context, prepare Prepare, opts ApplyOptions) (*Result, error) {
	start := time.Now()
	if opts.StartedAt.IsZero() {
		opts.StartedAt = start
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, s.beforeWrite(ctx, err)
	}
	defer conn.Release()
	if err := s.register(ctx, conn, opts.Command, opts.Actor); err != nil {
		return nil, s.beforeWrite(ctx, err)
	}

	var res *Result
	refused := false // the lock or prepare said no: nothing was attempted
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, s.beforeWrite(ctx, err)
	}
	err = func() error {
		if _, err := tx.Exec(ctx, "select set_config('gridsync.writer', 'on', true)"); err != nil {
			return fmt.Errorf("marking the transaction as gridsync's: %w", err)
		}
		if err := s.lock(ctx, tx, opts); err != nil {
			refused = errors.Is(err, ErrLocked)
			return err
		}
		batch, err := prepare(ctx, func(q Query) (plan.State, error) {
			st, err := readState(ctx, tx, q)
			if err != nil {
				return st, fmt.Errorf("reading the target state: %w", err)
			}
			return st, nil
		})
		if err != nil {
			// A refusal (a stale plan, the guard, a cancelled prompt) is
			// returned as it is; a lost connection is reported as such.
			refused = !conn.Conn().IsClosed()
			return err
		}
		if batch == nil || batch.Plan == nil {
			refused = true
			return errors.New("no plan to apply")
		}
		if err := validatePlan(batch.Plan); err != nil {
			refused = true
			return err
		}
		res = countActions(batch.Plan)
		startLog, waitLog := encodeLater(batch.Plan)
		rows, err := writeChanges(ctx, tx, batch.Plan, startLog)
		if err != nil {
			return err
		}
		res.RowsWritten = rows
		if s.beforeLog != nil {
			if err := s.beforeLog(ctx, tx); err != nil {
				return err
			}
		}
		res.RunID, err = writeRun(ctx, tx, batch, waitLog(), opts, res)
		return err
	}()
	// Rolling back and committing do not stop at an interrupt: a rollback
	// cut short leaves the server to notice, a commit cut short leaves the
	// outcome unknown.
	end, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	committing := err == nil // only COMMIT remains
	if committing {
		err = tx.Commit(end)
	} else {
		_ = tx.Rollback(end)
	}
	if err != nil && conn.Conn().IsClosed() {
		s.lost.Store(int32(conn.Conn().PgConn().PID()), true)
	}
	if err != nil && committing && !isServerError(err) {
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
	case connectionLost(err, conn.Conn().IsClosed()) && ctx.Err() == nil:
		// The connection failed (dropped, reset, timed out), not the data.
		return nil, fmt.Errorf("apply rolled back, nothing was written: %w; check the connection to the Gridwork database at %s and run the apply again", err, s.where)
	default:
		return nil, fmt.Errorf("apply rolled back, nothing was written: %w", err)
	}
	res.Duration = time.Since(start)
	s.logger.Info("applied plan", "run", res.RunID, "rows", res.RowsWritten, "duration", res.Duration)
	return res, nil
}

// beforeWrite words a failure to start the apply transaction.
func (s *Store) beforeWrite(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("apply stopped before writing, nothing was written: %w", err)
	}
	return fmt.Errorf("nothing was written: cannot use the Gridwork database at %s: %w; check the connection and run again", s.where, err)
}

// ErrCommitUnknown means the connection failed while the transaction was
// committing, so whether the apply was written is unknown.
var ErrCommitUnknown = errors.New("the connection failed while committing the apply, so it is unknown whether it was written; run `gridsync history` to see whether the run was recorded as succeeded, and `gridsync plan` to see what is left to do")

// connectionLost reports whether err is the connection failing rather than
// the data: PostgreSQL's connection and operator-intervention errors (08,
// 57), or an error of the client's own on a connection that is now closed
// or from the network. A plan the database cannot take (a location that
// does not exist) is none of these.
func connectionLost(err error, closed bool) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57")
	}
	var netErr net.Error
	return closed || errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isServerError reports whether PostgreSQL itself answered with an error, in
// which case the transaction was definitely rolled back.
func isServerError(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr)
}

// countActions counts p's changes by action.
func countActions(p *plan.Plan) *Result {
	n := map[plan.Action]int{}
	for _, c := range p.Changes {
		n[c.Action]++
	}
	return &Result{Created: n[plan.Create], Updated: n[plan.Update], Adopted: n[plan.Adopt], Unlinked: n[plan.Unlink], Deleted: n[plan.Delete]}
}

// validatePlan rejects changes the store cannot carry out, before any
// connection is used. They would be bugs in the engine or a damaged plan
// file, so the message names the change.
func validatePlan(p *plan.Plan) error {
	for _, c := range p.Changes {
		if why := invalidChange(&c); why != "" {
			return fmt.Errorf("cannot apply change %s (%s %s): %s", c.Address, c.Action, c.Type, why)
		}
	}
	return nil
}

// invalidChange says why the store cannot carry out c; "" when it can.
func invalidChange(c *plan.Change) string {
	switch {
	case c.Action == plan.NoOp:
	case c.Company == "":
		return "it names no company"
	case c.Type == plan.TypeCompany || c.Type == plan.TypeLocation:
		if c.Action != plan.Create && c.Action != plan.Update {
			return "gridsync only creates and updates companies and locations"
		}
		if c.Type == plan.TypeLocation && c.Key == "" {
			return "it names no location"
		}
		if _, err := parseOfficeID(c.After.Get(plan.FieldOfficeID)); err != nil && c.Type == plan.TypeLocation {
			return err.Error()
		}
	case c.Type != plan.TypeEmployee && c.Type != plan.TypeJob:
		return "unknown resource type"
	case c.Action == plan.Create || c.Action == plan.Update:
		if c.Key == "" {
			return "it has no Personio id"
		}
	case c.Action == plan.Adopt && c.Type != plan.TypeEmployee:
		return "only employees are adopted"
	case c.Action == plan.Adopt && (c.Key == "" || c.TargetID <= 0):
		return "it needs a Personio id and a target row"
	case c.Action == plan.Unlink || c.Action == plan.Delete:
		if c.TargetID <= 0 {
			return "it has no target row"
		}
	case c.Action != plan.Adopt:
		return "unknown action"
	}
	return ""
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
