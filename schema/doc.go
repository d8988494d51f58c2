// Package schema embeds the target store's SQL migrations and the JSON
// Schemas of the plan file and of `gridsync offices -json`. It holds data
// only: no code that talks to a database lives here (internal/store runs
// the migrations).
package schema
