package personiosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
)

// Dataset is everything the simulator serves. It is also the format of the
// -data file of personio-sim (see the package documentation).
type Dataset struct {
	Employees  []Employee     `json:"employees"`
	Jobs       []Job          `json:"jobs"`
	Offices    []Office       `json:"offices"`
	Attributes []AttributeDef `json:"attributes"`
}

// Employee is one simulated Personio employee in our own flat shape; the
// server renders it into Personio's attribute envelope.
type Employee struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	// Gender is male, female or diverse; empty renders as null.
	Gender   string `json:"gender,omitempty"`
	Position string `json:"position,omitempty"`
	Email    string `json:"email"`
	// Status is active, onboarding, leave or inactive.
	Status string `json:"status"`
	// OfficeID refers to Dataset.Offices; 0 renders office as null.
	OfficeID int64 `json:"office_id,omitempty"`
	// Department is a department name; empty renders as null.
	Department string `json:"department,omitempty"`
	// HireDate is YYYY-MM-DD; empty renders as null.
	HireDate   string `json:"hire_date,omitempty"`
	HasPicture bool   `json:"has_picture"`
	// Custom holds values of custom attributes keyed dynamic_<n>, as declared
	// in Dataset.Attributes. A missing key renders as null.
	Custom map[string]any `json:"custom,omitempty"`
}

// Office is a Personio office.
type Office struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// AttributeDef declares a custom attribute (key dynamic_<n>).
type AttributeDef struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Type        string   `json:"type"` // standard, date, integer, decimal, list, tags, multiline
	UniversalID string   `json:"universal_id,omitempty"`
	Options     []string `json:"options,omitempty"`
}

// Job is one published position of the XML job feed.
type Job struct {
	ID                 int64            `json:"id"`
	Name               string           `json:"name"`
	Office             string           `json:"office"`
	AdditionalOffices  []string         `json:"additional_offices,omitempty"`
	Department         string           `json:"department,omitempty"`
	Subcompany         string           `json:"subcompany,omitempty"`
	RecruitingCategory string           `json:"recruiting_category,omitempty"`
	Descriptions       []JobDescription `json:"descriptions,omitempty"`
	EmploymentType     string           `json:"employment_type"` // permanent, intern, trainee, freelance
	Seniority          string           `json:"seniority,omitempty"`
	Schedule           string           `json:"schedule"` // full-time, part-time
	YearsOfExperience  string           `json:"years_of_experience,omitempty"`
	Keywords           string           `json:"keywords,omitempty"`
	Occupation         string           `json:"occupation,omitempty"`
	OccupationCategory string           `json:"occupation_category,omitempty"`
	CreatedAt          time.Time        `json:"created_at"`
}

// JobDescription is one titled section of a job description; Value is HTML.
type JobDescription struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// LoadDataset reads a Dataset from a JSON file and checks it for
// contradictions (duplicate ids, unknown offices, attribute keys).
func LoadDataset(path string) (*Dataset, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read simulator dataset: %w", err)
	}
	var d Dataset
	if err := decodeStrict(bytes.NewReader(b), &d); err != nil {
		return nil, fmt.Errorf("decode simulator dataset %s (see the personiosim package doc for the format): %w", path, err)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("simulator dataset %s: %w", path, err)
	}
	return &d, nil
}

// decodeStrict decodes one JSON value from r into v; unknown fields are
// errors.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// WriteFile writes the dataset as indented JSON, readable by LoadDataset.
func (d *Dataset) WriteFile(path string) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encode simulator dataset: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write simulator dataset: %w", err)
	}
	return nil
}

// Validate reports the first contradiction in the dataset: duplicate or
// non-positive ids, employees in unknown offices, custom attributes not keyed
// dynamic_<n>.
func (d *Dataset) Validate() error {
	offices := make(map[int64]Office, len(d.Offices))
	for _, o := range d.Offices {
		if o.ID <= 0 || o.Name == "" {
			return fmt.Errorf("office %d %q: needs a positive id and a name", o.ID, o.Name)
		}
		if _, dup := offices[o.ID]; dup {
			return fmt.Errorf("office id %d appears twice", o.ID)
		}
		offices[o.ID] = o
	}
	for _, a := range d.Attributes {
		if !strings.HasPrefix(a.Key, "dynamic_") {
			return fmt.Errorf("attribute %q: custom attribute keys must look like dynamic_<n>", a.Key)
		}
	}
	seen := make(map[int64]bool, len(d.Employees))
	for _, e := range d.Employees {
		if err := checkEmployee(e, offices); err != nil {
			return err
		}
		if seen[e.ID] {
			return fmt.Errorf("employee id %d appears twice", e.ID)
		}
		seen[e.ID] = true
		for k := range e.Custom {
			if !isDeclared(d.Attributes, k) {
				return fmt.Errorf("employee %d: custom value %q is not declared in attributes", e.ID, k)
			}
		}
	}
	jobs := make(map[int64]bool, len(d.Jobs))
	for _, j := range d.Jobs {
		if j.ID <= 0 {
			return fmt.Errorf("job %q: needs a positive id", j.Name)
		}
		if jobs[j.ID] {
			return fmt.Errorf("job id %d appears twice", j.ID)
		}
		jobs[j.ID] = true
	}
	return nil
}

func checkEmployee(e Employee, offices map[int64]Office) error {
	if e.ID <= 0 {
		return fmt.Errorf("employee %q %q: needs a positive id", e.FirstName, e.LastName)
	}
	if _, known := offices[e.OfficeID]; e.OfficeID != 0 && !known {
		return fmt.Errorf("employee %d: office id %d is not in offices", e.ID, e.OfficeID)
	}
	if !slices.Contains([]string{"active", "onboarding", "leave", "inactive"}, e.Status) {
		return fmt.Errorf("employee %d: status %q is not one of active, onboarding, leave, inactive", e.ID, e.Status)
	}
	if e.HireDate != "" {
		if _, err := time.Parse(time.DateOnly, e.HireDate); err != nil {
			return fmt.Errorf("employee %d: hire_date %q is not YYYY-MM-DD", e.ID, e.HireDate)
		}
	}
	return nil
}

// clone returns a copy that shares no slice or map with e, so that the
// server never shares mutable state with its caller.
func (e Employee) clone() Employee {
	e.Custom = maps.Clone(e.Custom)
	return e
}

func (j Job) clone() Job {
	j.AdditionalOffices = slices.Clone(j.AdditionalOffices)
	j.Descriptions = slices.Clone(j.Descriptions)
	return j
}

func (a AttributeDef) clone() AttributeDef {
	a.Options = slices.Clone(a.Options)
	return a
}
