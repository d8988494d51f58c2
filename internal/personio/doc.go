// Package personio is gridsync's client for Personio: the v1 REST API
// (auth, employees, attributes) and the tenant's public XML job feed.
//
// It authenticates once per run, pages employees at Personio's maximum page
// size, paces itself under the documented rate limits, retries transient
// failures with backoff and jitter, and decodes Personio's attribute
// envelopes defensively into typed values. It must not know about gridsync's
// configuration or database, and must never log or return a client secret.
package personio
