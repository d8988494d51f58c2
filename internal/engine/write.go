package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// WriteOptions are the knobs of the writers that plan under the apply lock:
// apply without a plan file, and sync.
type WriteOptions struct {
	// Companies is the -company filter.
	Companies   []string
	LockTimeout time.Duration
	Audit       Audit
	// Isolate is sync's way with the deletion guard: a company it refuses
	// is left out (nothing of it written, recorded as refused) and the
	// others are written. Without it (apply), a refusal of any company
	// refuses the whole plan unless AllowMassDelete. It also marks the
	// unattended run: sync records every failure in the sync log, an
	// interrupt included, where apply records only a write it attempted.
	Isolate         bool
	AllowMassDelete bool
	// Waiting, when set, is called once before waiting for the lock another
	// writer holds, with the holder (", held by …") and the longest wait.
	Waiting func(holder string, wait time.Duration)
	// Show, when set, is called under the lock with the plan computed there
	// and the refusals, before the guard's verdict on a whole plan and
	// before anything is written: a writer prints its plan only once it
	// holds the lock. An error aborts; nothing is written.
	Show func(*Written) error
	// Confirm, when set, is called after the guard let the plan pass and
	// before anything is written (the interactive prompt). An error aborts;
	// nothing is written.
	Confirm func(*Written) error
}

// Written is a plan computed under the apply lock and what became of it.
type Written struct {
	// Planned is the plan over every company in scope, with the target
	// state it was computed against and the Personio data it came from.
	Planned *Planned
	// Diags are the build's warnings.
	Diags hcl.Diagnostics
	// Applied is what is written: Planned.Plan without refused companies.
	Applied *plan.Plan
	// Refusals are the companies the guard refused (Isolate), by company.
	Refusals []plan.Refusal
	// Result is set once the transaction committed.
	Result *store.Result

	attempted bool // the plan passed every check and writing began
}

// Outcome is the run's outcome: refused when companies were left out.
func (w *Written) Outcome() store.Outcome {
	if len(w.Refusals) > 0 {
		return store.Refused
	}
	return store.Succeeded
}

// DiagnosticsError carries configuration problems that only Personio's data
// revealed (an office Personio does not know); nothing was written.
type DiagnosticsError struct {
	Diags hcl.Diagnostics
}

func (e *DiagnosticsError) Error() string {
	return "the configuration does not fit Personio's data: " + e.Diags.Error()
}

// planAndWrite is the one write step of apply (without a plan file) and
// sync. With Personio's answer already read (f), it plans against the
// target as read now, which confirms would-be removals with Personio
// before any lock is held. Then, in one transaction, it takes the apply
// lock and reads the target again: when another writer changed it
// meanwhile, the plan is computed again from the same Personio answer
// through build (a writer that waited never finds its plan stale). Under
// the lock it applies the deletion guard, shows the plan, and writes with
// sopts, the run's lock knobs and sync-log fields.
func (r *Runner) planAndWrite(ctx context.Context, cfg *config.Config, st Target, f fetched, opts WriteOptions, sopts store.ApplyOptions) (*Written, error) {
	start := time.Now()
	before, err := st.ReadState(ctx, Query(cfg, opts.Companies))
	if err != nil {
		return nil, err
	}
	first, diags, err := r.build(ctx, cfg, f, before, time.Since(start), opts.Companies)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, &DiagnosticsError{Diags: diags}
	}

	var w *Written
	res, err := st.Write(ctx, func(ctx context.Context, read func(store.Query) (plan.State, error)) (*store.Batch, error) {
		start := time.Now()
		cur, err := read(Query(cfg, opts.Companies))
		if err != nil {
			return nil, err
		}
		first.Timings.Read += time.Since(start)
		planned, warnings := first, diags
		if plan.DigestState(cur) != first.Plan.Digests.Target {
			// Another writer got in first: plan again against what it
			// left, from the Personio answer this run read.
			r.logger().Info("the Gridwork database changed while waiting for the lock; planning again")
			planned, warnings, err = r.build(ctx, cfg, f, cur, first.Timings.Read, opts.Companies)
			if err != nil {
				return nil, err
			}
			if warnings.HasErrors() {
				return nil, &DiagnosticsError{Diags: warnings}
			}
			planned.Timings.Diff += first.Timings.Diff
		}
		w = &Written{Planned: planned, Diags: warnings, Applied: planned.Plan}
		if opts.Isolate {
			w.Refusals = planned.Plan.Refusals(cur, plan.GuardOptions{})
			if len(w.Refusals) > 0 {
				w.Applied = planned.Plan.Without(RefusedCompanies(w.Refusals))
			}
		}
		if opts.Show != nil {
			if err := opts.Show(w); err != nil {
				return nil, err
			}
		}
		if !opts.Isolate {
			if err := CheckGuard(planned.Plan, cur, opts.AllowMassDelete); err != nil {
				return nil, err
			}
		}
		if opts.Confirm != nil {
			if err := opts.Confirm(w); err != nil {
				return nil, err
			}
		}
		w.attempted = true
		return w.batch(), nil
	}, sopts)
	if err == nil {
		w.Result = res
	}
	return w, err
}

// batch is what the store writes for w: the applied plan, and per company
// and kind whether it synced.
func (w *Written) batch() *store.Batch {
	b := &store.Batch{Plan: w.Applied, Outcome: w.Outcome(), Kinds: store.ScopeResults(w.Applied)}
	var reasons []string
	refused := map[string]string{}
	for _, rf := range w.Refusals {
		refused[rf.Company] = rf.Reason()
		reasons = append(reasons, "refused "+rf.Company+": "+refused[rf.Company])
	}
	// The refused companies' kinds come last: refused, except jobs that
	// could not be read.
	left := &plan.Plan{JobsUnavailable: w.Applied.JobsUnavailable}
	for _, sc := range w.Planned.Plan.Scope {
		if _, ok := refused[sc.Company]; ok {
			left.Scope = append(left.Scope, sc)
		}
	}
	for _, k := range store.ScopeResults(left) {
		if k.Outcome == store.Succeeded {
			k.Outcome, k.Error = store.Refused, refused[k.Company]
		}
		b.Kinds = append(b.Kinds, k)
	}
	if w.Applied.JobsUnavailable != "" {
		reasons = append(reasons, "jobs not synced: "+store.OneLine(w.Applied.JobsUnavailable))
	}
	b.Error = strings.Join(reasons, "; ")
	return b
}

// RefusedCompanies names the companies of rs.
func RefusedCompanies(rs []plan.Refusal) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Company
	}
	return out
}

// storeOptions are the lock's knobs and the sync-log fields of a run, which
// started now when a says no start time.
func (r *Runner) storeOptions(a Audit, lockTimeout time.Duration, waiting func(string, time.Duration)) store.ApplyOptions {
	o := store.ApplyOptions{
		LockTimeout: lockTimeout,
		Waiting:     waiting,
		Command:     a.Command,
		Actor:       a.Actor,
		GitCommit:   a.GitCommit,
		Dirty:       a.Dirty,
		ConfigDir:   a.ConfigDir,
		StartedAt:   a.StartedAt,
	}
	if o.StartedAt.IsZero() {
		o.StartedAt = r.now()
	}
	return o
}

// scopeOf is what a run over cfg (narrowed to companies) sets out to sync:
// each configured company in scope with its effective toggles.
func scopeOf(cfg *config.Config, companies []string) []plan.Scope {
	var out []plan.Scope
	for _, c := range cfg.Companies {
		if len(companies) > 0 && !slices.Contains(companies, c.Slug) {
			continue
		}
		out = append(out, plan.Scope{
			Company:   c.Slug,
			Employees: c.Enabled(config.Employees),
			Jobs:      c.Enabled(config.Jobs),
		})
	}
	return out
}
