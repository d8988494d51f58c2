package personio

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/gridwork/gridsync/plan"
)

// Source reads what a plan needs: the employees (as Employees does) and
// the job feed, concurrently. Each employee is converted into the plan's
// input as its page arrives (see SourceEmployee), so that a large listing
// is never held twice. A feed that is unavailable (*FeedUnavailableError)
// does not fail it: the jobs are nil and plan.Source.JobsUnavailable says
// why; every other failure does.
func (c *Client) Source(ctx context.Context) (*plan.Source, error) {
	offices := map[Office]*plan.Office{}
	sink := &collector[plan.SourceEmployee]{conv: func(e *Employee) plan.SourceEmployee { return sourceEmployee(e, offices) }}
	var jobs []Job
	var unavailable *FeedUnavailableError
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.read(gctx, c.sel, sink) })
	g.Go(func() (err error) {
		jobs, err = c.Jobs(gctx)
		if errors.As(err, &unavailable) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, cmp.Or(ctx.Err(), err)
	}
	src := &plan.Source{Employees: sink.rows, Jobs: SourceJobs(jobs)}
	if unavailable != nil {
		src.JobsUnavailable = unavailable.Reason()
	}
	slices.SortFunc(src.Employees, func(a, b plan.SourceEmployee) int { return cmp.Compare(a.ID, b.ID) })
	src.CollectOffices()
	return src, nil
}

// SourceJobs converts the feed's positions into the plan's input.
func SourceJobs(jobs []Job) []plan.SourceJob {
	out := make([]plan.SourceJob, len(jobs))
	for i := range jobs {
		j := &jobs[i]
		out[i] = plan.SourceJob{
			ID: j.ID, Name: j.Name, Office: j.Office, AdditionalOffices: j.AdditionalOffices,
			Department: j.Department, EmploymentType: j.EmploymentType, Schedule: j.Schedule,
			ApplicationURL: j.ApplicationURL,
		}
		for _, d := range j.Descriptions {
			out[i].Descriptions = append(out[i].Descriptions, plan.JobDescription(d))
		}
	}
	return out
}

// SourceEmployee converts one employee (read by id, say) into the plan's
// input. Its attributes are those the client kept (Options.KeepAttributes).
func SourceEmployee(e *Employee) plan.SourceEmployee {
	return sourceEmployee(e, map[Office]*plan.Office{})
}

// sourceEmployee converts e; offices shares one *plan.Office between the
// employees of an office.
func sourceEmployee(e *Employee, offices map[Office]*plan.Office) plan.SourceEmployee {
	out := plan.SourceEmployee{
		ID: e.ID, FirstName: e.FirstName, LastName: e.LastName, Gender: e.Gender,
		Position: e.Position, Email: e.Email, Status: e.Status,
		ProfileImageURL: e.ProfilePictureURL,
	}
	if e.Office != nil {
		o, ok := offices[*e.Office]
		if !ok {
			o = &plan.Office{ID: e.Office.ID, Name: e.Office.Name}
			offices[*e.Office] = o
		}
		out.Office = o
	}
	if len(e.Attributes) > 0 {
		out.Attributes = make(map[string]string, len(e.Attributes))
		// Backwards, so that the first of a repeated key wins, as in
		// Employee.Attr.
		for _, a := range slices.Backward(e.Attributes) {
			out.Attributes[a.Key] = a.Value
		}
	}
	return out
}
