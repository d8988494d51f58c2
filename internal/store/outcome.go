package store

import (
	"strings"

	"github.com/gridwork/gridsync/plan"
)

// Outcome is how a run, or one company's kind within it, ended.
type Outcome string

const (
	// Succeeded: written (or nothing to write) and recorded.
	Succeeded Outcome = "succeeded"
	// Refused: the deletion guard refused it; nothing of it was written.
	Refused Outcome = "refused"
	// Failed: an error; nothing of it was written.
	Failed Outcome = "failed"
)

// Kinds a company syncs, as the sync log names them.
const (
	KindEmployees = "employees"
	KindJobs      = "jobs"
)

// KindResult is how one company's kind fared in a run.
type KindResult struct {
	Company string
	Kind    string // KindEmployees or KindJobs
	Outcome Outcome
	Error   string // one line; "" when it succeeded
}

// Batch is what one apply transaction writes, decided under the lock.
type Batch struct {
	// Plan holds the changes to write; companies left out are not in it.
	Plan *plan.Plan
	// Outcome is the run's: Succeeded, or Refused when companies were left
	// out (Kinds say which and why).
	Outcome Outcome
	// Error is the run's reason when it is not a plain success: the
	// refusals, or that jobs could not be read.
	Error string
	// Kinds are the outcomes per company and kind. Nil means ScopeResults
	// of Plan.
	Kinds []KindResult
}

// ScopeResults are the outcomes of writing p: every enabled kind of its
// scope succeeded, except jobs when p says the job feed could not be read
// (then no company's jobs count as synced).
func ScopeResults(p *plan.Plan) []KindResult {
	var out []KindResult
	for _, sc := range p.Scope {
		if sc.Employees {
			out = append(out, KindResult{Company: sc.Company, Kind: KindEmployees, Outcome: Succeeded})
		}
		if sc.Jobs {
			r := KindResult{Company: sc.Company, Kind: KindJobs, Outcome: Succeeded}
			if p.JobsUnavailable != "" {
				r.Outcome, r.Error = Failed, OneLine(p.JobsUnavailable)
			}
			out = append(out, r)
		}
	}
	return out
}

// OneLine flattens a message to one line for the sync log and status.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
