package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// StaleError says a plan no longer matches what it was computed from.
type StaleError struct {
	Reason string
	// Replan is set for a plan apply computed itself: running apply again
	// plans afresh. A saved plan needs a new `gridsync plan -out`.
	Replan bool
}

func (e *StaleError) Error() string {
	next := "Run `gridsync plan` again and review the new plan"
	if e.Replan {
		next = "Run `gridsync apply` again to plan afresh"
	}
	return "stale plan: " + e.Reason + "; nothing was written. " + next
}

// ApplyOptions are the knobs of one apply.
type ApplyOptions struct {
	AllowMassDelete bool
	LockTimeout     time.Duration
	Guard           plan.GuardOptions
	Audit           Audit
}

// Audit is who applied what, from where, for the sync log.
type Audit struct {
	Actor, GitCommit, ConfigDir string
}

// CheckGuard refuses a plan that removes or unlinks too much, or that rests
// on a suspicious Personio answer, unless allowed. It runs before any write.
func CheckGuard(p *plan.Plan, cur plan.State, opts ApplyOptions) error {
	if opts.AllowMassDelete {
		return nil
	}
	return p.CheckMassDelete(cur, opts.Guard)
}

// CheckSaved decides whether a saved plan may still be applied: the
// configuration, the Personio data it was computed from and the target must
// all digest as they did. It returns the target state as read now (the
// guard's denominator).
func (r *Runner) CheckSaved(ctx context.Context, cfg *config.Config, st *store.Store, p *plan.Plan) (plan.State, error) {
	if got := plan.DigestConfig(cfg); got != p.Digests.Config {
		return plan.State{}, &StaleError{Reason: "the configuration changed since the plan was made"}
	}
	companies := savedCompanies(p)
	cur, err := st.ReadState(ctx, Query(cfg, companies))
	if err != nil {
		return plan.State{}, err
	}
	if got := plan.DigestState(cur); got != p.Digests.Target {
		return plan.State{}, &StaleError{Reason: "the Gridwork database changed since the plan was made"}
	}
	pd, err := r.Fetch(ctx, cfg)
	if err != nil {
		return plan.State{}, err
	}
	d, diags := plan.Desired(cfg, pd.Snapshot, plan.DesiredOptions{
		Companies:    companies,
		Attributes:   pd.Attributes,
		KnownOffices: plan.KnownOffices(cur),
	})
	if diags.HasErrors() {
		return plan.State{}, &StaleError{Reason: "Personio's data no longer fits the configuration (" + diags.Error() + ")"}
	}
	if got := plan.DigestDesired(d); got != p.Digests.Personio {
		return plan.State{}, &StaleError{Reason: "Personio's data changed since the plan was made"}
	}
	// The digests cover what gridsync would write, not every input of a
	// verdict (a record that left the desired state is deleted or unlinked
	// depending on where it went in Personio). The plan computed now must be
	// the plan that was reviewed.
	fresh := plan.Diff(d, cur, plan.DiffOptions{AllCompanies: p.AllCompanies, Now: r.now()})
	if addr, ok := sameChanges(p.Changes, fresh.Changes); !ok {
		return plan.State{}, &StaleError{Reason: "Personio's data changed since the plan was made (" + addr + " would now be planned differently)"}
	}
	return cur, nil
}

// sameChanges reports whether two plans make the same changes; when they do
// not, it names the first address that differs.
func sameChanges(saved, fresh []plan.Change) (string, bool) {
	for i := 0; i < max(len(saved), len(fresh)); i++ {
		if i >= len(saved) {
			return fresh[i].Address, false
		}
		if i >= len(fresh) {
			return saved[i].Address, false
		}
		a, b := saved[i], fresh[i]
		if a.Address != b.Address || a.Action != b.Action || a.TargetID != b.TargetID || !maps.Equal(a.After, b.After) {
			return a.Address, false
		}
	}
	return "", true
}

// savedCompanies recovers a saved plan's -company filter.
func savedCompanies(p *plan.Plan) []string {
	if p.AllCompanies {
		return nil
	}
	out := make([]string, 0, len(p.Scope))
	for _, s := range p.Scope {
		out = append(out, s.Company)
	}
	return out
}

// Apply writes p in one transaction. Inside the transaction, under the
// apply lock, the target must still digest as it did when p was computed;
// otherwise another writer got in between and nothing is written. A failed
// write is recorded in the sync log in a transaction of its own.
func (r *Runner) Apply(ctx context.Context, st *store.Store, p *plan.Plan, opts ApplyOptions) (*store.Result, error) {
	sopts := store.ApplyOptions{
		LockTimeout: opts.LockTimeout,
		Actor:       opts.Audit.Actor,
		GitCommit:   opts.Audit.GitCommit,
		ConfigDir:   opts.Audit.ConfigDir,
		StartedAt:   r.now(),
		Verify: func(current plan.State) error {
			if plan.DigestState(current) != p.Digests.Target {
				return &StaleError{Reason: "the Gridwork database changed while the plan was waiting (another apply or a manual edit)", Replan: true}
			}
			return nil
		},
	}
	res, err := st.Apply(ctx, p, sopts)
	if err == nil {
		return res, nil
	}
	var stale *StaleError
	if errors.As(err, &stale) || errors.Is(err, store.ErrLocked) {
		// Refusals write nothing, not even a log row.
		return nil, err
	}
	if errors.Is(err, store.ErrCommitUnknown) {
		// The run may have been committed as succeeded; a failed row could
		// contradict it.
		return nil, err
	}
	// Record the failure, an interrupt (Ctrl-C) included, on a context of
	// its own: the write may have failed because the run's context ended.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if runID, rerr := st.RecordFailure(rctx, p, sopts, err); rerr != nil {
		r.logger().Warn("could not record the failed run in the sync log", "error", rerr)
	} else {
		err = fmt.Errorf("%w (recorded as sync run %d)", err, runID)
	}
	return nil, err
}
