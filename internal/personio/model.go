package personio

import (
	"encoding/json"
	"log/slog"
	"time"
)

// Credentials are the v1 API client credentials. Their String, GoString and
// LogValue methods redact the secret so that it cannot reach a log or an
// error by accident.
type Credentials struct {
	ClientID     string
	ClientSecret string
}

func (c Credentials) String() string {
	return "personio.Credentials{ClientID: " + c.ClientID + ", ClientSecret: [redacted]}"
}
func (c Credentials) GoString() string { return c.String() }

// LogValue implements slog.LogValuer.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", "[redacted]"))
}

// Office is a Personio office. Offices seen only in the job feed carry a
// name but no id (ID == 0).
type Office struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name"`
}

// Attribute is one raw attribute from the employee envelope, kept so that any
// key (custom dynamic_* attributes included) can be read for employee_fields.
type Attribute struct {
	Label       string          `json:"label"`
	Type        string          `json:"type"`
	UniversalID string          `json:"universal_id,omitempty"`
	Value       json.RawMessage `json:"value"`
}

// Employee is a decoded Personio employee.
type Employee struct {
	ID                int64
	FirstName         string
	LastName          string
	Gender            string
	Position          string
	Email             string
	Status            string  // active, onboarding, leave, inactive
	Office            *Office // shared by a page's employees of that office: read-only
	ProfilePictureURL string
	// Attributes holds the attributes as received, keyed by attribute key:
	// every one by default, only Options.KeepAttributes when that is set
	// (nil when none of those is present).
	Attributes map[string]Attribute
}

// Attr returns the attribute's value as display text: strings as they are,
// numbers in decimal, nested objects (office, department, …) by their name,
// lists joined with ", ". ok is false when the attribute is absent (not
// whitelisted for the credential), which is different from empty.
func (e Employee) Attr(key string) (value string, ok bool) {
	a, ok := e.Attributes[key]
	if !ok {
		return "", false
	}
	return AttrText(a.Value), true
}

// AttributeInfo describes one attribute from /company/employees/attributes.
type AttributeInfo struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Type        string   `json:"type"`
	UniversalID string   `json:"universal_id,omitempty"`
	Options     []string `json:"options,omitempty"`
}

// Job is a published position from the tenant's XML job feed.
type Job struct {
	ID                 int64
	Subcompany         string
	Office             string
	AdditionalOffices  []string
	Department         string
	RecruitingCategory string
	Name               string
	Descriptions       []JobDescription
	EmploymentType     string // permanent, intern, trainee, freelance
	Seniority          string
	Schedule           string // full-time, part-time
	YearsOfExperience  string
	Keywords           string
	Occupation         string
	OccupationCategory string
	CreatedAt          time.Time
	// ApplicationURL is the public job page, built from the tenant.
	ApplicationURL string
}

// JobDescription is one titled section of a job's description; Value is HTML.
type JobDescription struct {
	Name  string
	Value string
}

// Snapshot is everything gridsync reads from Personio in one run.
type Snapshot struct {
	Employees []Employee // sorted by ID
	Jobs      []Job      // sorted by ID
	// Offices are the distinct offices seen on employees and in the feed,
	// sorted by name.
	Offices []Office
	// JobsUnavailable is set, and Jobs nil, when the job feed could not be
	// read: the jobs are unknown, not gone.
	JobsUnavailable *FeedUnavailableError
}
