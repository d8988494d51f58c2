package engine

import (
	"slices"
	"testing"

	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// TestWrittenBatch: what a sync records for each company and kind when the
// guard refused a company and the job feed could not be read.
func TestWrittenBatch(t *testing.T) {
	whole := &plan.Plan{
		Scope: []plan.Scope{
			{Company: "acme", Employees: true, Jobs: true},
			{Company: "globex", Employees: true, Jobs: true},
			{Company: "initech", Employees: true},
		},
		Changes: []plan.Change{
			{Address: "employee.acme[1]", Type: plan.TypeEmployee, Company: "acme", Key: "1", Action: plan.Create},
			{Address: "employee.globex[2]", Type: plan.TypeEmployee, Company: "globex", Key: "2", Action: plan.Delete, TargetID: 9},
		},
	}
	refusal := plan.Refusal{Company: "globex",
		Over:       []plan.MassDelete{{Company: "globex", Type: plan.TypeEmployee, Removed: 9, Linked: 10, Allowed: 5}},
		Suspicious: []string{"company globex: Personio lists no employees in office Hamburg"}}
	reason := "the plan would remove or unlink 9 of 10 linked employees (at most 5 allowed); Personio's answer looks suspicious: company globex: Personio lists no employees in office Hamburg"

	tests := []struct {
		name            string
		refusals        []plan.Refusal
		jobsUnavailable string
		outcome         store.Outcome
		runError        string
		kinds           []store.KindResult
	}{
		{
			name:    "everything synced",
			outcome: store.Succeeded,
			kinds: []store.KindResult{
				{Company: "acme", Kind: "employees", Outcome: store.Succeeded}, {Company: "acme", Kind: "jobs", Outcome: store.Succeeded},
				{Company: "globex", Kind: "employees", Outcome: store.Succeeded}, {Company: "globex", Kind: "jobs", Outcome: store.Succeeded},
				{Company: "initech", Kind: "employees", Outcome: store.Succeeded},
			},
		},
		{
			name:     "globex refused",
			refusals: []plan.Refusal{refusal},
			outcome:  store.Refused,
			runError: "refused globex: " + reason,
			kinds: []store.KindResult{
				{Company: "acme", Kind: "employees", Outcome: store.Succeeded}, {Company: "acme", Kind: "jobs", Outcome: store.Succeeded},
				{Company: "initech", Kind: "employees", Outcome: store.Succeeded},
				{Company: "globex", Kind: "employees", Outcome: store.Refused, Error: reason}, {Company: "globex", Kind: "jobs", Outcome: store.Refused, Error: reason},
			},
		},
		{
			name:            "jobs unavailable and globex refused",
			refusals:        []plan.Refusal{refusal},
			jobsUnavailable: "the job feed at https://acme.jobs.personio.de/xml answered 404",
			outcome:         store.Refused,
			runError:        "refused globex: " + reason + "; jobs not synced: the job feed at https://acme.jobs.personio.de/xml answered 404",
			kinds: []store.KindResult{
				{Company: "acme", Kind: "employees", Outcome: store.Succeeded},
				{Company: "acme", Kind: "jobs", Outcome: store.Failed, Error: "the job feed at https://acme.jobs.personio.de/xml answered 404"},
				{Company: "initech", Kind: "employees", Outcome: store.Succeeded},
				{Company: "globex", Kind: "employees", Outcome: store.Refused, Error: reason},
				{Company: "globex", Kind: "jobs", Outcome: store.Failed, Error: "the job feed at https://acme.jobs.personio.de/xml answered 404"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := *whole
			p.JobsUnavailable = tt.jobsUnavailable
			w := &Written{Planned: &Planned{Plan: &p}, Applied: &p, Refusals: tt.refusals}
			if len(tt.refusals) > 0 {
				w.Applied = p.Without(RefusedCompanies(tt.refusals))
			}
			b := w.batch()
			if b.Outcome != tt.outcome || b.Error != tt.runError || !slices.Equal(b.Kinds, tt.kinds) {
				t.Errorf("batch:\n outcome %s, error %q\n kinds %+v\nwant:\n outcome %s, error %q\n kinds %+v", b.Outcome, b.Error, b.Kinds, tt.outcome, tt.runError, tt.kinds)
			}
			for _, c := range b.Plan.Changes {
				if c.Company == "globex" && len(tt.refusals) > 0 {
					t.Errorf("the refused company's change %s is written", c.Address)
				}
			}
		})
	}
}
