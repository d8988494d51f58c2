package personio

import (
	"cmp"
	"context"
	"slices"

	"github.com/gridwork/gridsync/plan"
)

// Source reads what a plan needs, as Snapshot does (the employees and the
// job feed, concurrently; a feed that is unavailable does not fail it),
// but converts each employee into the plan's input as its page arrives, so
// that a large listing is never held twice. keep are the attribute keys
// employee_fields reads: their values travel as text.
func (c *Client) Source(ctx context.Context, keep []string) (*plan.Source, error) {
	sink := &sourceSink{keep: keep, offices: map[Office]*plan.Office{}}
	jobs, unavailable, err := c.readBoth(ctx, sink)
	if err != nil {
		return nil, err
	}
	src := &plan.Source{Employees: sink.employees, Jobs: sourceJobs(jobs)}
	if unavailable != nil {
		src.JobsUnavailable = unavailable.Reason()
	}
	slices.SortFunc(src.Employees, func(a, b plan.SourceEmployee) int { return cmp.Compare(a.ID, b.ID) })
	src.CollectOffices()
	return src, nil
}

// sourceSink converts the rows of a listing read into the plan's input.
type sourceSink struct {
	keep      []string
	offices   map[Office]*plan.Office
	employees []plan.SourceEmployee
}

func (s *sourceSink) begin(total int) {
	s.employees = make([]plan.SourceEmployee, 0, sizeHint(total))
}

func (s *sourceSink) rows(emps []Employee) error {
	for i := range emps {
		s.employees = append(s.employees, sourceEmployee(&emps[i], s.keep, s.offices))
	}
	return nil
}

// sourceJobs converts the feed's positions into the plan's input.
func sourceJobs(jobs []Job) []plan.SourceJob {
	out := make([]plan.SourceJob, len(jobs))
	for i := range jobs {
		j := &jobs[i]
		out[i] = plan.SourceJob{
			ID: j.ID, Name: j.Name, Office: j.Office, AdditionalOffices: j.AdditionalOffices,
			Department: j.Department, EmploymentType: j.EmploymentType, Schedule: j.Schedule,
			ApplicationURL: j.ApplicationURL,
		}
		if len(j.Descriptions) > 0 {
			out[i].Descriptions = make([]plan.JobDescription, len(j.Descriptions))
			for k, d := range j.Descriptions {
				out[i].Descriptions[k] = plan.JobDescription{Name: d.Name, Value: d.Value}
			}
		}
	}
	return out
}

// SourceEmployee converts one employee (read by id, say) into the plan's
// input; keep are the attribute keys employee_fields reads.
func SourceEmployee(e *Employee, keep []string) plan.SourceEmployee {
	return sourceEmployee(e, keep, nil)
}

// sourceEmployee converts e; offices, when not nil, shares one *plan.Office
// between the employees of an office.
func sourceEmployee(e *Employee, keep []string, offices map[Office]*plan.Office) plan.SourceEmployee {
	out := plan.SourceEmployee{
		ID: e.ID, FirstName: e.FirstName, LastName: e.LastName, Gender: e.Gender,
		Position: e.Position, Email: e.Email, Status: e.Status,
		ProfileImageURL: e.ProfilePictureURL,
	}
	if e.Office != nil {
		o, ok := offices[*e.Office]
		if !ok {
			o = &plan.Office{ID: e.Office.ID, Name: e.Office.Name}
			if offices != nil {
				offices[*e.Office] = o
			}
		}
		out.Office = o
	}
	for _, k := range keep {
		if v, ok := e.Attr(k); ok {
			if out.Attributes == nil {
				out.Attributes = make(map[string]string, len(keep))
			}
			out.Attributes[k] = v
		}
	}
	return out
}
