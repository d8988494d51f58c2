// Package personio is gridsync's client for Personio: the v1 REST API
// (auth, employees, attributes) and the tenant's public XML job feed.
//
// It authenticates once per run, pages employees at Personio's maximum page
// size, paces itself under the documented rate limits and slows down for
// every worker when Personio answers 429, retries transient failures with
// backoff and jitter (see Client for the layers a request passes), and
// decodes Personio's attribute envelopes defensively into typed values, in
// one validating streaming pass per answer that skips the attributes nobody
// asked for. A job feed that is switched off or cannot be read makes the
// jobs unavailable rather than failing the snapshot; answers that are not
// Personio's at all name the setting to check.
//
// ScanEmployees reads the same listing for callers that only count (the
// offices command): each employee goes to a visitor as its page arrives,
// so memory stays bounded however large the tenant.
//
// It guards what a sync may remove or blank: pages overlap by one row, so
// that a listing that moves under the read is noticed and read again;
// Employee reads one employee by id, to confirm that someone is really
// gone; and attributes the caller syncs that the credential may not read
// (Personio leaves them out silently) fail the read instead of reading as
// empty. It must not know about gridsync's configuration or database, and
// must never log or return a client secret.
package personio
