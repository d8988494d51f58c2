package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// staleError says a saved plan no longer matches what it was computed
// from. Only a saved plan can go stale: apply without a plan file and sync
// plan under the apply lock.
type staleError struct {
	Reason string
}

func (e *staleError) Error() string {
	return "stale plan: " + e.Reason + "; nothing was written. Run `gridsync plan` again and review the new plan"
}

// ApplyOptions are the knobs of applying a given plan (a saved one).
type ApplyOptions struct {
	AllowMassDelete bool
	LockTimeout     time.Duration
	Audit           Audit
	// Waiting, when set, is called once before waiting for the lock another
	// writer holds, with the holder (", held by …").
	Waiting func(holder string, wait time.Duration)
}

// Audit is who ran what, from where, for the sync log.
type Audit struct {
	// Command is the verb: "sync", "apply" or "apply PLANFILE".
	Command          string
	Actor, GitCommit string
	// Dirty says that tracked files of the configuration directory had
	// uncommitted changes, so that GitCommit does not quite describe them.
	Dirty     bool
	ConfigDir string
	// StartedAt is when the run began, for the sync log. The commands set
	// it when they start, before Personio is read; zero (library callers,
	// tests) means when the engine was called.
	StartedAt time.Time
}

// CheckGuard refuses a plan that removes or unlinks too much, or that rests
// on a suspicious Personio answer, unless allowed. It runs before any write.
func CheckGuard(p *plan.Plan, cur plan.State, allowMassDelete bool) error {
	if allowMassDelete {
		return nil
	}
	return p.CheckMassDelete(cur, plan.GuardOptions{})
}

// CheckSaved decides whether a saved plan may still be applied: the
// configuration, the Personio data it was computed from and the target must
// all digest as they did, and planning now must give the very plan that was
// saved. It returns the plan computed now, which is what apply writes (a
// plan file is only trusted as far as it matches it), with the target state
// as read now (the guard's denominator).
func (r *Runner) CheckSaved(ctx context.Context, cfg *config.Config, st Target, saved *plan.Plan) (*Planned, error) {
	if got := plan.DigestConfig(cfg); got != saved.Digests.Config {
		return nil, &staleError{Reason: "the configuration changed since the plan was made"}
	}
	start := time.Now()
	var companies []string // the saved plan's -company filter
	if !saved.AllCompanies {
		for _, s := range saved.Scope {
			companies = append(companies, s.Company)
		}
	}
	cur, err := st.ReadState(ctx, Query(cfg, companies))
	if err != nil {
		return nil, err
	}
	read := time.Since(start)
	// Checked before reading Personio, which takes minutes on a large
	// tenant.
	if got := plan.DigestState(cur); got != saved.Digests.Target {
		return nil, &staleError{Reason: "the Gridwork database changed since the plan was made"}
	}
	f, err := r.fetch(ctx, cfg)
	if err != nil {
		return nil, err
	}
	planned, diags, err := r.build(ctx, cfg, f, cur, read, companies)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, &staleError{Reason: "Personio's data no longer fits the configuration (" + diags.Error() + ")"}
	}
	fresh := planned.Plan
	if fresh.Digests.Personio != saved.Digests.Personio {
		return nil, &staleError{Reason: "Personio's data changed since the plan was made"}
	}
	// The digests cover what gridsync would write, not every input of a
	// verdict (a record that left the desired state is deleted or unlinked
	// depending on where it went in Personio), nor the file's own lists.
	if what, ok := samePlan(saved, fresh); !ok {
		return nil, &staleError{Reason: what + " would now be planned differently (Personio changed, or the plan file was edited)"}
	}
	return planned, nil
}

// samePlan reports whether two plans make the same changes over the same
// scope with the same suspicions; when they do not, it names the first
// thing that differs. Reasons and warnings are for display only.
func samePlan(saved, fresh *plan.Plan) (string, bool) {
	for i := 0; i < max(len(saved.Changes), len(fresh.Changes)); i++ {
		if i >= len(saved.Changes) {
			return fresh.Changes[i].Address, false
		}
		if i >= len(fresh.Changes) {
			return saved.Changes[i].Address, false
		}
		a, b := saved.Changes[i], fresh.Changes[i]
		if a.Address != b.Address || a.Type != b.Type || a.Company != b.Company || a.Key != b.Key ||
			a.Action != b.Action || a.TargetID != b.TargetID || !a.Before.Equal(b.Before) || !a.After.Equal(b.After) {
			return a.Address, false
		}
	}
	if !slices.Equal(saved.Scope, fresh.Scope) {
		return "the companies in scope", false
	}
	if !slices.Equal(saved.SuspiciousTexts(), fresh.SuspiciousTexts()) {
		return "the suspicious Personio answers", false
	}
	return "", true
}

// Apply writes p, a plan computed before the lock was taken (a saved plan),
// in one transaction. Inside the transaction, under the apply lock, the
// target must still digest as it did when p was computed; otherwise another
// writer got in between and apply refuses: stale plan, nothing written. A
// failed write is recorded in the sync log in a transaction of its own.
func (r *Runner) Apply(ctx context.Context, st Target, p *plan.Plan, opts ApplyOptions) (*store.Result, error) {
	sopts := r.storeOptions(opts.Audit, opts.LockTimeout, opts.Waiting)
	sopts.Verify = func(current plan.State) error {
		if plan.DigestState(current) != p.Digests.Target {
			return &staleError{Reason: "the Gridwork database changed while the plan was waiting (another apply or a manual edit)"}
		}
		return nil
	}
	res, err := st.Apply(ctx, p, sopts)
	if err == nil {
		return res, nil
	}
	var stale *staleError
	if errors.As(err, &stale) || errors.Is(err, store.ErrLocked) {
		// Refusals write nothing, not even a log row.
		return nil, err
	}
	return nil, r.recordFailure(ctx, st, p, sopts, err)
}

// ApplyFresh is apply without a plan file: it reads Personio, plans, and
// writes under the apply lock, planning again there when the target
// changed (see planAndWrite). Refusals (the lock,
// the deletion guard, a declined prompt, configuration problems) write
// nothing; a write that failed is recorded as a failed run.
func (r *Runner) ApplyFresh(ctx context.Context, cfg *config.Config, st Target, opts WriteOptions) (*Written, error) {
	opts.Isolate = false
	return r.write(ctx, cfg, st, opts)
}

// recordFailure records a failed run (p may be nil; sopts.Scope then says
// what it set out to sync) and returns err saying under which run id. A
// commit whose outcome is unknown is not recorded: the run may have been
// committed as succeeded, and a failed row could contradict it.
func (r *Runner) recordFailure(ctx context.Context, st Target, p *plan.Plan, sopts store.ApplyOptions, err error) error {
	if errors.Is(err, store.ErrCommitUnknown) {
		return err
	}
	// Record the failure, an interrupt (Ctrl-C) included, on a context of
	// its own: the write may have failed because the run's context ended.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	runID, rerr := st.RecordFailure(rctx, p, sopts, err)
	if rerr != nil {
		r.logger().Warn("could not record the failed run in the sync log", "error", rerr)
		return err
	}
	return &RecordedError{Err: err, RunID: runID}
}

// RecordedError is a failure that was recorded in the sync log as RunID.
type RecordedError struct {
	Err   error
	RunID int64
}

func (e *RecordedError) Error() string {
	return fmt.Sprintf("%v (recorded as sync run %d)", e.Err, e.RunID)
}

func (e *RecordedError) Unwrap() error { return e.Err }
