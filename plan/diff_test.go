package plan

import (
	"strings"
	"testing"

	"github.com/gridwork/gridsync/config"
)

// changeLines renders changes as "action address (reason)" for comparison.
func changeLines(p *Plan) []string {
	var out []string
	for _, c := range p.Changes {
		l := string(c.Action) + " " + c.Address
		if c.Reason != "" {
			l += " (" + c.Reason + ")"
		}
		out = append(out, l)
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n  got:\n    %s\n  want:\n    %s", strings.Join(got, "\n    "), strings.Join(want, "\n    "))
	}
}

// checkCounted fails t unless the employee and job changes of p, built
// from cfg, src and cur for companies, are as many as Diff counted before
// it made them (it allocates them once, at that size).
func checkCounted(t *testing.T, cfg *config.Config, src *Source, cur State, companies []string, p *Plan) {
	t.Helper()
	d, _ := Desired(cfg, src, DesiredOptions{Companies: companies, KnownOffices: KnownOffices(cur)})
	records := 0
	for _, c := range p.Changes {
		if c.Type == TypeEmployee || c.Type == TypeJob {
			records++
		}
	}
	if n := countChanges(d, map[Type]map[string]*companyRecords{TypeEmployee: groupRecords(cur.Employees), TypeJob: groupRecords(cur.Jobs)}, len(companies) == 0); n != records {
		t.Errorf("countChanges = %d, the plan has %d employee and job changes", n, records)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		empty     bool // start from an empty target instead of the synced base world
		companies []string
		edit      func(cfg *config.Config, snap *Source, cur *State)
		want      []string
	}{
		{
			name:  "first sync creates companies, locations and mapped records",
			empty: true,
			want: []string{
				"create company.acme",
				"create company.globex",
				"create location.acme.berlin-hq",
				"create location.acme.hamburg",
				"create location.acme.remote",
				"create location.globex.munich",
				"create employee.acme[1001]",
				"create employee.acme[1002]",
				"create employee.globex[1004]",
				"create job.acme[9001]",
				"create job.acme[9002]",
			},
		},
		{
			name: "in sync gives no changes",
			want: nil,
		},
		{
			name: "a rename in Personio updates the employee",
			edit: func(_ *config.Config, s *Source, _ *State) {
				employeeByID(s, 1001).LastName = "King"
			},
			want: []string{"update employee.acme[1001]"},
		},
		{
			name: "renamed company and location in the config are updated",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				company(cfg, "acme").Name = "Acme SE"
				company(cfg, "acme").Locations[2].Name = "Anywhere"
			},
			want: []string{"update company.acme", "update location.acme.remote"},
		},
		{
			name: "a move between mapped offices updates the location",
			edit: func(_ *config.Config, s *Source, _ *State) {
				employeeByID(s, 1001).Office = hamburg
			},
			want: []string{"update employee.acme[1001]"},
		},
		{
			name: "a move to another company's office unlinks here and creates there",
			edit: func(_ *config.Config, s *Source, _ *State) {
				employeeByID(s, 1001).Office = munich
			},
			want: []string{
				"unlink employee.acme[1001] (office Munich is not mapped to a location of acme)",
				"create employee.globex[1001]",
			},
		},
		{
			name: "a termination removes the employee",
			edit: func(_ *config.Config, s *Source, _ *State) {
				employeeByID(s, 1002).Status = "inactive"
			},
			want: []string{"delete employee.acme[1002] (status inactive is not synced)"},
		},
		{
			name: "an employee deleted in Personio is removed",
			edit: func(_ *config.Config, s *Source, _ *State) {
				removeEmployee(s, 1002)
			},
			want: []string{"delete employee.acme[1002] (no longer in Personio)"},
		},
		{
			name: "an unpublished job is removed",
			edit: func(_ *config.Config, s *Source, _ *State) {
				removeJob(s, 9001)
			},
			want: []string{"delete job.acme[9001] (no longer published)"},
		},
		{
			name: "a new hire is created",
			edit: func(_ *config.Config, s *Source, _ *State) {
				s.Employees = append(s.Employees, emp(1010, "Grace", "Hopper", "grace@acme.test", "onboarding", berlin))
			},
			want: []string{"create employee.acme[1010]"},
		},
		{
			name: "unmapping an office unlinks its records and clears the location's mapping",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				company(cfg, "acme").Locations[1].OfficeID = 0
			},
			want: []string{
				"update location.acme.hamburg (office Hamburg is unmapped)",
				"unlink employee.acme[1002] (office Hamburg is not mapped to a location of acme)",
				"unlink job.acme[9002] (office Remote Europe is not mapped to a location of acme)",
			},
		},
		{
			name: "remapping a location moves its office",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				loc := &company(cfg, "acme").Locations[1]
				loc.OfficeID, loc.Office = 0, "Munich"
				// Munich moves from globex to acme: one office, one company.
				company(cfg, "globex").Locations[0].Office = ""
			},
			want: []string{
				"update location.acme.hamburg (office mapping changes from Hamburg to Munich)",
				"update location.globex.munich (office Munich is unmapped)",
				"unlink employee.acme[1002] (office Hamburg is not mapped to a location of acme)",
				"create employee.acme[1004]",
				"unlink employee.globex[1004] (office Munich is not mapped to a location of globex)",
				"unlink job.acme[9002] (office Remote Europe is not mapped to a location of acme)",
				"create job.acme[9003]",
			},
		},
		{
			name: "a location removed from the config keeps its row but loses its mapping",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				c := company(cfg, "globex")
				c.Locations = nil
			},
			want: []string{
				"update location.globex.munich (location is no longer in the configuration: its office mapping is cleared)",
				"unlink employee.globex[1004] (office Munich is not mapped to a location of globex)",
			},
		},
		{
			name: "a company that left the config is unlinked when planning all companies",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				cfg.Companies = cfg.Companies[:1]
			},
			want: []string{
				"update location.globex.munich (company globex left the configuration)",
				"unlink employee.globex[1004] (company globex is no longer in the configuration)",
			},
		},
		{
			name: "a company that left the config loses its office mappings, in company order, unmapped locations untouched",
			edit: func(cfg *config.Config, _ *Source, cur *State) {
				cfg.Companies = cfg.Companies[1:] // acme leaves
				company(cfg, "globex").Locations[0].Name = "Munich"
			},
			want: []string{
				"update location.acme.berlin-hq (company acme left the configuration)",
				"update location.acme.hamburg (company acme left the configuration)",
				"update location.globex.munich",
				"unlink employee.acme[1001] (company acme is no longer in the configuration)",
				"unlink employee.acme[1002] (company acme is no longer in the configuration)",
				"unlink job.acme[9001] (company acme is no longer in the configuration)",
				"unlink job.acme[9002] (company acme is no longer in the configuration)",
			},
		},
		{
			name: "an office renamed in Personio renames the mapping of a location mapped by id",
			edit: func(_ *config.Config, s *Source, _ *State) {
				altona := &Office{ID: 2, Name: "Hamburg-Altona"}
				s.Offices[1] = *altona
				employeeByID(s, 1002).Office = altona
				s.Jobs[1].AdditionalOffices = []string{"Hamburg-Altona"}
			},
			want: []string{"update location.acme.hamburg (office 2 was renamed in Personio from Hamburg to Hamburg-Altona)"},
		},
		{
			name:      "a company that left the config is left alone under -company",
			companies: []string{"acme"},
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				cfg.Companies = cfg.Companies[:1]
			},
			want: nil,
		},
		{
			name:      "-company leaves other configured companies alone",
			companies: []string{"acme"},
			edit: func(_ *config.Config, s *Source, _ *State) {
				removeEmployee(s, 1004)
				employeeByID(s, 1001).Position = "CTO"
			},
			want: []string{"update employee.acme[1001]"},
		},
		{
			name: "off pauses the kind: nothing is touched even though Personio differs",
			edit: func(cfg *config.Config, s *Source, _ *State) {
				company(cfg, "acme").SyncEmployees = false
				employeeByID(s, 1001).LastName = "King"
				employeeByID(s, 1002).Status = "inactive"
				removeJob(s, 9001)
			},
			want: []string{"delete job.acme[9001] (no longer published)"},
		},
		{
			name: "employees off everywhere pause every company",
			edit: func(cfg *config.Config, s *Source, _ *State) {
				company(cfg, "acme").SyncEmployees = false
				company(cfg, "globex").SyncEmployees = false
				removeEmployee(s, 1001)
				removeEmployee(s, 1004)
			},
			want: nil,
		},
		{
			name: "jobs on in one company only",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				company(cfg, "acme").SyncJobs = false
				company(cfg, "globex").SyncJobs = true
			},
			want: []string{"create job.globex[9003]"},
		},
		{
			name: "the status filter drops statuses that are no longer synced",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				cfg.Personio.Statuses = []string{"active"}
			},
			want: []string{
				"delete employee.acme[1002] (status onboarding is not synced)",
				"delete employee.globex[1004] (status leave is not synced)",
			},
		},
		{
			name: "employee_fields feed a field from another attribute",
			edit: func(cfg *config.Config, _ *Source, _ *State) {
				cfg.Personio.EmployeeFields = map[string]config.FieldRef{FieldPosition: {Key: "dynamic_42"}}
			},
			want: []string{"update employee.acme[1001]", "update employee.acme[1002]", "update employee.globex[1004]"},
		},
		{
			name: "an unlinked employee with the same email is adopted, case-insensitively and once",
			edit: func(_ *config.Config, s *Source, cur *State) {
				s.Employees = append(s.Employees,
					emp(1011, "Hedy", "Lamarr", "hedy@acme.test", "active", berlin),
					emp(1012, "Hedy", "Lamarr", "HEDY@acme.test", "active", hamburg))
				cur.Employees = append(cur.Employees,
					Record{Type: TypeEmployee, Company: "acme", TargetID: 501, Attrs: AttrsOf(map[string]string{FieldEmail: "Hedy@ACME.test", FieldFirstName: "Hedy"})},
					Record{Type: TypeEmployee, Company: "globex", TargetID: 502, Attrs: AttrsOf(map[string]string{FieldEmail: "hedy@acme.test"})})
			},
			want: []string{
				"adopt employee.acme[1011] (an unlinked Gridwork employee has the email Hedy@ACME.test)",
				"create employee.acme[1012]",
			},
		},
		{
			name: "of two adoption candidates the lower target id is adopted",
			edit: func(_ *config.Config, s *Source, cur *State) {
				s.Employees = append(s.Employees, emp(1011, "Hedy", "Lamarr", "hedy@acme.test", "active", berlin))
				cur.Employees = append(cur.Employees,
					Record{Type: TypeEmployee, Company: "acme", TargetID: 702, Attrs: AttrsOf(map[string]string{FieldEmail: "hedy@acme.test"})},
					Record{Type: TypeEmployee, Company: "acme", TargetID: 701, Attrs: AttrsOf(map[string]string{FieldEmail: "hedy@acme.test"})})
			},
			want: []string{"adopt employee.acme[1011] (an unlinked Gridwork employee has the email hedy@acme.test)"},
		},
		{
			name: "a changed attribute in the target is set back",
			edit: func(_ *config.Config, _ *Source, cur *State) {
				cur.Jobs[0].Attrs = cur.Jobs[0].Attrs.With(FieldTitle, "Edited by hand")
			},
			want: []string{"update job.acme[9001]"},
		},
		{
			name: "a job falls back to its first mapped additional office",
			edit: func(_ *config.Config, s *Source, _ *State) {
				s.Jobs = append(s.Jobs, job(9010, "Designer", "Nowhere", "Atlantis", "Munich", "Berlin"))
			},
			want: []string{"create job.acme[9010]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, snap := baseConfig(), baseSnapshot()
			var cur State
			if !tt.empty {
				cur = syncedState(t)
			}
			if tt.edit != nil {
				tt.edit(cfg, snap, &cur)
			}
			p, diags := Build(cfg, snap, cur, BuildOptions{Companies: tt.companies, Now: testNow})
			if diags.HasErrors() {
				t.Fatalf("Build: %s", diags.Error())
			}
			diffLines(t, changeLines(p), tt.want)
			if p.Summary != summarize(p.Changes) {
				t.Errorf("summary %+v does not count the changes", p.Summary)
			}
			checkCounted(t, cfg, snap, cur, tt.companies, p)
		})
	}
}

// TestDesiredRefusesNoStatuses: a Config that names no synced status (one
// not built by the loader, which resolves the default) must not read as
// "sync nobody" and remove everyone.
func TestDesiredRefusesNoStatuses(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	cfg.Personio.Statuses = nil
	d, diags := Desired(cfg, snap, DesiredOptions{})
	if d != nil || !diags.HasErrors() || !strings.Contains(diags.Error(), "personio.statuses") {
		t.Fatalf("desired %v, diags %v: want no state and an error naming personio.statuses", d, diags)
	}
}
