package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/plan"
)

// SyncOptions are the knobs of one sync run.
type SyncOptions struct {
	// Companies is the -company filter.
	Companies   []string
	LockTimeout time.Duration
	Audit       Audit
	// Waiting and Show are as in WriteOptions.
	Waiting func(holder string, wait time.Duration)
	Show    func(*Written) error
}

// Sync is one unattended run: it plans and applies without a prompt, through
// the same write step, guard and sync log as apply, except that a company
// the deletion guard refuses is left out (nothing of it written, recorded as
// refused with the reason) while the others are written in the same
// transaction. A run with nothing to do writes no data but is recorded.
//
// Every failure after the configuration loaded (Personio, the lock, the
// write, an interrupt) is recorded as a failed run, so that status tells a
// failed sync from one that did not run; nothing of a failed run is
// written. The returned Written is nil when the run failed before it had a
// plan.
func (r *Runner) Sync(ctx context.Context, cfg *config.Config, st Target, opts SyncOptions) (*Written, error) {
	if diags := plan.CheckCompanies(cfg, opts.Companies); diags.HasErrors() {
		return nil, &DiagnosticsError{Diags: diags}
	}
	f, err := r.fetchTimed(ctx, cfg)
	var w *Written
	if err == nil {
		w, err = r.planAndWrite(ctx, cfg, st, f, WriteOptions{
			Companies:   opts.Companies,
			LockTimeout: opts.LockTimeout,
			Audit:       opts.Audit,
			Isolate:     true,
			Waiting:     opts.Waiting,
			Show:        opts.Show,
		})
	}
	if err == nil {
		return w, nil
	}
	sopts := r.storeOptions(opts.Audit, opts.LockTimeout)
	var p *plan.Plan
	if w != nil {
		p = w.Planned.Plan
	} else {
		sopts.Scope = scopeOf(cfg, opts.Companies)
		sopts.ConfigDigest = plan.DigestConfig(cfg)
	}
	if ctx.Err() != nil {
		err = &interruptedError{err: err}
	}
	return w, r.recordFailure(ctx, st, p, sopts, err)
}

// interruptedError marks a failure caused by an interrupt, so that the sync
// log says so rather than "context canceled".
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return fmt.Sprintf("interrupted (%v)", e.err) }
func (e *interruptedError) Unwrap() error { return e.err }
