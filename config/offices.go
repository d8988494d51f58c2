package config

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// OfficeKey identifies a Personio office for OfficesMappedOnce: by id, or
// by name while no id is known (an office written by name, before
// Personio's answer resolves it, or an office that only the job feed
// names). Two mappings conflict when their keys are equal.
type OfficeKey struct {
	ID   int64
	Name string // set only when ID is 0
}

// OfficeMapping is one location's mapping of a Personio office, as
// OfficesMappedOnce sees it.
type OfficeMapping struct {
	Company  string // slug
	Location Location
	Office   OfficeKey
	// Label names the office in messages once Personio's answer has
	// resolved it, such as `"Berlin" (id 1)`; empty when the mappings are
	// compared as written and their written forms say it all.
	Label string
}

// OfficesMappedOnce reports every office that more than one location
// maps, within one company or across companies: each Personio office feeds
// exactly one location of one company, or its employees and jobs would be
// synced twice. Loading compares the mappings as written (the same name,
// the same id); the plan engine compares them again once Personio's answer
// has resolved names to ids, so that office = "Berlin" in one place and
// office_id = 1 in another are caught too. Each further mapping of an
// office is reported at its own office argument and names the first one,
// in source order.
func OfficesMappedOnce(mappings []OfficeMapping) hcl.Diagnostics {
	ms := slices.Clone(mappings)
	slices.SortStableFunc(ms, func(a, b OfficeMapping) int { return byPos(a.Location.OfficeRange, b.Location.OfficeRange) })
	first := map[OfficeKey]OfficeMapping{}
	var diags hcl.Diagnostics
	for _, m := range ms {
		if m.Office == (OfficeKey{}) {
			continue
		}
		f, dup := first[m.Office]
		if !dup {
			first[m.Office] = m
			continue
		}
		office := "The same Personio office"
		if f.Label != "" {
			office = "Personio office " + f.Label
		}
		loc := m.Location
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Office mapped twice",
			Detail: fmt.Sprintf("%s is mapped by %s (%s, at %s) and by %s (%s, at %s). Each Personio office feeds one location of one company, or its employees and jobs would be synced twice; remove one of the mappings.",
				office, locationAddr(f.Company, f.Location), f.Location.mapping(), pos(f.Location.OfficeRange),
				locationAddr(m.Company, loc), loc.mapping(), pos(loc.OfficeRange)),
			Subject: loc.OfficeRange.Ptr(),
			Context: loc.DeclRange.Ptr(),
		})
	}
	return diags
}

// locationAddr is a location's address, as plans write it.
func locationAddr(company string, loc Location) string {
	return "location." + company + "." + loc.Slug
}

// mapping is how messages refer to the location's office mapping: as the
// configuration writes it (office = "Berlin", office_id = 123), or by the
// env() call that read the value (office = env("HQ_OFFICE")), never by a
// value read from the environment (see OfficeRef).
func (l Location) mapping() string {
	name, value := "office_id", strconv.FormatInt(l.OfficeID, 10)
	if l.Office != "" {
		name, value = "office", strconv.Quote(l.Office)
	}
	if l.OfficeFromEnv() {
		value = l.officeSrc.env
	}
	return name + " = " + value
}

// OfficeRef is how a message names the office the location maps: as the
// configuration writes it ("Berlin", or id 1001), or by the env() call
// that read it (the value of env("HQ_OFFICE")), never by a value read from
// the environment. Every message about a location's office value must go
// through it.
func (l Location) OfficeRef() string {
	if l.Office != "" {
		return l.officeSrc.show(strconv.Quote(l.Office))
	}
	return l.officeSrc.show("id " + strconv.FormatInt(l.OfficeID, 10))
}

// OfficeFromEnv reports whether env() read the location's office mapping.
// Messages then leave out hints derived from the value too, such as the
// offices closest to it: they would show part of it.
func (l Location) OfficeFromEnv() bool { return l.officeSrc.fromEnv() }
