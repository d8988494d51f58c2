package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/plan"
)

const insertRun = `
insert into sync_runs (started_at, finished_at, outcome, error, git_commit, actor, config_dir,
    config_digest, personio_digest, target_digest, plan_digest,
    created, updated, adopted, unlinked, deleted, rows_written, command, dirty)
values ($1, clock_timestamp(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
returning id`

// insertRunRow inserts the run's row into sync_runs and returns its id.
func insertRunRow(ctx context.Context, tx pgx.Tx, opts ApplyOptions, outcome Outcome, msg string, d plan.Digests, digest string, res *Result) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, insertRun, opts.StartedAt, string(outcome), msg, opts.GitCommit, opts.Actor, opts.ConfigDir,
		d.Config, d.Personio, d.Target, digest,
		res.Created, res.Updated, res.Adopted, res.Unlinked, res.Deleted, res.RowsWritten, opts.Command, opts.Dirty).Scan(&id)
	return id, err
}

// upsertCompanySync records each scope company's effective toggles and,
// for the kinds that synced, the last-synced time. A paused kind, or one
// that did not sync in this run, keeps the time of its last real sync.
const upsertCompanySync = `
insert into company_sync (company_id, kind, enabled, last_synced_at, last_run_id)
select c.id, k.kind, k.enabled,
       case when k.synced then now() end,
       case when k.synced then $5::bigint end
from unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[]) as k(company, kind, enabled, synced)
join companies c on c.slug = k.company
on conflict (company_id, kind) do update set
    enabled = excluded.enabled,
    last_synced_at = coalesce(excluded.last_synced_at, company_sync.last_synced_at),
    last_run_id = coalesce(excluded.last_run_id, company_sync.last_run_id)`

// upsertSyncStatus records the last attempt per company and kind.
const upsertSyncStatus = `
insert into sync_status (company, kind, last_attempt_at, last_run_id, last_outcome, last_error)
select k.company, k.kind, now(), $5::bigint, k.outcome, k.error
from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as k(company, kind, outcome, error)
on conflict (company, kind) do update set
    last_attempt_at = excluded.last_attempt_at,
    last_run_id = excluded.last_run_id,
    last_outcome = excluded.last_outcome,
    last_error = excluded.last_error`

// writeStatus records kinds as the outcomes of run runID, attempted now.
func writeStatus(ctx context.Context, tx pgx.Tx, runID int64, kinds []KindResult) error {
	if len(kinds) == 0 {
		return nil
	}
	companies := make([]string, len(kinds))
	names := make([]string, len(kinds))
	outcomes := make([]string, len(kinds))
	errs := make([]string, len(kinds))
	for i, k := range kinds {
		companies[i], names[i], outcomes[i], errs[i] = k.Company, k.Kind, string(k.Outcome), OneLine(k.Error)
	}
	if _, err := tx.Exec(ctx, upsertSyncStatus, companies, names, outcomes, errs, runID); err != nil {
		return fmt.Errorf("recording the sync status: %w", err)
	}
	return nil
}

var changeColumns = []string{"run_id", "seq", "address", "action", "type", "company", "key", "target_id", "before", "after", "reason"}

// writeRun records a written run (succeeded, or refused for some
// companies), its changes, the last-synced times and the sync status.
func writeRun(ctx context.Context, tx pgx.Tx, b *Batch, log *syncLog, opts ApplyOptions, res *Result) (int64, error) {
	p, changes := b.Plan, log.changes
	outcome := cmp.Or(b.Outcome, Succeeded)
	kinds := b.Kinds
	if kinds == nil {
		kinds = ScopeResults(p)
	}
	runID, err := insertRunRow(ctx, tx, opts, outcome, b.Error, p.Digests, log.digest, res)
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
			// pgx sends a nil json.RawMessage as SQL NULL.
			row[0], row[1], row[2], row[3], row[4], row[5] = runID, int32(i+1), c.Address, string(c.Action), string(c.Type), c.Company
			row[6], row[7], row[8], row[9], row[10] = c.Key, target, c.before, c.after, c.Reason
			return row, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"sync_changes"}, changeColumns, src); err != nil {
			return 0, fmt.Errorf("writing the sync log's changes: %w", err)
		}
	}

	synced := map[[2]string]bool{}
	for _, k := range kinds {
		synced[[2]string{k.Company, k.Kind}] = k.Outcome == Succeeded
	}
	var companies, names []string
	var enabled, done []bool
	for _, sc := range p.Scope {
		companies = append(companies, sc.Company, sc.Company)
		names = append(names, KindEmployees, KindJobs)
		enabled = append(enabled, sc.Employees, sc.Jobs)
		done = append(done, sc.Employees && synced[[2]string{sc.Company, KindEmployees}], sc.Jobs && synced[[2]string{sc.Company, KindJobs}])
	}
	if len(companies) > 0 {
		if _, err := tx.Exec(ctx, upsertCompanySync, companies, names, enabled, done, runID); err != nil {
			return 0, fmt.Errorf("recording last-synced times: %w", err)
		}
	}
	if err := writeStatus(ctx, tx, runID, kinds); err != nil {
		return 0, err
	}
	return runID, nil
}

// RecordFailure writes a failed run to the sync log in its own transaction,
// so that auditors see failed applies too, and marks every enabled kind of
// its scope as failed in the sync status. p may be nil when the run failed
// before a plan existed; opts.Scope and opts.ConfigDigest then say what it
// set out to sync. It still records when ctx was cancelled (an interrupted
// apply is worth logging), within a short time limit.
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
	d := plan.Digests{Config: opts.ConfigDigest}
	var digest string
	scope := opts.Scope
	if p != nil {
		d, digest, scope = p.Digests, encodeChanges(p).digest, p.Scope
	}
	var runID int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if runID, err = insertRunRow(ctx, tx, opts, Failed, msg, d, digest, &Result{}); err != nil {
			return err
		}
		// Every enabled kind of the scope failed.
		kinds := ScopeResults(&plan.Plan{Scope: scope})
		for i := range kinds {
			kinds[i].Outcome, kinds[i].Error = Failed, OneLine(msg)
		}
		return writeStatus(ctx, tx, runID, kinds)
	})
	if err != nil {
		return 0, fmt.Errorf("recording the failed run in the sync log at %s: %w", s.where, err)
	}
	return runID, nil
}

// encodedChange is a change with its attributes encoded as canonical JSON
// (NULL when absent), ready for the sync log.
type encodedChange struct {
	*plan.Change
	before, after json.RawMessage
}

// syncLog is a plan's changes encoded for the sync log, and its digest.
type syncLog struct {
	changes []encodedChange
	digest  string
}

// encodeLater encodes p's sync log in the background, so that the encoding
// overlaps with the database's work on the data writes instead of adding
// to it. A first sync of 100,000 employees spends about 100 ms on it. start
// begins the encoding, once; the plan must not change from then on. wait
// returns the encoded log, starting the encoding if nothing did; it is
// called once.
func encodeLater(p *plan.Plan) (start func(), wait func() *syncLog) {
	done := make(chan *syncLog, 1)
	start = sync.OnceFunc(func() { go func() { done <- encodeChanges(p) }() })
	return start, func() *syncLog {
		start()
		return <-done
	}
}

// encodeChanges encodes p's changes (no-ops dropped) and computes the plan
// digest in the same pass: the hex SHA-256 of, for each change in order,
// its address, type, company, key, action, target id and its before and
// after attributes as JSON objects with sorted keys (empty when absent),
// each followed by a NUL byte. Reason is left out: it is for display only.
// The digest identifies what a run set out to do.
func encodeChanges(p *plan.Plan) *syncLog {
	out := make([]encodedChange, 0, len(p.Changes))
	h := sha256.New()
	var buf []byte
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Action == plan.NoOp {
			continue
		}
		e := encodedChange{Change: c, before: attrsJSON(c.Before), after: attrsJSON(c.After)}
		out = append(out, e)
		for _, f := range [...]string{c.Address, string(c.Type), c.Company, c.Key, string(c.Action),
			strconv.FormatInt(c.TargetID, 10), string(e.before), string(e.after)} {
			buf = append(append(buf[:0], f...), 0)
			h.Write(buf)
		}
	}
	return &syncLog{changes: out, digest: hex.EncodeToString(h.Sum(nil))}
}

// attrsJSON encodes attributes as a JSON object with sorted keys; nil stays
// nil (SQL NULL). It is hand-written because the sync log of a large first
// sync encodes hundreds of thousands of them.
func attrsJSON(a plan.Attrs) json.RawMessage {
	if a.IsNone() {
		return nil
	}
	size := 2
	for k, v := range a.All() {
		size += len(k) + len(v) + 6
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for k, v := range a.Sorted() {
		if len(b) > 1 {
			b = append(b, ',')
		}
		// An invalid UTF-8 byte is written as U+FFFD, which is all the
		// error reports.
		b, _ = jsontext.AppendQuote(b, k)
		b = append(b, ':')
		b, _ = jsontext.AppendQuote(b, v)
	}
	return append(b, '}')
}
