package config

import (
	"fmt"
	"sort"
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
func content(body hcl.Body, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := body.Content(schema)
	for _, d := range diags {
		if strings.Contains(d.Detail, "Did you mean") {
			continue
		}
		switch d.Summary {
		case "Unsupported argument":
			if len(schema.Attributes) == 0 {
				d.Detail += fmt.Sprintf(" Only blocks are allowed here: %s.", strings.Join(blockNames(schema), ", "))
				break
			}
			d.Detail += allowed("Arguments", attrNames(schema))
		case "Unsupported block type":
			if len(schema.Blocks) == 0 {
				d.Detail += fmt.Sprintf(" This block takes no blocks, only the arguments %s.", strings.Join(attrNames(schema), ", "))
				break
			}
			d.Detail += allowed("Blocks", blockNames(schema))
		case "Missing slug for company":
			d.Detail += ` Write it as company "acme" { … }.`
		case "Missing slug for location":
			d.Detail += ` Write it as location "berlin-hq" { … }.`
		}
	}
	return c, diags
}

func allowed(what string, names []string) string {
	return fmt.Sprintf(" %s allowed here: %s.", what, strings.Join(names, ", "))
}

func attrNames(s *hcl.BodySchema) []string {
	var names []string
	for _, a := range s.Attributes {
		names = append(names, a.Name)
	}
	sort.Strings(names)
	return names
}

func blockNames(s *hcl.BodySchema) []string {
	var names []string
	for _, b := range s.Blocks {
		names = append(names, b.Type)
	}
	sort.Strings(names)
	return names
}

// missingArg reports a required argument that block lacks, at the block's
// header, with an example of how to write it.
func missingArg(block *hcl.Block, name, example string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Missing required argument",
		Detail:   fmt.Sprintf("A %s block needs the argument %q, for example: %s", block.Type, name, example),
		Subject:  block.DefRange.Ptr(),
	}
}

// single returns the first block of blocks and an error for each further
// one: blocks like personio or sync may appear at most once in their scope.
func single(blocks hcl.Blocks, scope string) (*hcl.Block, hcl.Diagnostics) {
	if len(blocks) == 0 {
		return nil, nil
	}
	var diags hcl.Diagnostics
	first := blocks[0]
	for _, b := range blocks[1:] {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Duplicate %s block", b.Type),
			Detail: fmt.Sprintf("A %s block was already declared at %s; %s may have only one. Merge the two blocks.",
				b.Type, pos(first.DefRange), scope),
			Subject: b.DefRange.Ptr(),
		})
	}
	return first, diags
}

// pos formats the start of r as file:line for messages that point at a
// second place.
func pos(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}
