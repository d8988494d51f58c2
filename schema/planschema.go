package schema

import (
	"bytes"
	_ "embed"
)

//go:embed plan.schema.json
var planSchema []byte

// PlanSchemaURL is the $id of the plan file's JSON Schema.
const PlanSchemaURL = "https://github.com/gridwork/gridsync/schema/plan.schema.json"

// PlanSchema returns the JSON Schema (draft 2020-12) of the plan file and
// of "gridsync plan -json" / "gridsync show -json". The caller gets its own
// copy.
func PlanSchema() []byte { return bytes.Clone(planSchema) }
