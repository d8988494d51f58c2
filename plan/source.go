package plan

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
