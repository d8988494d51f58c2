// Package store is gridsync's PostgreSQL target store: it reads the current
// state of the configured companies, applies a plan in one transaction under
// an advisory lock, and writes the sync log. Any error rolls everything back.
//
// It must not decide what to change (that is package plan's job); it only
// carries out a plan and records that it did.
package store
