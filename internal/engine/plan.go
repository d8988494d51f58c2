package engine

import (
	"context"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// PlanOptions narrow a plan.
type PlanOptions struct {
	// Companies is the -company filter; empty plans every configured company
	// and unlinks records of companies that left the configuration.
	Companies []string
}

// Planned is a computed plan with the inputs the apply step re-checks.
type Planned struct {
	Plan  *plan.Plan
	State plan.State // the target as read for the plan
	// Source is Personio's answer the plan was computed from, with the
	// employees confirmed by id added (see confirmAbsent).
	Source  *plan.Source
	Timings Timings
	// PersonioRequests is how many requests the run sent to Personio so
	// far: the read and the confirmations of removals.
	PersonioRequests int
}

// Query returns the part of the target a plan over cfg covers.
func Query(cfg *config.Config, companies []string) store.Query {
	if len(companies) > 0 {
		return store.Query{Companies: companies}
	}
	slugs := make([]string, 0, len(cfg.Companies))
	for _, c := range cfg.Companies {
		slugs = append(slugs, c.Slug)
	}
	return store.Query{Companies: slugs, IncludeUnconfigured: true}
}

// Plan reads Personio and the target and computes the plan. Configuration
// problems found against Personio's data (an unknown office, an unknown
// employee_fields key) come back as diagnostics at their HCL position;
// everything else is an error.
func (r *Runner) Plan(ctx context.Context, cfg *config.Config, st Target, opts PlanOptions) (*Planned, hcl.Diagnostics, error) {
	if diags := plan.CheckCompanies(cfg, opts.Companies); diags.HasErrors() {
		return nil, diags, nil
	}
	f, err := r.fetch(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	cur, err := st.ReadState(ctx, Query(cfg, opts.Companies))
	if err != nil {
		return nil, nil, err
	}
	return r.build(ctx, cfg, f, cur, time.Since(start), opts.Companies)
}

// build is the one place where a plan is computed from its inputs: plan,
// apply, apply PLANFILE and sync all come through it, so every plan carries
// the same digests and the same checks. An employee the plan would remove
// only because the listing lacks it is first confirmed with Personio
// (f.client, when not nil), and the plan computed again with those Personio
// still has. read is what reading cur took, for the timings.
func (r *Runner) build(ctx context.Context, cfg *config.Config, f fetched, cur plan.State, read time.Duration, companies []string) (*Planned, hcl.Diagnostics, error) {
	start := time.Now()
	opts := plan.BuildOptions{Companies: companies, Now: r.now()}
	p, diags := plan.Build(cfg, f.src, cur, opts)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	added, err := confirmAbsent(ctx, f.client, f.src, p)
	if err != nil {
		return nil, nil, err
	}
	if added > 0 {
		r.logger().Info("Personio still has employees its listing lacked; planning again with them", "employees", added)
		if p, diags = plan.Build(cfg, f.src, cur, opts); diags.HasErrors() {
			return nil, diags, nil
		}
	}
	planned := &Planned{Plan: p, State: cur, Source: f.src, Timings: Timings{Fetch: f.took, Read: read, Diff: time.Since(start)}}
	if f.client != nil {
		planned.PersonioRequests = f.client.Requests().Total()
	}
	return planned, diags, nil
}
