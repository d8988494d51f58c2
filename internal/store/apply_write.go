package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridwork/gridsync/plan"
)

const (
	upsertCompany = `
insert into companies as t (slug, name) values ($1, $2)
on conflict (slug) do update set name = excluded.name, updated_at = now()
where t.name is distinct from excluded.name`

	upsertLocation = `
insert into locations as t (company_id, slug, name, personio_office_id, personio_office_name)
select c.id, $2, $3, $4, $5 from companies c where c.slug = $1
on conflict (company_id, slug) do update set
    name = excluded.name,
    personio_office_id = excluded.personio_office_id,
    personio_office_name = excluded.personio_office_name,
    updated_at = now()
where (t.name, t.personio_office_id, t.personio_office_name)
      is distinct from (excluded.name, excluded.personio_office_id, excluded.personio_office_name)`

	selectTargetIDs = `
select c.slug, c.id, coalesce(l.slug, '') as location, coalesce(l.id, 0) as location_id
from companies c left join locations l on l.company_id = c.id
where c.slug = any($1)`
)

// writeChanges writes every change of p and returns the number of rows
// that actually changed. It starts encoding log once the upserts begin.
func writeChanges(ctx context.Context, tx pgx.Tx, p *plan.Plan, log *pendingLog) (int64, error) {
	var rows int64
	n, err := writeCompaniesAndLocations(ctx, tx, p.Changes)
	if err != nil {
		return 0, err
	}
	rows += n
	ids, err := loadTargetIDs(ctx, tx, p)
	if err != nil {
		return 0, err
	}
	for _, t := range []recordTable{employeeTable, jobTable} {
		n, err := writeRecords(ctx, tx, t, p.Changes, ids, log)
		if err != nil {
			return 0, err
		}
		rows += n
	}
	return rows, nil
}

// writeCompaniesAndLocations upserts companies first, then locations, in one
// round trip; their number is small (one per HCL block).
func writeCompaniesAndLocations(ctx context.Context, tx pgx.Tx, changes []plan.Change) (int64, error) {
	var rows int64
	count := func(ct pgconn.CommandTag) error { rows += ct.RowsAffected(); return nil }
	b := &pgx.Batch{}
	for _, c := range changes {
		if c.Type == plan.TypeCompany && (c.Action == plan.Create || c.Action == plan.Update) {
			b.Queue(upsertCompany, c.Company, c.After.Get(plan.FieldName)).Exec(count)
		}
	}
	for _, c := range changes {
		if c.Type == plan.TypeLocation && (c.Action == plan.Create || c.Action == plan.Update) {
			office, _ := parseOfficeID(c.After.Get(plan.FieldOfficeID)) // validated before
			b.Queue(upsertLocation, c.Company, c.Key, c.After.Get(plan.FieldName), office,
				nullIfEmpty(c.After.Get(plan.FieldOfficeName))).Exec(count)
		}
	}
	if b.Len() == 0 {
		return 0, nil
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("writing companies and locations: %w", err)
	}
	return rows, nil
}

// targetIDs maps company slugs and (company, location) slugs to row ids.
type targetIDs struct {
	companies map[string]int64
	locations map[[2]string]int64
}

// loadTargetIDs reads the ids of every company the plan touches or covers,
// and of their locations, after companies and locations were written. A
// company that is neither in the database nor created by the plan is an
// error, so that no write below can silently skip a change. Resolving ids
// here keeps joins out of the bulk statements.
func loadTargetIDs(ctx context.Context, tx pgx.Tx, p *plan.Plan) (*targetIDs, error) {
	seen := map[string]bool{}
	var slugs []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			slugs = append(slugs, s)
		}
	}
	for _, c := range p.Changes {
		if c.Action != plan.NoOp {
			add(c.Company)
		}
	}
	for _, sc := range p.Scope {
		add(sc.Company)
	}
	ids := &targetIDs{companies: map[string]int64{}, locations: map[[2]string]int64{}}
	if len(slugs) == 0 {
		return ids, nil
	}
	rows, err := tx.Query(ctx, selectTargetIDs, slugs)
	if err != nil {
		return nil, fmt.Errorf("reading company and location ids: %w", err)
	}
	var company, location string
	var companyID, locationID int64
	_, err = pgx.ForEachRow(rows, []any{&company, &companyID, &location, &locationID}, func() error {
		ids.companies[company] = companyID
		if locationID != 0 {
			ids.locations[[2]string{company, location}] = locationID
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading company and location ids: %w", err)
	}
	for _, slug := range slugs {
		if ids.companies[slug] == 0 {
			return nil, fmt.Errorf("the plan refers to company %q, which is not in the Gridwork database and not created by the plan; run gridsync plan again", slug)
		}
	}
	return ids, nil
}
