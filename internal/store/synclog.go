package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

const insertRun = `
insert into sync_runs (started_at, finished_at, outcome, error, git_commit, actor, config_dir,
    config_digest, personio_digest, target_digest, plan_digest,
    created, updated, adopted, unlinked, deleted, rows_written)
values ($1, clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
returning id`

// upsertCompanySync records each scope company's effective toggles and,
// for the enabled kinds, the last-synced time. A paused kind keeps the time
// of its last real sync.
const upsertCompanySync = `
insert into company_sync (company_id, kind, enabled, last_synced_at, last_run_id)
select c.id, k.kind, k.enabled,
       case when k.enabled then now() end,
       case when k.enabled then $4::bigint end
from unnest($1::text[], $2::text[], $3::boolean[]) as k(company, kind, enabled)
join companies c on c.slug = k.company
on conflict (company_id, kind) do update set
    enabled = excluded.enabled,
    last_synced_at = coalesce(excluded.last_synced_at, company_sync.last_synced_at),
    last_run_id = coalesce(excluded.last_run_id, company_sync.last_run_id)`

var changeColumns = []string{"run_id", "seq", "address", "action", "type", "company", "key", "target_id", "before", "after", "reason"}

// writeRun records a succeeded run, its changes and the last-synced times.
func writeRun(ctx context.Context, tx pgx.Tx, p *plan.Plan, log *syncLog, opts ApplyOptions, res *Result) (int64, error) {
	changes, digest := log.changes, log.digest
	var runID int64
	err := tx.QueryRow(ctx, insertRun, opts.StartedAt, "succeeded", "", opts.GitCommit, opts.Actor, opts.ConfigDir,
		p.Digests.Config, p.Digests.Personio, p.Digests.Target, digest,
		res.Created, res.Updated, res.Adopted, res.Unlinked, res.Deleted, res.RowsWritten).Scan(&runID)
	if err != nil {
		return 0, fmt.Errorf("writing the sync log: %w", err)
	}

	if len(changes) > 0 {
		row := make([]any, len(changeColumns))
		src := pgx.CopyFromSlice(len(changes), func(i int) ([]any, error) {
			c := changes[i]
			var target *int64
			if c.TargetID != 0 {
				target = &c.TargetID
			}
			// A nil json.RawMessage would encode as JSON null; SQL NULL is meant.
			var before, after any
			if c.before != nil {
				before = c.before
			}
			if c.after != nil {
				after = c.after
			}
			row[0], row[1], row[2], row[3], row[4], row[5] = runID, int32(i+1), c.Address, string(c.Action), string(c.Type), c.Company
			row[6], row[7], row[8], row[9], row[10] = c.Key, target, before, after, c.Reason
			return row, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"sync_changes"}, changeColumns, src); err != nil {
			return 0, fmt.Errorf("writing the sync log's changes: %w", err)
		}
	}

	var companies, kinds []string
	var enabled []bool
	for _, sc := range p.Scope {
		companies = append(companies, sc.Company, sc.Company)
		kinds = append(kinds, "employees", "jobs")
		enabled = append(enabled, sc.Employees, sc.Jobs)
	}
	if len(companies) > 0 {
		if _, err := tx.Exec(ctx, upsertCompanySync, companies, kinds, enabled, runID); err != nil {
			return 0, fmt.Errorf("recording last-synced times: %w", err)
		}
	}
	return runID, nil
}

// RecordFailure writes a failed run to the sync log in its own transaction,
// so that auditors see failed applies too. p may be nil when the run failed
// before a plan existed. It still records when ctx was cancelled (an
// interrupted apply is worth logging), within a short time limit.
func (s *Store) RecordFailure(ctx context.Context, p *plan.Plan, opts ApplyOptions, cause error) (int64, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if opts.StartedAt.IsZero() {
		opts.StartedAt = time.Now()
	}
	msg := "unknown error"
	if cause != nil {
		msg = cause.Error()
	}
	var d plan.Digests
	var digest string
	if p != nil {
		d, digest = p.Digests, PlanDigest(p)
	}
	var runID int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, insertRun, opts.StartedAt, "failed", msg, opts.GitCommit, opts.Actor, opts.ConfigDir,
			d.Config, d.Personio, d.Target, digest, 0, 0, 0, 0, 0, 0).Scan(&runID)
	})
	if err != nil {
		return 0, fmt.Errorf("recording the failed run in the sync log at %s: %w", s.where, err)
	}
	return runID, nil
}
