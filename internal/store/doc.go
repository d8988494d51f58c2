// Package store is gridsync's PostgreSQL target store: it reads the current
// state of the configured companies, applies a plan in one transaction under
// an advisory lock (telling a writer that waits which gridsync process holds
// it), and writes the sync log: each run with its outcome, its changes, and
// the last attempt and last success per company and kind. Any error rolls
// everything back.
//
// It must not decide what to change (that is package plan's job), nor which
// companies a run leaves out (the engine's); it carries out a plan and
// records what the engine says became of it.
package store
