package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gridwork/gridsync/plan"
)

// stagedColumns are the staging table's columns before the synced fields;
// location_id is NULL for a record without a location.
var stagedColumns = []string{"action", "target_id", "company_id", "location_id", "external_id"}

// writeRecords applies the employee or job changes of one table: unlinks
// and deletes by row id, then adoptions and creates/updates staged with
// COPY. Returns the number of rows that changed.
func writeRecords(ctx context.Context, tx pgx.Tx, t recordTable, changes []plan.Change, ids *targetIDs, startLog func()) (int64, error) {
	var staged []*plan.Change
	var unlink, del []int64
	adopts := false
	for i := range changes {
		c := &changes[i]
		if c.Type != t.typ {
			continue
		}
		switch c.Action {
		case plan.Create, plan.Update, plan.Adopt:
			staged = append(staged, c)
			adopts = adopts || c.Action == plan.Adopt
		case plan.Unlink:
			unlink = append(unlink, c.TargetID)
		case plan.Delete:
			del = append(del, c.TargetID)
		}
	}
	table := pgx.Identifier{t.table}.Sanitize()
	var rows int64

	// Unlinks and deletes are guarded: only rows still linked are touched,
	// so re-applying them is harmless.
	for _, op := range []struct {
		what, sql string
		ids       []int64
	}{
		{"unlinking", `update ` + table + ` set external_source = null, external_id = null, updated_at = now()`, unlink},
		{"deleting", `delete from ` + table, del},
	} {
		if len(op.ids) == 0 {
			continue
		}
		ct, err := tx.Exec(ctx, op.sql+` where id = any($1) and external_source = 'personio'`, op.ids)
		if err != nil {
			return 0, fmt.Errorf("%s %s: %w", op.what, t.table, err)
		}
		rows += ct.RowsAffected()
	}
	if len(staged) == 0 {
		return rows, nil
	}

	if err := stage(ctx, tx, t, staged, ids); err != nil {
		return 0, err
	}
	if adopts {
		n, err := adopt(ctx, tx, t)
		if err != nil {
			return 0, err
		}
		rows += n
	}
	// The upsert is the longest wait on the database; the client has a
	// core to spare for the sync log meanwhile.
	startLog()
	ct, err := tx.Exec(ctx, upsertSQL(t))
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", t.table, err)
	}
	return rows + ct.RowsAffected(), nil
}

// stage resolves the staged changes' company and location ids and copies
// them into the staging table.
func stage(ctx context.Context, tx pgx.Tx, t recordTable, staged []*plan.Change, ids *targetIDs) error {
	companyIDs := make([]int64, len(staged))
	locationIDs := make([]*int64, len(staged))
	for i, c := range staged {
		companyIDs[i] = ids.companies[c.Company] // present: loadTargetIDs checked every company
		if loc := c.After.Get(plan.FieldLocation); loc != "" {
			id, ok := ids.locations[[2]string{c.Company, loc}]
			if !ok {
				return fmt.Errorf("the plan puts %s into location %q of company %q, which does not exist; run gridsync plan again", c.Address, loc, c.Company)
			}
			locationIDs[i] = &id
		}
	}

	defs := "action text not null, target_id bigint not null, company_id bigint not null, location_id bigint, external_id text not null"
	cols := slices.Clone(stagedColumns)
	for _, f := range t.synced() {
		defs += ", " + pgx.Identifier{f.field}.Sanitize() + " text not null"
		cols = append(cols, f.field)
	}
	if _, err := tx.Exec(ctx, "create temp table "+pgx.Identifier{t.temp}.Sanitize()+" ("+defs+") on commit drop"); err != nil {
		return fmt.Errorf("staging %s: %w", t.table, err)
	}
	row := make([]any, len(cols))
	src := pgx.CopyFromSlice(len(staged), func(i int) ([]any, error) {
		c := staged[i]
		row[0], row[1], row[2], row[3], row[4] = string(c.Action), c.TargetID, companyIDs[i], locationIDs[i], c.Key
		for j, f := range t.synced() {
			row[len(stagedColumns)+j] = c.After.Get(f.field)
		}
		return row, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.temp}, cols, src); err != nil {
		return fmt.Errorf("staging %s: %w", t.table, err)
	}
	return nil
}

// adopt links the staged adoptions to their unlinked rows and fails if any
// row is no longer an unlinked record of its company.
func adopt(ctx context.Context, tx pgx.Tx, t recordTable) (int64, error) {
	table := pgx.Identifier{t.table}.Sanitize()
	temp := pgx.Identifier{t.temp}.Sanitize()
	set := []string{"external_source = 'personio'", "external_id = i.external_id", "location_id = i.location_id",
		"updated_at = now()", "synced_at = now()"}
	for _, f := range t.synced() {
		id := pgx.Identifier{f.field}.Sanitize()
		set = append(set, id+" = i."+id)
	}
	ct, err := tx.Exec(ctx, `update `+table+` as t set `+strings.Join(set, ", ")+`
from `+temp+` i
where i.action = 'adopt' and t.id = i.target_id and t.company_id = i.company_id and t.external_source is null`)
	if err != nil {
		return 0, fmt.Errorf("adopting %s: %w", t.table, err)
	}
	// An adoption that found nothing is fine only if the row is already
	// linked to the same Personio id (the plan was applied before).
	var id int64
	err = tx.QueryRow(ctx, `select i.target_id from `+temp+` i
where i.action = 'adopt' and not exists (
    select 1 from `+table+` t
    where t.id = i.target_id and t.company_id = i.company_id
      and t.external_source = 'personio' and t.external_id = i.external_id)
limit 1`).Scan(&id)
	if err == pgx.ErrNoRows {
		return ct.RowsAffected(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("checking adopted %s: %w", t.table, err)
	}
	return 0, fmt.Errorf("cannot adopt %s row %d: it is no longer an unlinked record of that company; run gridsync plan again", t.table, id)
}

// upsertSQL inserts the staged creates and updates, keyed by
// (company_id, external_source, external_id). A row whose synced columns
// already hold the staged values is left alone (no new row version, no
// updated_at change), which makes a no-change apply write nothing.
func upsertSQL(t recordTable) string {
	table := pgx.Identifier{t.table}.Sanitize()
	temp := pgx.Identifier{t.temp}.Sanitize()
	cols := []string{"location_id"}
	for _, f := range t.synced() {
		cols = append(cols, pgx.Identifier{f.field}.Sanitize())
	}
	var set, old, cur []string
	for _, c := range cols {
		set = append(set, c+" = excluded."+c)
		old = append(old, "t."+c)
		cur = append(cur, "excluded."+c)
	}
	return `insert into ` + table + ` as t (company_id, external_source, external_id, ` + strings.Join(cols, ", ") + `, synced_at)
select company_id, 'personio', external_id, ` + strings.Join(cols, ", ") + `, now()
from ` + temp + `
where action in ('create', 'update')
on conflict (company_id, external_source, external_id) do update set
    ` + strings.Join(set, ", ") + `, updated_at = now(), synced_at = now()
where (` + strings.Join(old, ", ") + `) is distinct from (` + strings.Join(cur, ", ") + `)`
}

const (
	upsertCompany = `
insert into companies as t (slug, name) values ($1, $2)
on conflict (slug) do update set name = excluded.name, updated_at = now()
where t.name is distinct from excluded.name`

	upsertLocation = `
insert into locations as t (company_id, slug, name, personio_office_id, personio_office_name)
select c.id, $2, $3, $4, nullif($5, '') from companies c where c.slug = $1
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
// that actually changed. It calls startLog once the upserts begin.
func writeChanges(ctx context.Context, tx pgx.Tx, p *plan.Plan, startLog func()) (int64, error) {
	rows, err := writeCompaniesAndLocations(ctx, tx, p.Changes)
	if err != nil {
		return 0, err
	}
	ids, err := loadTargetIDs(ctx, tx, p)
	if err != nil {
		return 0, err
	}
	for _, t := range []recordTable{employeeTable, jobTable} {
		n, err := writeRecords(ctx, tx, t, p.Changes, ids, startLog)
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
			b.Queue(upsertLocation, c.Company, c.Key, c.After.Get(plan.FieldName), office, c.After.Get(plan.FieldOfficeName)).Exec(count)
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
	rows, err := collect[struct {
		Slug, Location string
		ID, LocationID int64
	}](ctx, tx, selectTargetIDs, slugs)
	if err != nil {
		return nil, fmt.Errorf("reading company and location ids: %w", err)
	}
	for _, r := range rows {
		ids.companies[r.Slug] = r.ID
		if r.LocationID != 0 {
			ids.locations[[2]string{r.Slug, r.Location}] = r.LocationID
		}
	}
	for _, slug := range slugs {
		if ids.companies[slug] == 0 {
			return nil, fmt.Errorf("the plan refers to company %q, which is not in the Gridwork database and not created by the plan; run gridsync plan again", slug)
		}
	}
	return ids, nil
}
