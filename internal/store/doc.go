// Package store is gridsync's PostgreSQL target store: it reads the current
// state of the configured companies, applies a plan in one transaction under
// an advisory lock (telling a writer that waits which gridsync process holds
// it), and writes the sync log: each run with its outcome, its changes, and
// the last attempt and last success per company and kind. Any error rolls
// everything back.
//
// Each verb has its file: read.go reads the state a plan is diffed
// against; write.go runs the one transaction of a write (lock, verify,
// write, log) and write_rows.go writes the rows a plan changes (companies,
// locations, and employees and jobs through COPY and one upsert per table);
// synclog.go records runs, their changes (and encodes them: canonical JSON,
// the plan digest) and the sync status; history.go and status.go read the
// log back; lock.go is the advisory lock and who holds it.
//
// It must not decide what to change (that is package plan's job), nor which
// companies a run leaves out (the engine's); it carries out a plan and
// records what the engine says became of it.
package store
