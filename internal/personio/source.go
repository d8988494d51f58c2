package personio

import "github.com/gridwork/gridsync/plan"

// Source converts what one run read into the plan's input. keep are the
// attribute keys employee_fields reads (their values are carried as text);
// attrs is the attribute list, nil when it was not read.
func (s *Snapshot) Source(keep []string, attrs []AttributeInfo) *plan.Source {
	src := &plan.Source{
		Employees: make([]plan.SourceEmployee, len(s.Employees)),
		Jobs:      make([]plan.SourceJob, len(s.Jobs)),
		Offices:   make([]plan.Office, len(s.Offices)),
	}
	if s.JobsUnavailable != nil {
		src.JobsUnavailable = s.JobsUnavailable.Reason()
	}
	if attrs != nil {
		src.AttributeKeys = make([]string, len(attrs))
		for i, a := range attrs {
			src.AttributeKeys[i] = a.Key
		}
	}
	for i, o := range s.Offices {
		src.Offices[i] = plan.Office{ID: o.ID, Name: o.Name}
	}
	// Employees of one office share one *plan.Office, as they share one
	// *Office on a page.
	offices := map[Office]*plan.Office{}
	for i := range s.Employees {
		src.Employees[i] = sourceEmployee(&s.Employees[i], keep, offices)
	}
	for i := range s.Jobs {
		j := &s.Jobs[i]
		out := &src.Jobs[i]
		*out = plan.SourceJob{
			ID: j.ID, Name: j.Name, Office: j.Office, AdditionalOffices: j.AdditionalOffices,
			Department: j.Department, EmploymentType: j.EmploymentType, Schedule: j.Schedule,
			ApplicationURL: j.ApplicationURL,
		}
		if len(j.Descriptions) > 0 {
			out.Descriptions = make([]plan.JobDescription, len(j.Descriptions))
			for k, d := range j.Descriptions {
				out.Descriptions[k] = plan.JobDescription{Name: d.Name, Value: d.Value}
			}
		}
	}
	return src
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
