// Package plan is the engine's pure core: it builds the desired state from a
// Config and a Personio snapshot, diffs it against the target's State, and
// produces a Plan that renderers (text, JSON, Markdown) only read.
//
// Nothing here does I/O: no network, no database, no clock except where a
// caller passes one in. That keeps every sync rule testable with plain values.
package plan
