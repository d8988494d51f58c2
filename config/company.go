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

// Examples for the messages about a missing argument or one of the wrong
// type.
const (
	companyNameExample  = `name = "Acme GmbH"`
	locationNameExample = `name = "Berlin HQ"`
)

// company decodes one company block and its locations.
func (d *decoder) company(block *hcl.Block) (Company, hcl.Diagnostics) {
	co := Company{
		Slug:      block.Labels[0],
		Sync:      Overrides{Employees: Inherit, Jobs: Inherit},
		DeclRange: block.DefRange,
	}
	diags := checkSlug(block, "company")
	c, ds := content(block.Body, companySchema)
	diags = append(diags, ds...)

	if a := c.Attributes["name"]; a != nil {
		var name text
		name, ds = d.eval.nonEmpty(a, eg(companyNameExample))
		co.Name = name.s
		diags = append(diags, ds...)
	} else {
		diags = append(diags, missingArg(block, "name", companyNameExample))
	}

	syncBlock, ds := single(c.Blocks.OfType("sync"), "a company block")
	diags = append(diags, ds...)
	if syncBlock != nil {
		co.Sync, ds = d.overrides(syncBlock)
		diags = append(diags, ds...)
	}

	seen := map[string]hcl.Range{}
	for _, lb := range c.Blocks.OfType("location") {
		loc, ds := d.location(lb)
		diags = append(diags, ds...)
		if first, dup := seen[loc.Slug]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate location %q", loc.Slug),
				Detail: fmt.Sprintf("Company %q already has a location %q, declared at %s. Each location slug may appear once per company; rename or merge one of them.",
					co.Slug, loc.Slug, pos(first)),
				Subject: lb.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[loc.Slug] = lb.DefRange
		co.Locations = append(co.Locations, loc)
	}
	return co, diags
}

// ValidSlug reports whether s is a valid company or location slug: 1 to
// 63 lower-case letters, digits and hyphens, starting with a letter and
// not ending with a hyphen.
func ValidSlug(s string) bool {
	return slugRE.MatchString(s) && !strings.HasSuffix(s, "-")
}

// checkSlug reports a company or location label that is not a valid slug.
func checkSlug(block *hcl.Block, what string) hcl.Diagnostics {
	slug := block.Labels[0]
	if ValidSlug(slug) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Invalid %s slug", what),
		Detail: fmt.Sprintf("%q is not a valid slug: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen, such as %q.",
			slug, slugHint(slug, what)),
		Subject: block.LabelRanges[0].Ptr(),
	}}
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
func (d *decoder) overrides(block *hcl.Block) (Overrides, hcl.Diagnostics) {
	o := Overrides{Employees: Inherit, Jobs: Inherit}
	c, diags := content(block.Body, syncSchema)
	var ds hcl.Diagnostics
	if a := c.Attributes["employees"]; a != nil {
		o.Employees, ds = d.override(a)
		o.EmployeesRange = a.Range
		diags = append(diags, ds...)
	}
	if a := c.Attributes["jobs"]; a != nil {
		o.Jobs, ds = d.override(a)
		o.JobsRange = a.Range
		diags = append(diags, ds...)
	}
	return o, diags
}

// override decodes one override value: inherit, on or off.
func (d *decoder) override(a *hcl.Attribute) (Override, hcl.Diagnostics) {
	t, diags := d.eval.str(a, eg(fmt.Sprintf("%s = %q", a.Name, Off)))
	if diags.HasErrors() {
		return Inherit, diags
	}
	if v := Override(t.s); v == Inherit || v == On || v == Off {
		return v, diags
	}
	var hint string
	switch {
	case t.fromEnv():
	case t.s == "true" || t.s == "false":
		hint = ` true and false are for the account defaults in personio { sync { … } }; a company overrides them with "on" or "off".`
	default:
		hint = didYouMean(t.s, overrideValues)
	}
	return Inherit, append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid sync override",
		Detail:   fmt.Sprintf("%s is not a sync override: the value must be inherit, on or off.%s", t.quoted(), hint),
		Subject:  a.Expr.Range().Ptr(),
	})
}

// location decodes one location block.
func (d *decoder) location(block *hcl.Block) (loc Location, diags hcl.Diagnostics) {
	loc = Location{Slug: block.Labels[0], DeclRange: block.DefRange}
	diags = checkSlug(block, "location")
	c, ds := content(block.Body, locationSchema)
	diags = append(diags, ds...)

	if a := c.Attributes["name"]; a != nil {
		var name text
		name, ds = d.eval.nonEmpty(a, eg(locationNameExample))
		loc.Name = name.s
		diags = append(diags, ds...)
	} else {
		diags = append(diags, missingArg(block, "name", locationNameExample))
	}

	officeName, officeID := c.Attributes["office"], c.Attributes["office_id"]
	if officeName != nil && officeID != nil {
		first, second := officeName, officeID
		if second.Range.Start.Byte < first.Range.Start.Byte {
			first, second = second, first
		}
		return loc, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting office mapping",
			Detail: fmt.Sprintf("Location %q sets both office and office_id (%s first at %s). A location maps to one Personio office: by name (office = \"Berlin\") or by id (office_id = 123), not both.",
				loc.Slug, first.Name, pos(first.Range)),
			Subject: second.NameRange.Ptr(),
		})
	}
	if officeName != nil {
		var t text
		t, ds = d.eval.nonEmpty(officeName, eg(`office = "Berlin"`))
		loc.Office, loc.OfficeRange = t.s, officeName.Expr.Range()
		loc.officeEnv = envCalls(t.env)
		diags = append(diags, ds...)
	}
	if officeID != nil {
		var src source
		loc.OfficeID, src, ds = d.eval.positiveInt(officeID, "the id Personio shows for the office", officeIDForm)
		loc.OfficeRange = officeID.Expr.Range()
		loc.officeEnv = envCalls(src.env)
		diags = append(diags, ds...)
	}
	return loc, diags
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

// noMappedLocation warns about a company none of whose locations names a
// Personio office: valid, but nothing will be synced for it.
func noMappedLocation(co Company) *hcl.Diagnostic {
	for _, loc := range co.Locations {
		if loc.Mapped() {
			return nil
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  fmt.Sprintf("Company %q has no mapped location", co.Slug),
		Detail:   "None of its locations names a Personio office, so no employees or jobs will be synced for it. Add office = \"…\" or office_id = … to a location block.",
		Subject:  co.DeclRange.Ptr(),
	}
}
