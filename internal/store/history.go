package store

import (
	"context"
	"fmt"
	"time"
)

// Run is one sync run from the sync log.
type Run struct {
	ID         int64     `db:"id" json:"id"`
	StartedAt  time.Time `db:"started_at" json:"started_at"`
	FinishedAt time.Time `db:"finished_at" json:"finished_at"`
	Outcome    string    `db:"outcome" json:"outcome"` // "succeeded", "refused" or "failed"
	Error      string    `db:"error" json:"error,omitempty"`
	Command    string    `db:"command" json:"command"` // "sync", "apply", "apply PLANFILE"; "" before schema 3
	GitCommit  string    `db:"git_commit" json:"git_commit"`
	// Dirty says that tracked files of the configuration directory had
	// uncommitted changes, so GitCommit does not quite describe the run.
	Dirty          bool   `db:"dirty" json:"dirty"`
	Actor          string `db:"actor" json:"actor"`
	ConfigDir      string `db:"config_dir" json:"config_dir"`
	ConfigDigest   string `db:"config_digest" json:"config_digest"`
	PersonioDigest string `db:"personio_digest" json:"personio_digest"`
	TargetDigest   string `db:"target_digest" json:"target_digest"`
	PlanDigest     string `db:"plan_digest" json:"plan_digest"`
	Created        int    `db:"created" json:"created"`
	Updated        int    `db:"updated" json:"updated"`
	Adopted        int    `db:"adopted" json:"adopted"`
	Unlinked       int    `db:"unlinked" json:"unlinked"`
	Deleted        int    `db:"deleted" json:"deleted"`
	RowsWritten    int64  `db:"rows_written" json:"rows_written"`
}

const selectRuns = `
select id, started_at, finished_at, outcome, error, command, git_commit, dirty, actor, config_dir,
       config_digest, personio_digest, target_digest, plan_digest,
       created, updated, adopted, unlinked, deleted, rows_written
from sync_runs
order by id desc
limit $1`

// History returns the latest sync runs, newest first; limit <= 0 means all.
func (s *Store) History(ctx context.Context, limit int) ([]Run, error) {
	var lim *int
	if limit > 0 {
		lim = &limit
	}
	runs, err := collect[Run](ctx, s.pool, selectRuns, lim)
	if err != nil {
		return nil, fmt.Errorf("reading the sync log from the Gridwork database at %s: %w", s.where, err)
	}
	return runs, nil
}
