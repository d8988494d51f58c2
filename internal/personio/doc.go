// Package personio is gridsync's client for Personio: the v1 REST API
// (auth, employees, attributes) and the tenant's public XML job feed.
//
// It authenticates once per run, pages employees at Personio's maximum page
// size, paces itself under the documented rate limits, retries transient
// failures with backoff and jitter, and decodes Personio's attribute
// envelopes defensively into typed values, in one validating streaming pass
// per answer that skips the attributes nobody asked for.
//
// It guards what a sync may remove or blank: pages overlap by one row, so
// that a listing that moves under the read is noticed and read again;
// Employee reads one employee by id, to confirm that someone is really
// gone; and attributes the caller syncs that the credential may not read
// (Personio leaves them out silently) fail the read instead of reading as
// empty. It must not know about gridsync's configuration or database, and
// must never log or return a client secret.
package personio
