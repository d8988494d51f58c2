package personio

import (
	"log/slog"
	"slices"
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

// AttributeValue is one attribute an Employee keeps beyond its typed fields
// (see Options.KeepAttributes), as display text: strings as they are,
// numbers in decimal, nested objects (office, department, …) by their name,
// lists joined with ", ", null as "".
type AttributeValue struct {
	Key   string
	Value string
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
	// Attributes are the attributes named by Options.KeepAttributes that
	// Personio sent for this employee (every attribute when that is nil), in
	// the order it sent them. An attribute Personio left out (not readable
	// for the credential) is not listed, which is different from an empty
	// value.
	Attributes []AttributeValue
}

// Attr returns the display text of a kept attribute (see AttributeValue).
// ok is false when the attribute is absent, which is different from empty.
func (e Employee) Attr(key string) (value string, ok bool) {
	if i := slices.IndexFunc(e.Attributes, func(a AttributeValue) bool { return a.Key == key }); i >= 0 {
		return e.Attributes[i].Value, true
	}
	return "", false
}

// AttributeInfo describes one attribute from /company/employees/attributes.
type AttributeInfo struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Type        string   `json:"type"`
	UniversalID string   `json:"universal_id,omitempty"`
	Options     []string `json:"options,omitempty"`
}

// Job is a published position from the tenant's XML job feed. The tags
// are the feed's elements; the feed's id and createdAt are parsed apart.
type Job struct {
	ID                 int64            `xml:"-"`
	Subcompany         string           `xml:"subcompany"`
	Office             string           `xml:"office"`
	AdditionalOffices  []string         `xml:"additionalOffices>office"`
	Department         string           `xml:"department"`
	RecruitingCategory string           `xml:"recruitingCategory"`
	Name               string           `xml:"name"`
	Descriptions       []JobDescription `xml:"jobDescriptions>jobDescription"`
	EmploymentType     string           `xml:"employmentType"` // permanent, intern, trainee, freelance
	Seniority          string           `xml:"seniority"`
	Schedule           string           `xml:"schedule"` // full-time, part-time
	YearsOfExperience  string           `xml:"yearsOfExperience"`
	Keywords           string           `xml:"keywords"`
	Occupation         string           `xml:"occupation"`
	OccupationCategory string           `xml:"occupationCategory"`
	CreatedAt          time.Time        `xml:"-"`
	// ApplicationURL is the public job page, built from the tenant.
	ApplicationURL string `xml:"-"`
}

// JobDescription is one titled section of a job's description; Value is HTML.
type JobDescription struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}
