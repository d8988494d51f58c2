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

// recordTable is one synced record table, employees or jobs. Its field
// names are the plan.Field* constants, which are also the column names.
//
// sql reads its records (see read): each row is the number of rows (a
// window count, so the records are allocated once, at their size), the
// company slug, the row id, whether it is linked, the external id, then
// one text column per field, in the order of fields: the location (its
// slug; written as location_id), then the synced fields.
type recordTable struct {
	typ    plan.Type
	table  string
	temp   string // per-transaction staging table (ON COMMIT DROP)
	sql    string
	fields []column
}

// column is a field's column. A shared one's values repeat across rows
// (few distinct values): each is kept once, not once per row.
type column struct {
	field  string
	shared bool
}

var (
	employeeTable = recordTable{
		typ: plan.TypeEmployee, table: "employees", temp: "gridsync_employees_in", sql: selectEmployees,
		fields: []column{
			{plan.FieldLocation, true}, {plan.FieldFirstName, false}, {plan.FieldLastName, false}, {plan.FieldGender, true},
			{plan.FieldPosition, true}, {plan.FieldEmail, false}, {plan.FieldStatus, true}, {plan.FieldProfileImageURL, false},
		},
	}
	jobTable = recordTable{
		typ: plan.TypeJob, table: "jobs", temp: "gridsync_jobs_in", sql: selectJobs,
		fields: []column{
			{plan.FieldLocation, true}, {plan.FieldTitle, false}, {plan.FieldDescription, false}, {plan.FieldEmploymentType, true},
			{plan.FieldSchedule, true}, {plan.FieldDepartment, true}, {plan.FieldApplicationURL, false}, {plan.FieldStatus, true},
		},
	}
)

// synced are the fields written as they are: all but the location.
func (t recordTable) synced() []column { return t.fields[1:] }

// read runs the query and builds its records as rows arrive. A row's own
// text (external id and the values that are not shared) is one string
// that its values are slices of, rather than a string per column; it is
// gathered in a buffer reused from row to row.
func (q recordTable) read(ctx context.Context, db querier, in interner, args ...any) ([]plan.Record, error) {
	rows, err := db.Query(ctx, q.sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	const first = 5 // the columns before the fields
	var (
		recs   []plan.Record
		n, id  int64
		linked bool
		dest   = make([]any, first+len(q.fields)) // nil: not scanned
		pairs  = make([]string, 2*len(q.fields))
		own    []byte
	)
	dest[0], dest[2], dest[3] = &n, &id, &linked
	for i, f := range q.fields {
		pairs[2*i] = f.field
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if recs == nil {
			recs = make([]plan.Record, 0, n)
		}
		raw := rows.RawValues()
		own = append(own[:0], raw[4]...)
		for i, f := range q.fields {
			if !f.shared {
				own = append(own, raw[first+i]...)
			}
		}
		text := string(own)
		extID, text := text[:len(raw[4])], text[len(raw[4]):]
		for i, f := range q.fields {
			v := raw[first+i]
			if f.shared {
				pairs[2*i+1] = in.bytes(v)
			} else {
				pairs[2*i+1], text = text[:len(v)], text[len(v):]
			}
		}
		recs = append(recs, plan.Record{
			Type: q.typ, Company: in.bytes(raw[1]), ExternalID: extID, TargetID: id, Linked: linked,
			Attrs: plan.NewAttrs(pairs...),
		})
	}
	return recs, rows.Err()
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
select count(*) over (), c.slug, e.id, e.external_source is not null,
       coalesce(e.external_id, ''), coalesce(l.slug, ''),
       e.first_name, e.last_name, e.gender, e.position, e.email, e.status, e.profile_image_url
from employees e
join companies c on c.id = e.company_id
left join locations l on l.id = e.location_id
where (c.slug = any($1) and (e.external_source = 'personio' or (e.external_source is null and e.email <> '')))
   or ($2 and not c.slug = any($1) and e.external_source = 'personio')
order by c.slug collate "C", coalesce(e.external_id, '') collate "C", e.id`

	selectJobs = `
select count(*) over (), c.slug, j.id, true, j.external_id, coalesce(l.slug, ''),
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
	// is not held twice.
	in := interner{}
	if st.Employees, err = employeeTable.read(ctx, db, in, slugs, q.IncludeUnconfigured); err != nil {
		return st, fmt.Errorf("reading employees: %w", err)
	}
	if st.Jobs, err = jobTable.read(ctx, db, in, slugs, q.IncludeUnconfigured); err != nil {
		return st, fmt.Errorf("reading jobs: %w", err)
	}
	return st, nil
}

// interner keeps one copy of each value it is given.
type interner map[string]string

func (in interner) bytes(b []byte) string {
	if v, ok := in[string(b)]; ok {
		return v
	}
	s := string(b)
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
