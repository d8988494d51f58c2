package views

import (
	"fmt"

	"github.com/gridwork/gridsync/plan"
)

// Plan is the view of plan and show, and of the plan a pull request
// comment carries.
type Plan interface {
	// Timings shows the run's phases on stderr with -v.
	Timings(t string)
	// Plan renders p.
	Plan(p *plan.Plan) error
	// GuardWarning warns on stderr that apply will refuse the plan, and
	// why, unless -allow-mass-delete is given.
	GuardWarning(err error)
	// Saved says that the plan was saved to file and how to apply it.
	Saved(file string)
}

// NewPlan returns the plan view for people, or the JSON one when json (-json) is set.
func NewPlan(json bool, v *View) Plan {
	if json {
		return &planJSON{planHuman{v}}
	}
	return &planHuman{v}
}

// NewPlanMarkdown returns the Markdown plan view: the plan as a pull
// request comment and the job summary show it, for commit in the
// configuration directory dir.
func NewPlanMarkdown(v *View, commit, dir string) Plan {
	return &planMarkdown{planJSON{planHuman{v}}, plan.MarkdownOptions{Commit: commit, Dir: dir}}
}

type planHuman struct{ *View }

func (v *planHuman) Plan(p *plan.Plan) error {
	return plan.RenderText(v.stdout, p, plan.TextOptions{Color: v.color})
}

func (v *planHuman) GuardWarning(err error) {
	fmt.Fprintf(v.stderr, "\nWarning: apply will refuse this plan unless -allow-mass-delete is given:\n%v\n", err)
}

func (v *planHuman) Saved(file string) {
	fmt.Fprintf(v.stdout, "\nSaved the plan to: %s\n\nTo perform exactly these actions, run:\n  %s\n", file, v.Command("apply", file))
}

// planJSON prints the plan file's own format; stdout holds that document
// alone.
type planJSON struct{ planHuman }

func (v *planJSON) Plan(p *plan.Plan) error { return plan.RenderJSON(v.stdout, p) }

func (v *planJSON) Saved(string) {}

type planMarkdown struct {
	planJSON
	opts plan.MarkdownOptions
}

func (v *planMarkdown) Plan(p *plan.Plan) error { return plan.RenderMarkdown(v.stdout, p, v.opts) }
