// Package engine wires gridsync's parts into its verbs: it loads the
// configuration, decrypts the Personio credentials, reads Personio and the
// Gridwork database, asks package plan for the changes, and hands a plan to
// the store. apply (without a plan file) and sync read the target again
// under the apply lock and, when another writer changed it meanwhile,
// compute their plan again through the same build step, so that a writer
// that waited plans against what the one before it wrote; sync leaves out
// the companies the deletion guard refuses and records them as refused. The engine holds the
// sequencing, the freshness checks of saved plans and what a run records
// per company and kind; the rules of what to change live in package plan,
// the I/O in internal/personio and internal/store, and the flag parsing in
// cmd/gridsync.
package engine
