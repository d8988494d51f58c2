package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

// Query selects the part of the target that a plan covers.
type Query struct {
	// Companies are the configured company slugs in scope.
	Companies []string
	// IncludeUnconfigured adds every other company and its linked records,
	// so that the engine can unlink records of companies that left the
	// config. Set it only when no -company filter narrows the plan.
	IncludeUnconfigured bool
}

// querier is what reads need from a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// ReadState reads the target state of the companies in q: each company with
// its locations, its Personio-linked employees and jobs, and its unlinked
// employees that have an email (adoption candidates, Linked=false). With
// q.IncludeUnconfigured it adds all other companies and their linked
// records. Records are sorted by company, external id, then row id.
func (s *Store) ReadState(ctx context.Context, q Query) (plan.State, error) {
	// One snapshot for the four queries, so that a concurrent write by the
	// app cannot give a state (and a digest) that never existed.
	var st plan.State
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		st, err = readState(ctx, tx, q)
		return err
	})
	if err != nil {
		return plan.State{}, fmt.Errorf("reading the Gridwork database at %s: %w", s.where, err)
	}
	return st, nil
}

type companyRow struct {
	ID   int64  `db:"id"`
	Slug string `db:"slug"`
	Name string `db:"name"`
}

type locationRow struct {
	CompanyID  int64  `db:"company_id"`
	Slug       string `db:"slug"`
	Name       string `db:"name"`
	OfficeID   int64  `db:"office_id"`
	OfficeName string `db:"office_name"`
}

type employeeRow struct {
	Company         string `db:"company"`
	ID              int64  `db:"id"`
	Linked          bool   `db:"linked"`
	ExternalID      string `db:"external_id"`
	Location        string `db:"location"`
	FirstName       string `db:"first_name"`
	LastName        string `db:"last_name"`
	Gender          string `db:"gender"`
	Position        string `db:"position"`
	Email           string `db:"email"`
	Status          string `db:"status"`
	ProfileImageURL string `db:"profile_image_url"`
}

func (r employeeRow) record() plan.Record {
	return plan.Record{
		Type: plan.TypeEmployee, Company: r.Company, ExternalID: r.ExternalID, TargetID: r.ID, Linked: r.Linked,
		Attrs: plan.NewAttrs(
			plan.FieldFirstName, r.FirstName,
			plan.FieldLastName, r.LastName,
			plan.FieldGender, r.Gender,
			plan.FieldPosition, r.Position,
			plan.FieldEmail, r.Email,
			plan.FieldStatus, r.Status,
			plan.FieldProfileImageURL, r.ProfileImageURL,
			plan.FieldLocation, r.Location,
		),
	}
}

type jobRow struct {
	Company        string `db:"company"`
	ID             int64  `db:"id"`
	ExternalID     string `db:"external_id"`
	Location       string `db:"location"`
	Title          string `db:"title"`
	Description    string `db:"description"`
	EmploymentType string `db:"employment_type"`
	Schedule       string `db:"schedule"`
	Department     string `db:"department"`
	ApplicationURL string `db:"application_url"`
	Status         string `db:"status"`
}

func (r jobRow) record() plan.Record {
	return plan.Record{
		Type: plan.TypeJob, Company: r.Company, ExternalID: r.ExternalID, TargetID: r.ID, Linked: true,
		Attrs: plan.NewAttrs(
			plan.FieldTitle, r.Title,
			plan.FieldDescription, r.Description,
			plan.FieldEmploymentType, r.EmploymentType,
			plan.FieldSchedule, r.Schedule,
			plan.FieldDepartment, r.Department,
			plan.FieldLocation, r.Location,
			plan.FieldApplicationURL, r.ApplicationURL,
			plan.FieldStatus, r.Status,
		),
	}
}

// Sorting uses COLLATE "C" so that the database orders strings byte-wise,
// exactly as Go compares them; the engine relies on that order.
const (
	selectCompanies = `
select id, slug, name from companies
where slug = any($1) or $2
order by slug collate "C"`

	selectLocations = `
select company_id, slug, name,
       coalesce(personio_office_id, 0) as office_id,
       coalesce(personio_office_name, '') as office_name
from locations
where company_id = any($1)
order by company_id, slug collate "C"`

	selectEmployees = `
select c.slug as company, e.id, e.external_source is not null as linked,
       coalesce(e.external_id, '') as external_id, coalesce(l.slug, '') as location,
       e.first_name, e.last_name, e.gender, e.position, e.email, e.status, e.profile_image_url
from employees e
join companies c on c.id = e.company_id
left join locations l on l.id = e.location_id
where (c.slug = any($1) and (e.external_source = 'personio' or (e.external_source is null and e.email <> '')))
   or ($2 and not c.slug = any($1) and e.external_source = 'personio')
order by c.slug collate "C", coalesce(e.external_id, '') collate "C", e.id`

	selectJobs = `
select c.slug as company, j.id, j.external_id, coalesce(l.slug, '') as location,
       j.title, j.description, j.employment_type, j.schedule, j.department, j.application_url, j.status
from jobs j
join companies c on c.id = j.company_id
left join locations l on l.id = j.location_id
where j.external_source = 'personio' and (c.slug = any($1) or $2)
order by c.slug collate "C", j.external_id collate "C", j.id`
)

func readState(ctx context.Context, db querier, q Query) (plan.State, error) {
	slugs := q.Companies
	if slugs == nil {
		slugs = []string{}
	}
	var st plan.State

	companies, err := collect[companyRow](ctx, db, selectCompanies, slugs, q.IncludeUnconfigured)
	if err != nil {
		return st, fmt.Errorf("reading companies: %w", err)
	}
	ids := make([]int64, len(companies))
	index := make(map[int64]int, len(companies))
	st.Companies = make([]plan.CompanyState, len(companies))
	for i, c := range companies {
		ids[i] = c.ID
		index[c.ID] = i
		st.Companies[i] = plan.CompanyState{Slug: c.Slug, Name: c.Name}
	}

	locations, err := collect[locationRow](ctx, db, selectLocations, ids)
	if err != nil {
		return st, fmt.Errorf("reading locations: %w", err)
	}
	for _, l := range locations {
		cs := &st.Companies[index[l.CompanyID]]
		cs.Locations = append(cs.Locations, plan.LocationState{Slug: l.Slug, Name: l.Name, OfficeID: l.OfficeID, OfficeName: l.OfficeName})
	}

	// Rows become records as they are read: a target of 100,000 employees
	// is not held twice. The values every row repeats (company, location,
	// gender, status) are kept once.
	in := interner{}
	st.Employees, err = collectRecords(ctx, db, selectEmployees, func(row pgx.CollectableRow) (plan.Record, error) {
		e, err := pgx.RowToStructByName[employeeRow](row)
		e.Company, e.Location, e.Gender, e.Status = in.of(e.Company), in.of(e.Location), in.of(e.Gender), in.of(e.Status)
		return e.record(), err
	}, slugs, q.IncludeUnconfigured)
	if err != nil {
		return st, fmt.Errorf("reading employees: %w", err)
	}
	st.Jobs, err = collectRecords(ctx, db, selectJobs, func(row pgx.CollectableRow) (plan.Record, error) {
		j, err := pgx.RowToStructByName[jobRow](row)
		j.Company, j.Location, j.Status = in.of(j.Company), in.of(j.Location), in.of(j.Status)
		return j.record(), err
	}, slugs, q.IncludeUnconfigured)
	if err != nil {
		return st, fmt.Errorf("reading jobs: %w", err)
	}
	return st, nil
}

// collectRecords reads the rows of sql as records.
func collectRecords(ctx context.Context, db querier, sql string, fn pgx.RowToFunc[plan.Record], args ...any) ([]plan.Record, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, fn)
}

// interner keeps one copy of each value it is given.
type interner map[string]string

func (in interner) of(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

func collect[T any](ctx context.Context, db querier, sql string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[T])
}
