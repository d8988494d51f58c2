package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/internal/store/storetest"
	"github.com/gridwork/gridsync/plan"
)

// newStore returns a store on a fresh, migrated database.
func newStore(t testing.TB) *Store {
	t.Helper()
	s := openFresh(t)
	if _, _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

// openFresh returns a store on a fresh, empty database.
func openFresh(t testing.TB) *Store {
	t.Helper()
	url := storetest.NewDatabase(t)
	s, err := Open(context.Background(), url, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// exec runs SQL as a foreign writer (not gridsync) and returns its error.
func exec(s *Store, sql string, args ...any) error {
	_, err := s.pool.Exec(context.Background(), sql, args...)
	return err
}

func mustExec(t testing.TB, s *Store, sql string, args ...any) {
	t.Helper()
	if err := exec(s, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// dump returns the rows of query as "a|b|c" lines, for exact comparisons.
func dump(t testing.TB, s *Store, query string) []string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		vals, err := row.Values()
		if err != nil {
			return "", err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "NULL"
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		return strings.Join(parts, "|"), nil
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return lines
}

const (
	dumpEmployees = `select c.slug, coalesce(l.slug, '-'), coalesce(e.external_source, '-'), coalesce(e.external_id, '-'),
       e.first_name, e.last_name, e.gender, e.position, e.email, e.status, e.profile_image_url
from employees e join companies c on c.id = e.company_id left join locations l on l.id = e.location_id
order by c.slug, e.external_id, e.id`
	dumpJobs = `select c.slug, coalesce(l.slug, '-'), coalesce(j.external_source, '-'), coalesce(j.external_id, '-'),
       j.title, j.description, j.employment_type, j.schedule, j.department, j.application_url, j.status
from jobs j join companies c on c.id = j.company_id left join locations l on l.id = j.location_id
order by c.slug, j.external_id, j.id`
	dumpLocations = `select c.slug, c.name, l.slug, l.name, l.personio_office_id, l.personio_office_name
from locations l join companies c on c.id = l.company_id order by c.slug, l.slug`
	// dumpVersions captures every data row's version: a write, even one
	// that changes nothing, gives a row a new xmin.
	dumpVersions = `select 'c', id, xmin::text, updated_at from companies
union all select 'l', id, xmin::text, updated_at from locations
union all select 'e', id, xmin::text, updated_at from employees
union all select 'j', id, xmin::text, updated_at from jobs
order by 1, 2`
)

func equalLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Builders for hand-made plans.

func company(slug, name string) plan.Change {
	return plan.Change{Address: "company." + slug, Type: plan.TypeCompany, Company: slug, Key: slug,
		Action: plan.Create, After: plan.AttrsOf(map[string]string{plan.FieldName: name})}
}

func location(company, slug, name, officeID, officeName string) plan.Change {
	return plan.Change{Address: "location." + company + "." + slug, Type: plan.TypeLocation, Company: company, Key: slug,
		Action: plan.Create, After: plan.AttrsOf(map[string]string{plan.FieldName: name, plan.FieldOfficeID: officeID, plan.FieldOfficeName: officeName})}
}

func employee(company, id, loc, first, last, email string) plan.Change {
	return plan.Change{Address: "employee." + company + "[" + id + "]", Type: plan.TypeEmployee, Company: company, Key: id,
		Action: plan.Create, Reason: "new in Personio",
		After: plan.AttrsOf(map[string]string{plan.FieldFirstName: first, plan.FieldLastName: last, plan.FieldGender: "diverse",
			plan.FieldPosition: "Engineer", plan.FieldEmail: email, plan.FieldStatus: "active",
			plan.FieldProfileImageURL: "https://img.test/" + id, plan.FieldLocation: loc})}
}

func job(company, id, loc, title string) plan.Change {
	return plan.Change{Address: "job." + company + "[" + id + "]", Type: plan.TypeJob, Company: company, Key: id,
		Action: plan.Create,
		After: plan.AttrsOf(map[string]string{plan.FieldTitle: title, plan.FieldDescription: "<p>Join us</p>", plan.FieldEmploymentType: "permanent",
			plan.FieldSchedule: "full-time", plan.FieldDepartment: "R&D", plan.FieldLocation: loc,
			plan.FieldApplicationURL: "https://jobs.test/" + id, plan.FieldStatus: "published"})}
}

// with returns c turned into action on row target, with before/after.
func with(c plan.Change, action plan.Action, target int64, before, after plan.Attrs) plan.Change {
	c.Action, c.TargetID, c.Before, c.After = action, target, before, after
	return c
}

// basePlan is a first sync of two companies.
func basePlan() *plan.Plan {
	return &plan.Plan{
		Scope:        []plan.Scope{{Company: "acme", Employees: true, Jobs: true}, {Company: "globex", Employees: true, Jobs: false}},
		AllCompanies: true,
		Digests:      plan.Digests{Config: "cfg1", Personio: "pers1", Target: "tgt1"},
		Changes: []plan.Change{
			company("acme", "Acme GmbH"),
			company("globex", "Globex"),
			location("acme", "berlin-hq", "Berlin HQ", "11", "Berlin"),
			location("acme", "remote", "Remote", "", ""),
			location("globex", "munich", "Munich", "12", "München"),
			employee("acme", "1001", "berlin-hq", "Ada", "Lovelace", "ada@acme.test"),
			employee("acme", "1002", "berlin-hq", "Alan", "Turing", "alan@acme.test"),
			employee("globex", "2001", "munich", "Grace", "Hopper", "grace@globex.test"),
			job("acme", "9001", "berlin-hq", "Go Engineer"),
		},
	}
}

// rowID returns the id of the employees or jobs row linked to external id.
func rowID(t testing.TB, s *Store, table, externalID string) int64 {
	t.Helper()
	var id int64
	err := s.pool.QueryRow(context.Background(),
		"select id from "+pgx.Identifier{table}.Sanitize()+" where external_id = $1", externalID).Scan(&id)
	if err != nil {
		t.Fatalf("row of %s %s: %v", table, externalID, err)
	}
	return id
}
