package plan

import (
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// The fixture world: Personio offices Berlin (1), Hamburg (2), Munich (3)
// and "Remote Europe" (job feed only). Company acme maps Berlin and
// Hamburg and has an unmapped "remote" location; globex maps Munich and has
// jobs off.
var (
	berlin  = &Office{ID: 1, Name: "Berlin"}
	hamburg = &Office{ID: 2, Name: "Hamburg"}
	munich  = &Office{ID: 3, Name: "Munich"}
)

var testNow = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func rng(file string, line, col int) hcl.Range {
	return hcl.Range{
		Filename: file,
		Start:    hcl.Pos{Line: line, Column: col, Byte: 0},
		End:      hcl.Pos{Line: line, Column: col + 8, Byte: 8},
	}
}

func baseConfig() *config.Config {
	return &config.Config{
		Dir: "/repo",
		Files: map[string]*hcl.File{
			"/repo/main.hcl": {Bytes: []byte("personio { tenant = \"acme\" }\n")},
			"/repo/acme.hcl": {Bytes: []byte("company \"acme\" {}\n")},
		},
		Personio: config.Personio{
			Tenant:   "acme",
			Sync:     config.SyncDefaults{Employees: true, Jobs: true},
			Statuses: []string{"active", "onboarding", "leave"},
		},
		Companies: []config.Company{
			{
				Slug: "acme", Name: "Acme GmbH",
				SyncEmployees: true, SyncJobs: true,
				Locations: []config.Location{
					{Slug: "berlin-hq", Name: "Berlin HQ", Office: "Berlin", OfficeRange: rng("acme.hcl", 4, 14)},
					{Slug: "hamburg", Name: "Hamburg", OfficeID: 2, OfficeRange: rng("acme.hcl", 8, 14)},
					{Slug: "remote", Name: "Remote"},
				},
			},
			{
				Slug: "globex", Name: "Globex AG",
				Sync:          config.Overrides{Jobs: config.Off},
				SyncEmployees: true, SyncJobs: false,
				Locations: []config.Location{
					{Slug: "munich", Name: "München", Office: "Munich", OfficeRange: rng("globex.hcl", 5, 14)},
				},
			},
		},
	}
}

func emp(id int64, first, last, email, status string, office *Office) SourceEmployee {
	e := SourceEmployee{
		ID: id, FirstName: first, LastName: last, Gender: "diverse", Position: "Engineer",
		Email: email, Status: status, Office: office,
		ProfileImageURL: "https://api.personio.de/v1/company/employees/" + strconv.FormatInt(id, 10) + "/profile-picture/200",
		Attributes: map[string]string{
			"first_name": first,
			"dynamic_42": "Title of " + first,
		},
	}
	return e
}

func job(id int64, name, office string, additional ...string) SourceJob {
	return SourceJob{
		ID: id, Name: name, Office: office, AdditionalOffices: additional,
		Department: "Engineering", EmploymentType: "permanent", Schedule: "full-time",
		Descriptions: []JobDescription{
			{Name: "Your tasks", Value: "<ul><li>Build things</li></ul>"},
			{Name: "Your profile", Value: "<p>Curious & kind</p>"},
		},
		ApplicationURL: "https://acme.jobs.personio.de/job/" + strconv.FormatInt(id, 10),
	}
}

func baseSnapshot() *Source {
	return &Source{
		Employees: []SourceEmployee{
			emp(1001, "Ada", "Lovelace", "ada@acme.test", "active", berlin),
			emp(1002, "Bob", "Builder", "bob@acme.test", "onboarding", hamburg),
			emp(1003, "Carl", "Gauss", "carl@acme.test", "inactive", berlin),
			emp(1004, "Dana", "Scully", "dana@globex.test", "leave", munich),
			emp(1005, "Eve", "Nomad", "eve@acme.test", "active", nil),
		},
		Jobs: []SourceJob{
			job(9001, "Backend Engineer", "Berlin"),
			job(9002, "Support Agent", "Remote Europe", "Hamburg"),
			job(9003, "Sales Lead", "Munich"),
		},
		Offices: []Office{*berlin, *hamburg, *munich, {Name: "Remote Europe"}},
	}
}

// applied returns the target state after applying d: every desired row,
// linked, with target ids from 1.
func applied(t testing.TB, d *DesiredState) State {
	t.Helper()
	var s State
	next := int64(1)
	for _, c := range d.Companies {
		cs := CompanyState{Slug: c.Slug, Name: c.Name}
		for _, l := range c.Locations {
			cs.Locations = append(cs.Locations, LocationState{Slug: l.Slug, Name: l.Name, OfficeID: l.OfficeID, OfficeName: l.OfficeName})
		}
		s.Companies = append(s.Companies, cs)
		for _, r := range c.Employees {
			s.Employees = append(s.Employees, Record{Type: TypeEmployee, Company: c.Slug, ExternalID: strconv.FormatInt(r.ID, 10), TargetID: next, Linked: true, Attrs: r.Attrs()})
			next++
		}
		for _, r := range c.Jobs {
			s.Jobs = append(s.Jobs, Record{Type: TypeJob, Company: c.Slug, ExternalID: strconv.FormatInt(r.ID, 10), TargetID: next, Linked: true, Attrs: r.Attrs()})
			next++
		}
	}
	return s
}

// syncedState is the state after a first apply of the base world.
func syncedState(t testing.TB) State {
	t.Helper()
	d, diags := Desired(baseConfig(), baseSnapshot(), DesiredOptions{})
	if diags.HasErrors() {
		t.Fatalf("base world: %s", diags.Error())
	}
	return applied(t, d)
}

func employeeByID(s *Source, id int64) *SourceEmployee {
	for i := range s.Employees {
		if s.Employees[i].ID == id {
			return &s.Employees[i]
		}
	}
	panic("no employee " + strconv.FormatInt(id, 10))
}

func removeEmployee(s *Source, id int64) {
	for i := range s.Employees {
		if s.Employees[i].ID == id {
			s.Employees = append(s.Employees[:i], s.Employees[i+1:]...)
			return
		}
	}
	panic("no employee " + strconv.FormatInt(id, 10))
}

func removeJob(s *Source, id int64) {
	for i := range s.Jobs {
		if s.Jobs[i].ID == id {
			s.Jobs = append(s.Jobs[:i], s.Jobs[i+1:]...)
			return
		}
	}
	panic("no job " + strconv.FormatInt(id, 10))
}

func company(cfg *config.Config, slug string) *config.Company {
	c, ok := cfg.Company(slug)
	if !ok {
		panic("no company " + slug)
	}
	return c
}

func cfgLocation(slug, name string) config.Location {
	return config.Location{Slug: slug, Name: name}
}

// suspicions are suspicious answers of a plan read from a file: each
// concerns the whole plan.
func suspicions(texts []string) []Suspicion {
	var out []Suspicion
	for _, t := range texts {
		out = append(out, Suspicion{Text: t})
	}
	return out
}
