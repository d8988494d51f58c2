// Package engine wires gridsync's parts into its verbs: it loads the
// configuration, decrypts the Personio credentials, reads Personio and the
// Gridwork database, asks package plan for the changes, and hands a plan to
// the store. apply (without a plan file) and sync read the target again
// under the apply lock and, when another writer changed it meanwhile,
// compute their plan again through the same build step, so that a writer
// that waited plans against what the one before it wrote; sync leaves out
// the companies the deletion guard refuses and records them as refused.
// The engine holds the sequencing, the freshness checks of saved plans and
// what a run records per company and kind; the rules of what to change live
// in package plan, the I/O in internal/personio and internal/store (which
// the engine reaches through Target, so that commands can be tested with
// an in-memory one), the flag parsing in cmd/gridsync, and how results
// look in internal/views: the engine returns data and prints nothing but
// progress.
//
// It also answers the questions a user asks before and beside a plan,
// reading Personio only (and Gridwork where it can):
//   - Offices (discover.go) reads Personio's offices with their employees
//     by status, their open positions and the locations mapping them. It
//     scans the employee listing and counts, so memory stays bounded on a
//     large tenant; CheckOffices resolves the configured mappings against
//     those offices exactly as a plan does (creds validate's check).
//   - Explain (explain.go) gathers one record's story. It reads that record
//     alone and computes what the next plan does with it through the one
//     plan build (build), on a Source holding the record and a State
//     restricted to its rows, with the other locations' mappings left
//     out: there is no second diff to drift from the real one.
package engine
