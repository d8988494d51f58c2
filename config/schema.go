package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// The schemas below list every block and argument of the language. Required
// arguments are checked by the decoders rather than by the schema, so that
// the message can show an example of what is missing.
var (
	rootSchema = &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "personio"},
			{Type: "target"},
			{Type: "company", LabelNames: []string{"slug"}},
		},
	}
	personioSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "tenant"},
			{Name: "credentials"},
			{Name: "api_url"},
			{Name: "jobs_url"},
			{Name: "jobs_language"},
			{Name: "statuses"},
			{Name: "requests_per_minute"},
			{Name: "burst"},
		},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "sync"},
			{Type: "employee_fields"},
		},
	}
	syncSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "employees"}, {Name: "jobs"}},
	}
	targetSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "database_url"}},
	}
	companySchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "name"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "sync"},
			{Type: "location", LabelNames: []string{"slug"}},
		},
	}
	locationSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "name"}, {Name: "office"}, {Name: "office_id"}},
	}
)

// content decodes body against schema. When hcl reports an unknown argument
// or block without a "did you mean", it adds the list of what is allowed, so
// that every such error carries a hint.
func (d *decoder) content(body hcl.Body, schema *hcl.BodySchema) *hcl.BodyContent {
	c, diags := body.Content(schema)
	attrs := names(schema.Attributes, func(a hcl.AttributeSchema) string { return a.Name })
	blocks := names(schema.Blocks, func(b hcl.BlockHeaderSchema) string { return b.Type })
	for _, diag := range diags {
		if strings.Contains(diag.Detail, "Did you mean") {
			continue
		}
		switch summary := diag.Summary; {
		case summary == "Unsupported argument" && attrs == "":
			diag.Detail += fmt.Sprintf(" Only blocks are allowed here: %s.", blocks)
		case summary == "Unsupported argument":
			diag.Detail += fmt.Sprintf(" Arguments allowed here: %s.", attrs)
		case summary == "Unsupported block type" && blocks == "":
			diag.Detail += fmt.Sprintf(" This block takes no blocks, only the arguments %s.", attrs)
		case summary == "Unsupported block type":
			diag.Detail += fmt.Sprintf(" Blocks allowed here: %s.", blocks)
		case summary == "Missing slug for company":
			diag.Detail += ` Write it as company "acme" { … }.`
		case summary == "Missing slug for location":
			diag.Detail += ` Write it as location "berlin-hq" { … }.`
		}
	}
	d.add(diags...)
	return c
}

// names lists the names of a schema's arguments or blocks, sorted and
// comma-separated.
func names[T any](items []T, name func(T) string) string {
	var out []string
	for _, it := range items {
		out = append(out, name(it))
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// required returns the argument name of c, reporting it at the header of
// block, with an example of how to write it, when it is missing.
func (d *decoder) required(block *hcl.Block, c *hcl.BodyContent, name, example string) *hcl.Attribute {
	a := c.Attributes[name]
	if a == nil {
		d.errorAt(block.DefRange, "Missing required argument", fmt.Sprintf("A %s block needs the argument %q, for example: %s", block.Type, name, example))
	}
	return a
}

// single returns the first block of blocks and reports each further one:
// blocks like personio or sync may appear at most once in their scope.
func (d *decoder) single(blocks hcl.Blocks, scope string) *hcl.Block {
	if len(blocks) == 0 {
		return nil
	}
	for _, b := range blocks[1:] {
		d.errorAt(b.DefRange, fmt.Sprintf("Duplicate %s block", b.Type),
			fmt.Sprintf("A %s block was already declared at %s; %s may have only one. Merge the two blocks.", b.Type, pos(blocks[0].DefRange), scope))
	}
	return blocks[0]
}

// pos formats the start of r as file:line for messages that point at a
// second place.
func pos(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}
