package engine

import (
	"context"
	"errors"
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
	return r.write(ctx, cfg, st, WriteOptions{
		Companies:   opts.Companies,
		LockTimeout: opts.LockTimeout,
		Audit:       opts.Audit,
		Isolate:     true,
		Waiting:     opts.Waiting,
		Show:        opts.Show,
	})
}

// write is ApplyFresh and Sync (opts.Isolate): it reads Personio, then
// plans and writes through planAndWrite. Apply records a failure only
// once writing began; sync records every failure, one before the plan
// existed with the scope it set out to sync.
func (r *Runner) write(ctx context.Context, cfg *config.Config, st Target, opts WriteOptions) (*Written, error) {
	if diags := plan.CheckCompanies(cfg, opts.Companies); diags.HasErrors() {
		return nil, &DiagnosticsError{Diags: diags}
	}
	sopts := r.storeOptions(opts.Audit, opts.LockTimeout, opts.Waiting) // started before Personio is read
	f, err := r.fetch(ctx, cfg)
	var w *Written
	if err == nil {
		w, err = r.planAndWrite(ctx, cfg, st, f, opts, sopts)
	}
	if err == nil || !opts.Isolate && (w == nil || !w.attempted) {
		return w, err
	}
	var p *plan.Plan
	if w != nil {
		p = w.Planned.Plan
	} else {
		sopts.Scope = scopeOf(cfg, opts.Companies)
		sopts.ConfigDigest = plan.DigestConfig(cfg)
	}
	if opts.Isolate && ctx.Err() != nil {
		err = &interruptedError{cause: context.Cause(ctx), err: err}
	}
	return w, r.recordFailure(ctx, st, p, sopts, err)
}

// interruptedError marks a failure caused by an interrupt, so that the sync
// log says so, and that nothing was written, rather than "context
// canceled". cause is the context's: the signal, when one ended it.
type interruptedError struct{ cause, err error }

func (e *interruptedError) Error() string {
	what := "interrupted"
	if e.cause != nil && !errors.Is(e.cause, context.Canceled) {
		what = e.cause.Error()
	}
	return fmt.Sprintf("%s: nothing was written (%v)", what, e.err)
}
func (e *interruptedError) Unwrap() error { return e.err }
