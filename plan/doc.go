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
// Messages name an office or an employee_fields key that env() read by the
// call, never by its value (config.Location.OfficeRef, FieldRef.KeyRef),
// and then list nothing by closeness to it.
// An office that Personio no longer shows at all but that the target has
// mapped (DesiredOptions.KnownOffices) still resolves, with a warning, so
// that its empty answer is judged as suspicious rather than a config error.
// Two locations that resolve to the same office, in one company or in two
// (one by office, one by office_id, which only Personio's answer can tell),
// are an error diagnostic at the later one naming both places: the check is
// config.OfficesMappedOnce, which validate runs on the offices as written.
// Companies outside the -company filter take part in that check.
// Desired employees are those in a mapped office whose status is synced;
// desired jobs are feed positions whose office, or else first mapped
// additional office, is mapped. The configuration comes resolved (toggles,
// statuses): nothing here derives a default.
//
// A job feed that could not be read (Source.JobsUnavailable) is no answer:
// no company has desired jobs, Diff creates, updates, unlinks and removes
// no job in any company, nothing about jobs is suspicious, employees plan
// as usual, and Plan.JobsUnavailable carries the reason for the renderers
// and the plan file. The Personio digest records whether the feed was
// read, so a plan saved during an outage is stale once the feed is back.
// A location whose office no employee shows is then taken by name (as the
// feed would give it) with a warning, rather than reported unknown.
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
// companies. Reasons are for display only: Plan.AbsentEmployees lists the
// employees deleted only because the listing lacks them, so that the engine
// can confirm each by id (Source.AddEmployees) and plan again.
//
// # Safety
//
// Plan.Suspicious records answers that look wrong (no employees or no
// feed positions at all, or an office suddenly without employees or
// positions while its linked records vanished), and CheckMassDelete refuses
// such plans, plans that remove or unlink too much, and plans that empty a
// synced field on too many records (Personio leaves out the attributes the
// API credentials may not read, and a field left out reads as empty). The
// limit is the same for removals and for each emptied field: per company
// and kind, max(MinAllowed, MaxShare × linked records). Refusals applies
// the same rules company by company, for sync.
//
// # Formats
//
// The JSON format (RenderJSON, WriteFile, ReadFile) is versioned by
// FormatVersion, kept apart from the in-memory types, and described by
// schema/plan.schema.json. A Plan holds no secret: no credentials, no
// database URL.
package plan
