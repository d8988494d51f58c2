package store

import (
	"context"
	"fmt"
	"time"
)

// CompanyStatus is one company's sync status for one kind.
type CompanyStatus struct {
	Company string `db:"company" json:"company"`
	// Name is the company's name in Gridwork; Exists is false when gridsync
	// has not created the company yet.
	Name   string `db:"name" json:"name"`
	Exists bool   `db:"exists" json:"exists"`
	Kind   string `db:"kind" json:"kind"` // "employees" or "jobs"
	// Enabled is the effective toggle the last apply used; nil before the
	// first apply.
	Enabled *bool `db:"enabled" json:"enabled"`
	// LastSyncedAt is nil when the kind never synced.
	LastSyncedAt *time.Time `db:"last_synced_at" json:"last_synced_at"`
	LastRunID    int64      `db:"last_run_id" json:"last_run_id,omitempty"`
	// LastAttemptAt is the last run that tried to sync the kind, whatever
	// its outcome (nil: never tried); LastOutcome is "succeeded",
	// "refused" or "failed", and LastError its reason, one line.
	LastAttemptAt    *time.Time `db:"last_attempt_at" json:"last_attempt_at"`
	LastAttemptRunID int64      `db:"last_attempt_run_id" json:"last_attempt_run_id,omitempty"`
	LastOutcome      string     `db:"last_outcome" json:"last_outcome,omitempty"`
	LastError        string     `db:"last_error" json:"last_error,omitempty"`
	// Linked counts the company's records of this kind linked to Personio.
	Linked int64 `db:"linked" json:"linked"`
}

const selectStatus = `
with wanted as (
    select s.slug from unnest($1::text[]) as s(slug) where cardinality($1::text[]) > 0
    union
    select slug from companies where cardinality($1::text[]) = 0
)
select w.slug as company, coalesce(c.name, '') as name, c.id is not null as exists, k.kind,
       cs.enabled, cs.last_synced_at, coalesce(cs.last_run_id, 0) as last_run_id,
       ss.last_attempt_at, coalesce(ss.last_run_id, 0) as last_attempt_run_id,
       coalesce(ss.last_outcome, '') as last_outcome, coalesce(ss.last_error, '') as last_error,
       case k.kind
           when 'employees' then (select count(*) from employees e where e.company_id = c.id and e.external_source = 'personio')
           else (select count(*) from jobs j where j.company_id = c.id and j.external_source = 'personio')
       end as linked
from wanted w
left join companies c on c.slug = w.slug
cross join (values ('employees'), ('jobs')) as k(kind)
left join company_sync cs on cs.company_id = c.id and cs.kind = k.kind
left join sync_status ss on ss.company = w.slug and ss.kind = k.kind
order by w.slug collate "C", k.kind`

// Status reports, for each company slug and kind, the last sync, the last
// attempt and the number of linked records. Companies not yet in the database are listed
// with Exists false. An empty list means every company in the database.
func (s *Store) Status(ctx context.Context, companies []string) ([]CompanyStatus, error) {
	if companies == nil {
		companies = []string{}
	}
	st, err := collect[CompanyStatus](ctx, s.pool, selectStatus, companies)
	if err != nil {
		return nil, fmt.Errorf("reading sync status from the Gridwork database at %s: %w", s.where, err)
	}
	return st, nil
}
