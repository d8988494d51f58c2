// Package personiosim is a faithful simulator of the parts of Personio that
// gridsync talks to: the v1 auth, employees, attributes and profile picture
// endpoints and the public XML job feed, served from a deterministic
// generated or file-loaded dataset, with switches for rate limits, latency,
// failures and data changes between calls.
//
// It is held to Personio's published OpenAPI shapes, not to gridsync's client:
// it must not import internal/personio.
package personiosim
