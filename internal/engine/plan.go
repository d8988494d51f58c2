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
	// Source is Personio's answer the plan was computed from.
	Source  *plan.Source
	Timings Timings
	// PersonioRequests is how many requests reading Personio took, or -1
	// while the Personio client does not count them (see requestsUsed).
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
func (r *Runner) Plan(ctx context.Context, cfg *config.Config, st *store.Store, opts PlanOptions) (*Planned, hcl.Diagnostics, error) {
	if diags := plan.CheckCompanies(cfg, opts.Companies); diags.HasErrors() {
		return nil, diags, nil
	}
	var t Timings
	start := time.Now()
	src, requests, err := r.fetch(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	t.Fetch = time.Since(start)

	start = time.Now()
	cur, err := st.ReadState(ctx, Query(cfg, opts.Companies))
	if err != nil {
		return nil, nil, err
	}
	t.Read = time.Since(start)

	planned, diags := r.build(cfg, src, cur, opts.Companies)
	if planned != nil {
		planned.Timings.Fetch, planned.Timings.Read = t.Fetch, t.Read
		planned.PersonioRequests = requests
	}
	return planned, diags, nil
}

// build is the one place where a plan is computed from its inputs: plan,
// apply, apply PLANFILE and sync all come through it, so every plan carries
// the same digests and the same checks.
func (r *Runner) build(cfg *config.Config, src *plan.Source, cur plan.State, companies []string) (*Planned, hcl.Diagnostics) {
	start := time.Now()
	p, diags := plan.Build(cfg, src, cur, plan.BuildOptions{Companies: companies, Now: r.now()})
	if diags.HasErrors() {
		return nil, diags
	}
	return &Planned{Plan: p, State: cur, Source: src, Timings: Timings{Diff: time.Since(start)}, PersonioRequests: -1}, diags
}
