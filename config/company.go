package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// slugRE is the shape of company and location slugs: they become stable
// addresses (company.acme, location.acme.berlin-hq) and database keys.
var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

var overrideValues = []string{string(Inherit), string(On), string(Off)}

// company decodes one company block and its locations.
func (d *decoder) company(block *hcl.Block) Company {
	co := Company{
		Slug:      block.Labels[0],
		Sync:      Overrides{Employees: Inherit, Jobs: Inherit},
		DeclRange: block.DefRange,
	}
	d.checkSlug(block, "company")
	c := d.content(block.Body, companySchema)
	co.Name = d.name(block, c, `name = "Acme GmbH"`)
	if syncBlock := d.single(c.Blocks.OfType("sync"), "a company block"); syncBlock != nil {
		co.Sync = d.overrides(syncBlock)
	}
	seen := map[string]hcl.Range{}
	for _, lb := range c.Blocks.OfType("location") {
		loc := d.location(lb)
		if d.firstDecl(seen, lb, "location", func(first string) string {
			return fmt.Sprintf("Company %q already has a location %q, declared at %s. Each location slug may appear once per company; rename or merge one of them.", co.Slug, loc.Slug, first)
		}) {
			co.Locations = append(co.Locations, loc)
		}
	}
	return co
}

// name decodes the required name of a company or location block; example
// is the argument written right, for the messages about a missing argument
// or one of the wrong type.
func (d *decoder) name(block *hcl.Block, c *hcl.BodyContent, example string) string {
	if a := d.required(block, c, "name", example); a != nil {
		t, _ := d.nonEmpty(a, eg(example))
		return t.s
	}
	return ""
}

// ValidSlug reports whether s is a valid company or location slug: 1 to
// 63 lower-case letters, digits and hyphens, starting with a letter and
// not ending with a hyphen.
func ValidSlug(s string) bool {
	return slugRE.MatchString(s) && !strings.HasSuffix(s, "-")
}

// checkSlug reports a company or location label that is not a valid slug.
func (d *decoder) checkSlug(block *hcl.Block, what string) {
	if slug := block.Labels[0]; !ValidSlug(slug) {
		d.errorAt(block.LabelRanges[0], fmt.Sprintf("Invalid %s slug", what),
			fmt.Sprintf("%q is not a valid slug: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen, such as %q.",
				slug, slugHint(slug, what)))
	}
}

// slugHint suggests a valid slug close to the given one, or a generic
// example when cleaning up the given one leaves nothing recognisable.
func slugHint(s, what string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	h := strings.TrimRight(b.String(), "-")
	if len(h) > 63 {
		h = strings.TrimRight(h[:63], "-")
	}
	if !slugRE.MatchString(h) {
		if what == "company" {
			return "acme"
		}
		return "berlin-hq"
	}
	return h
}

// overrides decodes a company's sync block.
func (d *decoder) overrides(block *hcl.Block) Overrides {
	o := Overrides{Employees: Inherit, Jobs: Inherit}
	c := d.content(block.Body, syncSchema)
	if a := c.Attributes["employees"]; a != nil {
		o.Employees, o.EmployeesRange = d.override(a), a.Range
	}
	if a := c.Attributes["jobs"]; a != nil {
		o.Jobs, o.JobsRange = d.override(a), a.Range
	}
	return o
}

// override decodes one override value: inherit, on or off.
func (d *decoder) override(a *hcl.Attribute) Override {
	t, ok := d.str(a, eg(fmt.Sprintf("%s = %q", a.Name, Off)))
	if !ok {
		return Inherit
	}
	if v := Override(t.s); v == Inherit || v == On || v == Off {
		return v
	}
	var hint string
	switch {
	case t.fromEnv():
	case t.s == "true" || t.s == "false":
		hint = ` true and false are for the account defaults in personio { sync { … } }; a company overrides them with "on" or "off".`
	default:
		hint = didYouMean(t.s, overrideValues)
	}
	d.errorAt(a.Expr.Range(), "Invalid sync override",
		fmt.Sprintf("%s is not a sync override: the value must be inherit, on or off.%s", t.quoted(), hint))
	return Inherit
}

// location decodes one location block.
func (d *decoder) location(block *hcl.Block) Location {
	loc := Location{Slug: block.Labels[0], DeclRange: block.DefRange}
	d.checkSlug(block, "location")
	c := d.content(block.Body, locationSchema)
	loc.Name = d.name(block, c, `name = "Berlin HQ"`)

	officeName, officeID := c.Attributes["office"], c.Attributes["office_id"]
	switch {
	case officeName != nil && officeID != nil:
		first, second := officeName, officeID
		if second.Range.Start.Byte < first.Range.Start.Byte {
			first, second = second, first
		}
		d.errorAt(second.NameRange, "Conflicting office mapping",
			fmt.Sprintf("Location %q sets both office and office_id (%s first at %s). A location maps to one Personio office: by name (office = \"Berlin\") or by id (office_id = 123), not both.",
				loc.Slug, first.Name, pos(first.Range)))
	case officeName != nil:
		t, _ := d.nonEmpty(officeName, eg(`office = "Berlin"`))
		loc.Office, loc.OfficeRange, loc.officeSrc = t.s, officeName.Expr.Range(), t.source
	case officeID != nil:
		id, src, _ := d.positiveInt(officeID, "the id Personio shows for the office", officeIDForm)
		loc.OfficeID, loc.OfficeRange, loc.officeSrc = id, officeID.Expr.Range(), src
	}
	return loc
}

// officeIDForm is how office_id is written. An office name there is
// usually meant for office.
var officeIDForm = form{
	example: "office_id = 123",
	fix: func(got cty.Value) (string, string) {
		if got.Type() != cty.String || strings.TrimSpace(got.AsString()) == "" {
			return "", ""
		}
		return "", " To map the office by name instead, write office = " + hclLiteral(got) + "."
	},
}
