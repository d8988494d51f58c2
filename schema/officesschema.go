package schema

import (
	"bytes"
	_ "embed"
)

//go:embed offices.schema.json
var officesSchema []byte

// OfficesSchemaURL is the $id of the JSON Schema of "gridsync offices -json".
const OfficesSchemaURL = "https://github.com/gridwork/gridsync/schema/offices.schema.json"

// OfficesSchema returns the JSON Schema (draft 2020-12) of
// "gridsync offices -json". The caller gets its own copy.
func OfficesSchema() []byte { return bytes.Clone(officesSchema) }
