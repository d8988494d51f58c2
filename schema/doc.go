// Package schema embeds the target store's SQL migrations and the JSON
// Schema of the plan file. It holds data only: no code that talks to a
// database lives here (internal/store runs the migrations).
package schema
