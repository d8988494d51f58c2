package plan

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

func findChange(t *testing.T, p *Plan, addr string) Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.Address == addr {
			return c
		}
	}
	t.Fatalf("no change for %s in %v", addr, changeLines(p))
	return Change{}
}

func TestDiffChangeContents(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	cur := syncedState(t)
	employeeByID(snap, 1001).Office = hamburg
	employeeByID(snap, 1002).Status = "inactive"
	snap.Employees = append(snap.Employees, emp(1011, "Hedy", "Lamarr", "hedy@acme.test", "active", berlin))
	cur.Employees = append(cur.Employees, Record{Type: TypeEmployee, Company: "acme", TargetID: 501,
		Attrs: AttrsOf(map[string]string{FieldEmail: "HEDY@acme.test", FieldFirstName: "Hedwig", FieldTitle: "not an employee field"})})
	company(cfg, "acme").Locations[0].Name = "Berlin Mitte"

	p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var ada Record
	for _, r := range cur.Employees {
		if r.ExternalID == "1001" {
			ada = r
		}
	}

	t.Run("update carries target id, before and after", func(t *testing.T) {
		c := findChange(t, p, "employee.acme[1001]")
		if c.Action != Update || c.TargetID != ada.TargetID || c.Key != "1001" || c.Company != "acme" || c.Type != TypeEmployee {
			t.Fatalf("got %+v", c)
		}
		if c.Before.Get(FieldLocation) != "berlin-hq" || c.After.Get(FieldLocation) != "hamburg" {
			t.Errorf("location %q -> %q, want berlin-hq -> hamburg", c.Before.Get(FieldLocation), c.After.Get(FieldLocation))
		}
	})
	t.Run("adopt links the unlinked row and keeps only synced fields", func(t *testing.T) {
		c := findChange(t, p, "employee.acme[1011]")
		want := AttrsOf(map[string]string{FieldEmail: "HEDY@acme.test", FieldFirstName: "Hedwig"})
		if c.Action != Adopt || c.TargetID != 501 || !reflect.DeepEqual(c.Before, want) {
			t.Fatalf("got %+v, want adopt of 501 with before %v", c, want)
		}
		if c.After.Get(FieldFirstName) != "Hedy" || c.After.Get(FieldLocation) != "berlin-hq" {
			t.Errorf("after = %v", c.After)
		}
	})
	t.Run("delete has before and no after", func(t *testing.T) {
		c := findChange(t, p, "employee.acme[1002]")
		if c.Action != Delete || !c.After.IsNone() || c.Before.Get(FieldEmail) != "bob@acme.test" || c.TargetID == 0 {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("location rename keeps the office", func(t *testing.T) {
		c := findChange(t, p, "location.acme.berlin-hq")
		want := AttrsOf(map[string]string{FieldName: "Berlin Mitte", FieldOfficeID: "1", FieldOfficeName: "Berlin"})
		if c.Action != Update || !reflect.DeepEqual(c.After, want) || c.Reason != "" {
			t.Fatalf("got %+v", c)
		}
	})
	t.Run("scope and stamps", func(t *testing.T) {
		want := []Scope{{Company: "acme", Employees: true, Jobs: true}, {Company: "globex", Employees: true, Jobs: false}}
		if !reflect.DeepEqual(p.Scope, want) || !p.AllCompanies || !p.CreatedAt.Equal(testNow) {
			t.Fatalf("scope %+v all %v created %v", p.Scope, p.AllCompanies, p.CreatedAt)
		}
		if p.Summary != (Summary{Change: 3, Destroy: 1}) {
			t.Errorf("summary %+v", p.Summary)
		}
	})
}

func TestLeftCompanyLocationChange(t *testing.T) {
	cfg := baseConfig()
	cfg.Companies = cfg.Companies[:1] // globex leaves
	p, diags := Build(cfg, baseSnapshot(), syncedState(t), BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	c := findChange(t, p, "location.globex.munich")
	wantBefore := AttrsOf(map[string]string{FieldName: "München", FieldOfficeID: "3", FieldOfficeName: "Munich"})
	wantAfter := AttrsOf(map[string]string{FieldName: "München"})
	if c.Action != Update || c.Type != TypeLocation || c.Company != "globex" || c.Key != "munich" ||
		!reflect.DeepEqual(c.Before, wantBefore) || !reflect.DeepEqual(c.After, wantAfter) {
		t.Fatalf("got %+v, want an update from %v to %v", c, wantBefore, wantAfter)
	}
	// The company is not in scope: apply records no sync time for it.
	for _, sc := range p.Scope {
		if sc.Company == "globex" {
			t.Errorf("globex is in scope: %+v", p.Scope)
		}
	}
}

func TestDesiredAttributes(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	d, diags := Desired(cfg, snap, DesiredOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	acme := d.Companies[0]
	t.Run("employee", func(t *testing.T) {
		want := AttrsOf(map[string]string{
			FieldFirstName: "Ada", FieldLastName: "Lovelace", FieldGender: "diverse", FieldPosition: "Engineer",
			FieldEmail: "ada@acme.test", FieldStatus: "active", FieldLocation: "berlin-hq",
			FieldProfileImageURL: "https://api.personio.de/v1/company/employees/1001/profile-picture/200",
		})
		if got := acme.Employees[0]; got.ID != 1001 || !reflect.DeepEqual(got.Attrs(), want) {
			t.Errorf("got %d %v\nwant %v", got.ID, got.Attrs(), want)
		}
	})
	t.Run("job", func(t *testing.T) {
		want := AttrsOf(map[string]string{
			FieldTitle:          "Backend Engineer",
			FieldDescription:    "<h3>Your tasks</h3><ul><li>Build things</li></ul>\n<h3>Your profile</h3><p>Curious & kind</p>",
			FieldEmploymentType: "permanent", FieldSchedule: "full-time", FieldDepartment: "Engineering",
			FieldLocation: "berlin-hq", FieldApplicationURL: "https://acme.jobs.personio.de/job/9001", FieldStatus: "published",
		})
		if got := acme.Jobs[0]; got.ID != 9001 || !reflect.DeepEqual(got.Attrs(), want) {
			t.Errorf("got %d %v\nwant %v", got.ID, got.Attrs(), want)
		}
		if got := acme.Jobs[1]; got.ID != 9002 || got.Attrs().Get(FieldLocation) != "hamburg" {
			t.Errorf("job 9002 should fall back to its additional office Hamburg: %v", got.Attrs())
		}
	})
	t.Run("locations", func(t *testing.T) {
		var got []string
		for _, l := range acme.Locations {
			got = append(got, fmt.Sprint(l.Slug, " ", l.Attrs()))
		}
		want := []string{
			"berlin-hq map[name:Berlin HQ office_id:1 office_name:Berlin]",
			"hamburg map[name:Hamburg office_id:2 office_name:Hamburg]",
			"remote map[name:Remote]",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %q\nwant %q", got, want)
		}
	})
	t.Run("feed-only office maps jobs by name", func(t *testing.T) {
		cfg := baseConfig()
		company(cfg, "acme").Locations[2].Office = "Remote Europe"
		d, diags := Desired(cfg, snap, DesiredOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		loc := d.Companies[0].Locations[2]
		if loc.OfficeID != 0 || loc.OfficeName != "Remote Europe" || loc.Attrs().Get(FieldOfficeID) != "" {
			t.Errorf("got %+v", loc)
		}
		if j := d.Companies[0].Jobs[1]; j.ID != 9002 || j.Attrs().Get(FieldLocation) != "remote" {
			t.Errorf("job 9002 should map to remote by its main office: %v", j.Attrs())
		}
	})
	t.Run("employee_fields override", func(t *testing.T) {
		cfg := baseConfig()
		cfg.Personio.EmployeeFields = map[string]config.FieldRef{FieldPosition: {Key: "dynamic_42"}, FieldGender: {Key: "first_name"}}
		d, diags := Desired(cfg, snap, DesiredOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		a := d.Companies[0].Employees[0].Attrs()
		if a.Get(FieldPosition) != "Title of Ada" || a.Get(FieldGender) != "Ada" {
			t.Errorf("got %v", a)
		}
	})
}

func TestDesiredDiagnostics(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(cfg *config.Config, snap *Source)
		opts    DesiredOptions
		summary string   // "" when no diagnostic is expected
		detail  []string // substrings that must appear, in this order
		subject string   // file:line:col of the diagnostic's subject
	}{
		{
			name:    "unknown office name lists the known offices closest first",
			edit:    func(cfg *config.Config, _ *Source) { company(cfg, "acme").Locations[0].Office = "Berln" },
			summary: `Unknown Personio office "Berln"`,
			detail:  []string{`closest first: "Berlin" (id 1), `, `"Munich" (id 3)`},
			subject: "acme.hcl:4:14",
		},
		{
			name:    "unknown office name close to a feed-only office",
			edit:    func(cfg *config.Config, _ *Source) { company(cfg, "globex").Locations[0].Office = "Remote" },
			summary: `Unknown Personio office "Remote"`,
			detail:  []string{`closest first: "Remote Europe" (job feed only), "Berlin" (id 1)`},
			subject: "globex.hcl:5:14",
		},
		{
			name:    "unknown office id",
			edit:    func(cfg *config.Config, _ *Source) { company(cfg, "acme").Locations[1].OfficeID = 4 },
			summary: `Unknown Personio office id 4`,
			detail:  []string{`closest first: "Berlin" (id 1), "Hamburg" (id 2), "Munich" (id 3)`},
			subject: "acme.hcl:8:14",
		},
		{
			name: "an office name two offices share is ambiguous",
			edit: func(_ *config.Config, snap *Source) {
				snap.Offices = append(snap.Offices, Office{ID: 7, Name: "Berlin"})
			},
			summary: `Ambiguous Personio office "Berlin"`,
			detail:  []string{"ids 1, 7", "office_id"},
			subject: "acme.hcl:4:14",
		},
		{
			name: "an office Personio no longer shows resolves to the id the target knows",
			edit: func(cfg *config.Config, _ *Source) { company(cfg, "globex").Locations[0].Office = "Paris" },
			opts: DesiredOptions{KnownOffices: []Office{{ID: 8, Name: "Paris"}}},
		},
		{
			name: "an office renamed in Personio names its new name",
			edit: func(_ *config.Config, snap *Source) {
				snap.Offices[0].Name = "Berlin Mitte"
			},
			opts:    DesiredOptions{KnownOffices: []Office{{ID: 1, Name: "Berlin"}}},
			summary: `Personio office "Berlin" was renamed`,
			detail:  []string{`now called "Berlin Mitte"`, `office_id = 1`},
			subject: "acme.hcl:4:14",
		},
		{
			name: "unknown employee_fields key names the closest keys",
			edit: func(cfg *config.Config, _ *Source) {
				cfg.Personio.EmployeeFields = map[string]config.FieldRef{
					FieldPosition: {Key: "dynamic_24", Range: rng("main.hcl", 12, 16)},
					FieldGender:   {Key: "first_name"},
				}
			},
			summary: `Unknown Personio attribute "dynamic_24"`,
			detail:  []string{"employee_fields.position", "closest first: dynamic_42, "},
			subject: "main.hcl:12:16",
		},
		{
			name: "employee_fields keys from the attribute list are known",
			edit: func(cfg *config.Config, snap *Source) {
				cfg.Personio.EmployeeFields = map[string]config.FieldRef{FieldPosition: {Key: "dynamic_99"}}
				snap.AttributeKeys = []string{"dynamic_99"}
			},
		},
		{
			name: "employee_fields cannot be judged without employees or an attribute list",
			edit: func(cfg *config.Config, snap *Source) {
				cfg.Personio.EmployeeFields = map[string]config.FieldRef{FieldPosition: {Key: "dynamic_99"}}
				snap.Employees = nil
			},
		},
		{
			name:    "the same office by name and by id",
			edit:    func(cfg *config.Config, _ *Source) { company(cfg, "acme").Locations[1].OfficeID = 1 },
			summary: "Office mapped twice",
			detail: []string{`Personio office "Berlin" (id 1) is mapped by location.acme.berlin-hq (office = "Berlin", at acme.hcl:4)`,
				`and by location.acme.hamburg (office_id = 1, at acme.hcl:8)`, "remove one of the mappings"},
			subject: "acme.hcl:8:14",
		},
		{
			name: "the mapping written first is named first",
			edit: func(cfg *config.Config, _ *Source) {
				locs := company(cfg, "acme").Locations
				locs[0], locs[1] = locs[1], locs[0]
				locs[1].Office = "Hamburg"
			},
			summary: "Office mapped twice",
			detail: []string{`Personio office "Hamburg" (id 2) is mapped by location.acme.berlin-hq (office = "Hamburg", at acme.hcl:4)`,
				`and by location.acme.hamburg (office_id = 2, at acme.hcl:8)`},
			subject: "acme.hcl:8:14",
		},
		{
			name: "one office in two companies, by name and by id",
			edit: func(cfg *config.Config, _ *Source) {
				company(cfg, "globex").Locations[0].OfficeID, company(cfg, "globex").Locations[0].Office = 1, ""
			},
			summary: "Office mapped twice",
			detail: []string{`Personio office "Berlin" (id 1) is mapped by location.acme.berlin-hq (office = "Berlin", at acme.hcl:4)`,
				`and by location.globex.munich (office_id = 1, at globex.hcl:5)`, "synced twice"},
			subject: "globex.hcl:5:14",
		},
		{
			name: "one office only the job feed names, in two companies",
			edit: func(cfg *config.Config, _ *Source) {
				remote := &company(cfg, "acme").Locations[2]
				remote.Office, remote.OfficeRange = "Remote Europe", rng("acme.hcl", 12, 14)
				company(cfg, "globex").Locations[0].Office = "Remote Europe"
			},
			summary: "Office mapped twice",
			detail: []string{`Personio office "Remote Europe" (job feed only) is mapped by location.acme.remote (office = "Remote Europe", at acme.hcl:12)`,
				`and by location.globex.munich (office = "Remote Europe", at globex.hcl:5)`},
			subject: "globex.hcl:5:14",
		},
		{
			name: "a company outside -company still counts for one office, one company",
			edit: func(cfg *config.Config, _ *Source) {
				company(cfg, "globex").Locations[0].OfficeID, company(cfg, "globex").Locations[0].Office = 1, ""
			},
			opts:    DesiredOptions{Companies: []string{"globex"}},
			summary: "Office mapped twice",
			detail:  []string{`location.acme.berlin-hq (office = "Berlin", at acme.hcl:4)`, `location.globex.munich (office_id = 1, at globex.hcl:5)`},
			subject: "globex.hcl:5:14",
		},
		{
			name: "an unknown office of a company outside -company is left to its own plan",
			edit: func(cfg *config.Config, _ *Source) { company(cfg, "acme").Locations[0].Office = "Berln" },
			opts: DesiredOptions{Companies: []string{"globex"}},
		},
		{
			name:    "unknown -company slug",
			opts:    DesiredOptions{Companies: []string{"acmee"}},
			summary: `Unknown company "acmee" in -company`,
			detail:  []string{"closest first: acme, globex"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, snap := baseConfig(), baseSnapshot()
			if tt.edit != nil {
				tt.edit(cfg, snap)
			}
			d, diags := Desired(cfg, snap, tt.opts)
			if tt.summary == "" {
				if len(diags) > 0 {
					t.Fatalf("unexpected diagnostics: %s", diags.Error())
				}
				if d == nil {
					t.Fatal("nil desired state")
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity != hcl.DiagError {
				t.Fatalf("want one error, got %d: %s", len(diags), diags.Error())
			}
			dg := diags[0]
			if dg.Summary != tt.summary {
				t.Errorf("summary %q, want %q", dg.Summary, tt.summary)
			}
			rest := dg.Detail
			for _, want := range tt.detail {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("detail %q lacks %q (in order)", dg.Detail, want)
				}
				rest = rest[i+len(want):]
			}
			var subject string
			if dg.Subject != nil {
				subject = fmt.Sprintf("%s:%d:%d", dg.Subject.Filename, dg.Subject.Start.Line, dg.Subject.Start.Column)
			}
			if subject != tt.subject {
				t.Errorf("subject %q, want %q", subject, tt.subject)
			}
		})
	}
}

func TestDesiredKnownOfficeWarns(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	company(cfg, "globex").Locations[0].Office = "Paris"
	d, diags := Desired(cfg, snap, DesiredOptions{KnownOffices: []Office{{ID: 8, Name: "Paris"}}})
	if len(diags) > 0 {
		t.Fatal(diags.Error())
	}
	loc := d.Companies[1].Locations[0]
	if loc.OfficeID != 8 || loc.OfficeName != "Paris" || loc.PersonioEmployees != 0 {
		t.Errorf("got %+v", loc)
	}
	want := []string{`location.globex.munich: office "Paris" (id 8) no longer appears in Personio.`}
	if !reflect.DeepEqual(d.Warnings, want) {
		t.Errorf("warnings %q, want %q", d.Warnings, want)
	}
}
