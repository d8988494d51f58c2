// Package plan is the engine's pure core: it builds the desired state from a
// Config and Personio's answer (a Source), diffs it against the target's
// State, and produces a Plan that renderers (text, JSON, Markdown) only read.
//
// Nothing here does I/O: no network, no database, no clock except where a
// caller passes one in. That keeps every sync rule testable with plain values.
// The only files touched are the plan files of WriteFile and ReadFile.
//
// The package declares its own inputs (Source on Personio's side, State on
// Gridwork's) and imports neither the Personio client nor the store: those
// packages convert their answers to these types.
//
// # Desired state
//
// Desired takes each configured company in scope (all, or the -company
// filter) with its effective toggles (an on/off override wins, inherit takes
// the account default). A location's office resolves by exact name or by id
// against the offices Personio shows; an unknown one is an error diagnostic
// at the office attribute listing the offices Personio knows, closest first.
// An office that Personio no longer shows at all but that the target has
// mapped (DesiredOptions.KnownOffices) still resolves, with a warning, so
// that its empty answer is judged as suspicious rather than a config error.
// Two locations of one company that resolve to the same office (one by
// office, one by office_id, which only Personio's answer can tell) are an
// error diagnostic at the second.
// Desired employees are those in a mapped office whose status is synced;
// desired jobs are feed positions whose office, or else first mapped
// additional office, is mapped.
//
// # Diff
//
// Declared companies and locations are created or updated, never deleted
// (an undeclared location only loses a stale office mapping). For each
// company and enabled kind (a kind that is off is paused: nothing of it is
// touched):
//   - desired, no linked row: create, or adopt an unlinked employee of the
//     same company with the same email (case-insensitive, each row once);
//   - desired and linked, attributes differ: update;
//   - linked, not desired: delete when the Personio record is gone or its
//     status is not synced (terminated), unlink when it still exists outside
//     the company's mapped offices.
//
// Linked rows of companies that left the configuration are unlinked, and
// their locations lose their office mappings, only when planning all
// companies. Reasons are for display only.
//
// # Safety
//
// Plan.Suspicious records answers that look wrong (no employees or no
// feed positions at all, or an office suddenly without employees or
// positions while its linked records vanished), and CheckMassDelete refuses
// such plans, and plans that remove or unlink too much.
//
// # Formats
//
// The JSON format (RenderJSON, WriteFile, ReadFile) is versioned by
// FormatVersion, kept apart from the in-memory types, and described by
// schema/plan.schema.json. A Plan holds no secret: no credentials, no
// database URL.
package plan
