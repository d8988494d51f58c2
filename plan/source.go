package plan

import (
	"cmp"
	"slices"
)

// Source is Personio's side of a plan: what the employee listing, the job
// feed and the attribute list said, in the shape the plan needs and nothing
// more. Package plan declares it so that it depends on no client: the
// Personio client's package converts its answers to it.
type Source struct {
	Employees []SourceEmployee // sorted by ID, each once
	Jobs      []SourceJob      // sorted by ID
	// Offices are the distinct offices seen on employees (id and name) and
	// in the job feed (name only, ID 0, unless an employee office has that
	// name), sorted by name, then id.
	Offices []Office
	// AttributeKeys are the employee attribute keys Personio lets the
	// credential read (its attribute list); nil when it was not read.
	AttributeKeys []string
	// JobsUnavailable, when set, says that the job feed could not be read,
	// and why: the feed URL and Personio's answer, such as
	// "https://acme.jobs.personio.de/xml?language=en answered 404". Jobs
	// is then empty and means nothing: the plan leaves every linked job
	// untouched instead of removing it, and still plans employees. An
	// empty feed that was read is not unavailable: that is an answer,
	// which the deletion guard judges.
	JobsUnavailable string
}

// CollectOffices sets Offices from the employees and the jobs: the
// distinct offices of employees (by id; by name for one without an id),
// and the offices the feed names (name only) that no employee office has
// the name of, sorted by name, then id.
func (s *Source) CollectOffices() {
	seenID := map[int64]bool{}
	seenName := map[string]bool{}
	s.Offices = s.Offices[:0]
	for i := range s.Employees {
		o := s.Employees[i].Office
		if o == nil || o.ID != 0 && seenID[o.ID] || o.ID == 0 && seenName[o.Name] {
			continue
		}
		seenID[o.ID], seenName[o.Name] = true, true
		s.Offices = append(s.Offices, *o)
	}
	feedOffice := func(name string) {
		if name != "" && !seenName[name] {
			seenName[name] = true
			s.Offices = append(s.Offices, Office{Name: name})
		}
	}
	for i := range s.Jobs {
		feedOffice(s.Jobs[i].Office)
		for _, o := range s.Jobs[i].AdditionalOffices {
			feedOffice(o)
		}
	}
	slices.SortFunc(s.Offices, compareOffices)
}

// AddEmployees adds employees read one by one (the engine fetches by id
// each linked employee the listing lacked, see Plan.AbsentEmployees) to
// the listing. Employees stays sorted by id with each id once: an added
// employee replaces a listed one with its id. Offices gains the offices of
// the added employees the way the listing's offices were collected: an
// office with an id replaces an entry of the same name that only the job
// feed named.
func (s *Source) AddEmployees(emps ...SourceEmployee) {
	for _, e := range emps {
		i, found := slices.BinarySearchFunc(s.Employees, e.ID, func(x SourceEmployee, id int64) int { return cmp.Compare(x.ID, id) })
		if found {
			s.Employees[i] = e
		} else {
			s.Employees = slices.Insert(s.Employees, i, e)
		}
		o := e.Office
		if o == nil || slices.ContainsFunc(s.Offices, func(x Office) bool { return o.ID != 0 && x.ID == o.ID || o.ID == 0 && x.Name == o.Name }) {
			continue // no office, or one Offices has
		}
		if o.ID != 0 {
			// An entry of the name that no employee carries is the feed's.
			s.Offices = slices.DeleteFunc(s.Offices, func(x Office) bool {
				return x.ID == 0 && x.Name == o.Name && !slices.ContainsFunc(s.Employees, func(e SourceEmployee) bool { return e.Office != nil && *e.Office == x })
			})
		}
		i, _ = slices.BinarySearchFunc(s.Offices, *o, compareOffices)
		s.Offices = slices.Insert(s.Offices, i, *o)
	}
}

// compareOffices orders offices by name, then id, as Source.Offices is.
func compareOffices(a, b Office) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
}

// Office is a Personio office. Offices seen only in the job feed carry a
// name but no id.
type Office struct {
	ID   int64
	Name string
}

// SourceEmployee is one Personio employee.
type SourceEmployee struct {
	ID              int64
	FirstName       string
	LastName        string
	Gender          string
	Position        string
	Email           string
	Status          string  // active, onboarding, leave, inactive
	Office          *Office // nil when the employee has none; shared, read-only
	ProfileImageURL string
	// Attributes are the values of the attributes employee_fields reads,
	// as display text by Personio key. A key is present only when Personio
	// answered with the attribute.
	Attributes map[string]string
}

// SourceJob is one published position of the job feed.
type SourceJob struct {
	ID                int64
	Name              string
	Office            string   // office name, "" when none
	AdditionalOffices []string // further office names
	Department        string
	EmploymentType    string
	Schedule          string
	Descriptions      []JobDescription
	ApplicationURL    string
}

// JobDescription is one titled section of a position's description; Value
// is HTML.
type JobDescription struct {
	Name  string
	Value string
}
