package views

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// Apply is the view of apply. It has one form: apply is for people (a
// pipeline runs sync, or apply -auto-approve and reads the sync log).
type Apply struct{ *View }

// NewApply returns the view of apply.
func NewApply(v *View) *Apply { return &Apply{v} }

// Show is what apply shows once it holds the lock: the build's warnings,
// the timings with -v, and the plan it is about to carry out.
func (v *Apply) Show(files map[string]*hcl.File, w *engine.Written) error {
	if err := v.show(files, w); err != nil {
		return err
	}
	return v.planText(w.Planned.Plan)
}

// Prompt asks Terraform's question.
func (v *Apply) Prompt() {
	fmt.Fprint(v.stdout, "\nDo you want to perform these actions?\n"+
		"  gridsync will perform the actions described above.\n"+
		"  Only 'yes' will be accepted to approve.\n\n"+
		"  Enter a value: ")
}

// PromptInterrupted ends the prompt's line when Ctrl-C cancelled it.
func (v *Apply) PromptInterrupted() { fmt.Fprintln(v.stdout) }

// Cancelled says that the answer was not yes.
func (v *Apply) Cancelled() { fmt.Fprintln(v.stdout, "\nApply cancelled.") }

// Complete says what the apply did and under which run the sync log
// records it; with -v, how long the write took.
func (v *Apply) Complete(s plan.Summary, res *store.Result) {
	fmt.Fprintf(v.stdout, "\nApply complete! Resources: %d added, %d changed, %d unlinked, %d destroyed.\n", s.Add, s.Change, s.Unlink, s.Destroy)
	fmt.Fprintf(v.stdout, "Recorded as sync run %d.\n", res.RunID)
	v.Timings(fmt.Sprintf("write %s (%d rows)", res.Duration.Round(time.Millisecond), res.RowsWritten))
}
