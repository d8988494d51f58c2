// Package engine wires gridsync's parts into its two verbs: it loads the
// configuration, decrypts the Personio credentials, reads Personio and the
// Gridwork database, asks package plan for the changes, and hands a plan to
// the store. It holds the sequencing and the freshness checks of saved plans;
// the rules of what to change live in package plan, the I/O in
// internal/personio and internal/store, and the flag parsing in cmd/gridsync.
package engine
