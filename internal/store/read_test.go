package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/gridwork/gridsync/plan"
)

func TestReadState(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	p := basePlan()
	p.Changes = append(p.Changes,
		company("initech", "Initech"),
		location("initech", "austin", "Austin", "14", "Austin"),
		employee("initech", "3001", "austin", "Peter", "Gibbons", "peter@initech.test"),
		employee("acme", "999", "", "Nine", "Nine", "nine@acme.test"), // sorts after 1002: ids compare as text
	)
	if _, err := s.Apply(ctx, p, ApplyOptions{}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	mustExec(t, s, `insert into employees (company_id, first_name, email, location_id)
		select c.id, v.first, v.email, l.id from (values
			('acme', 'Candidate', 'Cand@Acme.test', 'remote'),
			('acme', 'NoEmail', '', null),
			('globex', 'GlobexCandidate', 'gc@globex.test', null)) as v(company, first, email, loc)
		join companies c on c.slug = v.company left join locations l on l.company_id = c.id and l.slug = v.loc`)
	mustExec(t, s, `insert into employees (company_id, external_source, external_id, first_name, email)
		select id, 'workday', 'w1', 'OtherSource', 'o@acme.test' from companies where slug = 'acme'`)

	tests := []struct {
		name                       string
		q                          Query
		companies, employees, jobs []string
	}{
		{"one company", Query{Companies: []string{"acme"}},
			[]string{"acme Acme GmbH [berlin-hq Berlin HQ 11 Berlin] [remote Remote 0 ]"},
			[]string{"acme  unlinked Candidate remote", "acme 1001 linked Ada berlin-hq", "acme 1002 linked Alan berlin-hq", "acme 999 linked Nine "},
			[]string{"acme 9001 linked Go Engineer berlin-hq"}},
		{"with unconfigured companies", Query{Companies: []string{"acme"}, IncludeUnconfigured: true},
			[]string{"acme Acme GmbH [berlin-hq Berlin HQ 11 Berlin] [remote Remote 0 ]",
				"globex Globex [munich Munich 12 München]", "initech Initech [austin Austin 14 Austin]"},
			// Unconfigured companies contribute linked records only.
			[]string{"acme  unlinked Candidate remote", "acme 1001 linked Ada berlin-hq", "acme 1002 linked Alan berlin-hq", "acme 999 linked Nine ",
				"globex 2001 linked Grace munich", "initech 3001 linked Peter austin"},
			[]string{"acme 9001 linked Go Engineer berlin-hq"}},
		{"two companies", Query{Companies: []string{"globex", "initech"}},
			[]string{"globex Globex [munich Munich 12 München]", "initech Initech [austin Austin 14 Austin]"},
			[]string{"globex  unlinked GlobexCandidate ", "globex 2001 linked Grace munich", "initech 3001 linked Peter austin"},
			nil},
		{"unknown company", Query{Companies: []string{"nosuch"}}, nil, nil, nil},
		{"nothing", Query{}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := s.ReadState(ctx, tt.q)
			if err != nil {
				t.Fatalf("ReadState: %v", err)
			}
			var companies, employees, jobs []string
			for _, c := range st.Companies {
				line := c.Slug + " " + c.Name
				for _, l := range c.Locations {
					line += fmt.Sprintf(" [%s %s %d %s]", l.Slug, l.Name, l.OfficeID, l.OfficeName)
				}
				companies = append(companies, line)
			}
			summary := func(r plan.Record, first string) string {
				linked := "unlinked"
				if r.Linked {
					linked = "linked"
				}
				return fmt.Sprintf("%s %s %s %s %s", r.Company, r.ExternalID, linked, r.Attrs.Get(first), r.Attrs.Get(plan.FieldLocation))
			}
			for _, r := range st.Employees {
				employees = append(employees, summary(r, plan.FieldFirstName))
			}
			for _, r := range st.Jobs {
				jobs = append(jobs, summary(r, plan.FieldTitle))
			}
			equalLines(t, "companies", companies, tt.companies)
			equalLines(t, "employees", employees, tt.employees)
			equalLines(t, "jobs", jobs, tt.jobs)
		})
	}

	t.Run("record shape", func(t *testing.T) {
		st, err := s.ReadState(ctx, Query{Companies: []string{"acme"}})
		if err != nil {
			t.Fatal(err)
		}
		want := plan.Record{Type: plan.TypeEmployee, Company: "acme", ExternalID: "1001", TargetID: rowID(t, s, "employees", "1001"), Linked: true,
			Attrs: p.Changes[5].After}
		if got := st.Employees[1]; !reflect.DeepEqual(got, want) {
			t.Errorf("employee record:\n got %+v\nwant %+v", got, want)
		}
		wantJob := plan.Record{Type: plan.TypeJob, Company: "acme", ExternalID: "9001", TargetID: rowID(t, s, "jobs", "9001"), Linked: true,
			Attrs: p.Changes[8].After}
		if got := st.Jobs[0]; !reflect.DeepEqual(got, wantJob) {
			t.Errorf("job record:\n got %+v\nwant %+v", got, wantJob)
		}
		if c := st.Employees[0]; c.Linked || c.TargetID == 0 || c.Attrs.Get(plan.FieldEmail) != "Cand@Acme.test" {
			t.Errorf("adoption candidate = %+v", c)
		}
	})
}

func TestStatusAndHistory(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.Apply(ctx, basePlan(), ApplyOptions{Actor: "ada", GitCommit: "c0ffee"}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	st, err := s.Status(ctx, []string{"acme", "globex", "newco"})
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	var got []string
	for _, c := range st {
		got = append(got, fmt.Sprintf("%s %q exists=%t %s enabled=%s synced=%t run=%d linked=%d",
			c.Company, c.Name, c.Exists, c.Kind, fmtBool(c.Enabled), c.LastSyncedAt != nil, c.LastRunID, c.Linked))
	}
	equalLines(t, "status", got, []string{
		`acme "Acme GmbH" exists=true employees enabled=true synced=true run=1 linked=2`,
		`acme "Acme GmbH" exists=true jobs enabled=true synced=true run=1 linked=1`,
		`globex "Globex" exists=true employees enabled=true synced=true run=1 linked=1`,
		`globex "Globex" exists=true jobs enabled=false synced=false run=0 linked=0`,
		`newco "" exists=false employees enabled=nil synced=false run=0 linked=0`,
		`newco "" exists=false jobs enabled=nil synced=false run=0 linked=0`,
	})
	all, err := s.Status(ctx, nil)
	if err != nil || len(all) != 4 {
		t.Errorf("Status(all) = %d rows, %v; want 4", len(all), err)
	}

	for range 3 {
		if _, err := s.Apply(ctx, &plan.Plan{Scope: basePlan().Scope}, ApplyOptions{Actor: "bot"}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.History(ctx, 2)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if len(runs) != 2 || runs[0].ID != 4 || runs[1].ID != 3 || runs[0].Actor != "bot" {
		t.Errorf("History(2) = %+v, want runs 4 and 3", runs)
	}
	runs, err = s.History(ctx, 0)
	if err != nil || len(runs) != 4 {
		t.Fatalf("History(0) = %d runs, %v; want 4", len(runs), err)
	}
	if r := runs[3]; r.Actor != "ada" || r.GitCommit != "c0ffee" || r.Created != 9 || r.RowsWritten != 9 || r.Outcome != "succeeded" {
		t.Errorf("first run = %+v", r)
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprint(*b)
}
