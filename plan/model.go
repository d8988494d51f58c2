package plan

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Action is what a Change does to one resource.
type Action string

const (
	NoOp   Action = "no-op" // hidden in every rendering
	Create Action = "create"
	Update Action = "update"
	Adopt  Action = "adopt"  // link an existing unlinked employee by email, then update it
	Unlink Action = "unlink" // keep the record, clear its Personio link
	Delete Action = "delete"
)

// Type is the kind of resource a Change addresses.
type Type string

const (
	TypeCompany  Type = "company"
	TypeLocation Type = "location"
	TypeEmployee Type = "employee"
	TypeJob      Type = "job"
)

// Field names of synced attributes (also the column names in the store).
const (
	// company and location
	FieldName       = "name"
	FieldOfficeID   = "office_id"   // location: Personio office id, "" when unmapped
	FieldOfficeName = "office_name" // location: Personio office name, "" when unmapped

	// employee
	FieldFirstName       = "first_name"
	FieldLastName        = "last_name"
	FieldGender          = "gender"
	FieldPosition        = "position"
	FieldEmail           = "email"
	FieldStatus          = "status"
	FieldProfileImageURL = "profile_image_url"
	FieldLocation        = "location" // employee and job: location slug within the company

	// job
	FieldTitle          = "title"
	FieldDescription    = "description"
	FieldEmploymentType = "employment_type"
	FieldSchedule       = "schedule"
	FieldDepartment     = "department"
	FieldApplicationURL = "application_url"
	// FieldStatus is shared with employees.
)

// employeeFields and jobFields list the synced fields in display order.
var (
	employeeFields = []string{FieldFirstName, FieldLastName, FieldGender, FieldPosition, FieldEmail, FieldStatus, FieldProfileImageURL, FieldLocation}
	jobFields      = []string{FieldTitle, FieldDescription, FieldEmploymentType, FieldSchedule, FieldDepartment, FieldLocation, FieldApplicationURL, FieldStatus}
)

// Change is one planned action on one resource. Reason is for display only
// and never drives apply.
type Change struct {
	Address string // company.acme, location.acme.berlin-hq, employee.acme[1042], job.acme[9001]
	Type    Type
	Company string // company slug
	// Key identifies the resource within its company: the location slug, or
	// the Personio id of an employee or job.
	Key    string
	Action Action
	// TargetID is the Gridwork row id the change acts on (update, adopt,
	// unlink, delete of employees and jobs); 0 for creates.
	TargetID int64
	Before   Attrs // none for create
	After    Attrs // none for delete and unlink
	Reason   string
}

// Summary counts changes the way Terraform does: adopt counts as change.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Unlink  int `json:"unlink"`
	Destroy int `json:"destroy"`
}

// Digests fingerprint a plan's inputs (hex SHA-256). A saved plan is applied
// only while Personio and Target still digest the same.
type Digests struct {
	Config   string `json:"config"`
	Personio string `json:"personio"`
	Target   string `json:"target"`
}

// Scope is one configured company a plan covers, with its effective toggles.
// Apply records last-synced times for the enabled kinds of these companies.
type Scope struct {
	Company   string `json:"company"`
	Employees bool   `json:"employees"`
	Jobs      bool   `json:"jobs"`
}

// Plan is the result of a diff. It is data: renderers only read it.
type Plan struct {
	Changes []Change // deterministic order, no no-ops
	Summary Summary
	Digests Digests
	Scope   []Scope // configured companies in scope, sorted by slug
	// AllCompanies is true when no -company filter was given; only then are
	// records of companies that left the config unlinked.
	AllCompanies bool
	// Warnings are notes for the reader that do not block apply.
	Warnings []string
	// Suspicious lists Personio answers that look wrong, e.g. a mapped
	// office that suddenly has no employees while linked records exist.
	// Apply refuses such a plan unless -allow-mass-delete; sync skips the
	// companies concerned.
	Suspicious []Suspicion
	// JobsUnavailable, when set, says why the job feed could not be read
	// (the URL and Personio's answer, from Source.JobsUnavailable). Linked
	// jobs are then left untouched: the plan holds no job changes in any
	// company, nothing about jobs is suspicious, and no job counts as
	// synced (Scope keeps the effective toggles, but apply must not record
	// a last-synced time for jobs).
	JobsUnavailable string
	CreatedAt       time.Time

	// absent are the Personio ids of the employees the plan deletes
	// because the listing lacks them; see AbsentEmployees. A plan read
	// from a file has none.
	absent []int64
}

// AbsentEmployees returns the Personio ids, sorted and each once, of the
// linked employees the plan deletes only because Personio's listing lacks
// them ("no longer in Personio"): not those whose status is no longer
// synced, nor those unlinked. A listing read page by page can miss a row
// that moved between pages, so the engine fetches each of these by id,
// adds those Personio still has to the Source (Source.AddEmployees) and
// plans again. It is computed by Diff and not kept in the plan file: a
// saved plan is re-planned, and so re-confirmed, before it is applied.
func (p *Plan) AbsentEmployees() []int64 {
	if len(p.absent) == 0 {
		return nil
	}
	return deletedEmployees(p.Changes, func(id int64) bool {
		_, ok := slices.BinarySearch(p.absent, id)
		return ok
	})
}

// Suspicion is one Personio answer that looks wrong, and the companies
// whose changes rest on it.
type Suspicion struct {
	// Companies are the companies concerned, sorted; nil means every
	// company of the plan (a plan read from a file does not record them).
	Companies []string
	Text      string // a sentence naming the companies, for the reader
}

// SuspiciousTexts returns the texts of p.Suspicious.
func (p *Plan) SuspiciousTexts() []string {
	var out []string
	for _, s := range p.Suspicious {
		out = append(out, s.Text)
	}
	return out
}

// State is the Gridwork side: what the target database holds for the
// companies in scope. The store reads it; the engine diffs against it.
type State struct {
	Companies []CompanyState // sorted by slug
	Employees []Record       // sorted by company, then external id, then target id
	Jobs      []Record
}

// CompanyState is a company row with its locations.
type CompanyState struct {
	Slug      string
	Name      string
	Locations []LocationState // sorted by slug
}

// LocationState is a location row with its Personio office mapping.
type LocationState struct {
	Slug       string
	Name       string
	OfficeID   int64 // 0 when unmapped
	OfficeName string
}

// Record is an employee or job row. Linked rows carry the Personio id in
// ExternalID; unlinked employees are included only when they have an email
// (candidates for adoption).
type Record struct {
	Type       Type
	Company    string
	ExternalID string
	TargetID   int64
	Linked     bool
	Attrs      Attrs
}

// NoChanges is the one-line verdict of an empty plan.
const NoChanges = "No changes. Gridwork matches the configuration and Personio."

// Counts is the summary's counts the way Terraform words them:
// "3 to add, 2 to change, 1 to unlink, 1 to destroy."
func (s Summary) Counts() string {
	return fmt.Sprintf("%d to add, %d to change, %d to unlink, %d to destroy.", s.Add, s.Change, s.Unlink, s.Destroy)
}

// String is the plan's one-line summary: "Plan: …" or NoChanges.
func (s Summary) String() string {
	if s == (Summary{}) {
		return NoChanges
	}
	return "Plan: " + s.Counts()
}

// count adds one change with action a.
func (s *Summary) count(a Action) {
	switch a {
	case Create:
		s.Add++
	case Update, Adopt:
		s.Change++
	case Unlink:
		s.Unlink++
	case Delete:
		s.Destroy++
	}
}

// CompanySummary counts one company's changes.
type CompanySummary struct {
	Company string
	Summary
}

// CompanySummaries counts changes per company: every company in scope (even
// without changes) and every company with changes, sorted by slug.
func (p *Plan) CompanySummaries() []CompanySummary {
	by := map[string]Summary{}
	for _, s := range p.Scope {
		by[s.Company] = Summary{}
	}
	for _, c := range p.Changes {
		s := by[c.Company]
		s.count(c.Action)
		by[c.Company] = s
	}
	out := make([]CompanySummary, 0, len(by))
	for _, c := range slices.Sorted(maps.Keys(by)) {
		out = append(out, CompanySummary{Company: c, Summary: by[c]})
	}
	return out
}
