package plan

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// maxSuggestions caps the names listed in a diagnostic's hint.
const maxSuggestions = 10

// officeIndex resolves a location's office (by name or id) against the
// offices Personio shows, falling back to the offices the target already
// knows.
type officeIndex struct {
	snap  *Source
	byID  map[int64]Office
	known []Office // mapped in the target
	// employees counts Personio employees (any status) per office id.
	employees map[int64]int
	// positions counts feed positions per office name (their office or an
	// additional one, each position once per name).
	positions map[string]int
}

func newOfficeIndex(snap *Source, known []Office) *officeIndex {
	ix := &officeIndex{
		snap:      snap,
		byID:      map[int64]Office{},
		known:     known,
		employees: map[int64]int{},
		positions: map[string]int{},
	}
	for _, o := range snap.Offices {
		if o.ID != 0 {
			ix.byID[o.ID] = o
		}
	}
	for i := range snap.Employees {
		if o := snap.Employees[i].Office; o != nil && o.ID != 0 {
			ix.employees[o.ID]++
		}
	}
	for i := range snap.Jobs {
		j := &snap.Jobs[i]
		ix.positions[j.Office]++
		for k, o := range j.AdditionalOffices {
			if o != j.Office && !slices.Contains(j.AdditionalOffices[:k], o) {
				ix.positions[o]++
			}
		}
	}
	return ix
}

// resolve finds the office a mapped location names. warning is set when
// the office is known only from the target, not from Personio; diag is
// the error when the office cannot be resolved.
func (ix *officeIndex) resolve(company string, loc config.Location) (o Office, warning string, diag *hcl.Diagnostic) {
	where := "location." + company + "." + loc.Slug
	// gone is the warning for an office the target knows and Personio no
	// longer shows. It names an env-read mapping by its env() call: the
	// office the target recorded is the value read.
	gone := func(k Office) string {
		if loc.OfficeFromEnv() {
			return fmt.Sprintf("%s: office %s no longer appears in Personio.", where, loc.OfficeRef())
		}
		return fmt.Sprintf("%s: office %q (id %d) no longer appears in Personio.", where, k.Name, k.ID)
	}
	if loc.Office == "" {
		if o, ok := ix.byID[loc.OfficeID]; ok {
			return o, "", nil
		}
		if k, ok := ix.knownOffice(func(k Office) bool { return k.ID == loc.OfficeID }); ok {
			return k, gone(k), nil
		}
		return Office{}, "", ix.unknown(loc)
	}
	var ids []int64
	feedOnly := false
	for _, o := range ix.snap.Offices {
		switch {
		case o.Name != loc.Office:
		case o.ID == 0:
			feedOnly = true
		case !slices.Contains(ids, o.ID):
			ids = append(ids, o.ID)
		}
	}
	switch {
	case len(ids) == 1:
		return Office{ID: ids[0], Name: loc.Office}, "", nil
	case len(ids) > 1:
		slices.Sort(ids)
		idList := make([]string, len(ids))
		for i, id := range ids {
			idList[i] = strconv.FormatInt(id, 10)
		}
		return Office{}, "", officeError(loc, "Ambiguous Personio office "+loc.OfficeRef(),
			fmt.Sprintf("Personio has %d offices named %s (ids %s). Use office_id to say which one.", len(ids), loc.OfficeRef(), strings.Join(idList, ", ")))
	}
	if k, ok := ix.knownOffice(func(k Office) bool { return k.Name == loc.Office }); ok {
		if now, ok := ix.byID[k.ID]; ok {
			return Office{}, "", officeError(loc, "Personio office "+loc.OfficeRef()+" was renamed",
				fmt.Sprintf("The office mapped here (id %d) is now called %q in Personio. Write office = %q, or office_id = %d to survive renames.", k.ID, now.Name, now.Name, k.ID))
		}
		// The target mapped this office before; Personio shows it at
		// most in the job feed now. Keep the id so that linked
		// employees are judged (suspicious) rather than dropped.
		if !feedOnly {
			warning = gone(k)
		}
		return k, warning, nil
	}
	if feedOnly {
		return Office{Name: loc.Office}, "", nil
	}
	if ix.snap.JobsUnavailable != "" {
		// Without the feed, an office no employee shows cannot be told
		// from a misspelt one. Take it by name, as the feed would
		// give it, and let the next plan with a feed judge it.
		return Office{Name: loc.Office}, fmt.Sprintf("%s: office %s is not among the offices of Personio's employees, and the job feed, which may name it, could not be read; it is kept by name until the feed can be read.", where, loc.OfficeRef()), nil
	}
	return Office{}, "", ix.unknown(loc)
}

// knownOffice returns the last office with an id that the target has
// mapped and that match holds for.
func (ix *officeIndex) knownOffice(match func(Office) bool) (Office, bool) {
	for _, k := range slices.Backward(ix.known) {
		if k.ID != 0 && match(k) {
			return k, true
		}
	}
	return Office{}, false
}

// officeName is how messages name an office.
func officeName(o Office) string {
	if o.ID == 0 {
		return fmt.Sprintf("%q (job feed only)", o.Name)
	}
	return fmt.Sprintf("%q (id %d)", o.Name, o.ID)
}

// officeError is an error diagnostic at loc's office.
func officeError(loc config.Location, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  loc.OfficeRange.Ptr(),
		Context:  loc.DeclRange.Ptr(),
	}
}

// unknown builds the diagnostic for a location's office that Personio does
// not know, listing the offices it does know: closest first, or by name
// when env() read the office (the closest would show part of its value).
func (ix *officeIndex) unknown(loc config.Location) *hcl.Diagnostic {
	byID, query := loc.Office == "", loc.Office
	if byID {
		query = strconv.FormatInt(loc.OfficeID, 10)
	}
	var names []string
	label := map[string]string{}
	for _, o := range ix.snap.Offices {
		key := o.Name
		if byID {
			if o.ID == 0 {
				continue
			}
			key = strconv.FormatInt(o.ID, 10)
		}
		if _, dup := label[key]; dup {
			continue
		}
		label[key] = officeName(o)
		names = append(names, key)
	}
	detail := "No Personio employee or job names this office."
	if len(names) == 0 {
		detail += " Personio answered with no offices at all."
	} else {
		best, order := config.Closest(query, names, maxSuggestions), ", closest first"
		if loc.OfficeFromEnv() {
			best, order = names[:min(maxSuggestions, len(names))], ""
		}
		labels := make([]string, len(best))
		for i, n := range best {
			labels[i] = label[n]
		}
		detail += " Offices Personio knows" + order + ": " + strings.Join(labels, ", ")
		if more := len(names) - len(best); more > 0 {
			detail += fmt.Sprintf(", and %d more", more)
		}
		detail += "."
	}
	return officeError(loc, "Unknown Personio office "+loc.OfficeRef(), detail)
}

// checkEmployeeFields reports employee_fields keys that Personio does not
// know: neither in the attribute list nor on any employee. Without either
// source (no attribute list, no employee attributes) nothing can be judged.
func checkEmployeeFields(cfg *config.Config, snap *Source) hcl.Diagnostics {
	if len(cfg.Personio.EmployeeFields) == 0 {
		return nil
	}
	seen := func(key string) bool {
		for i := range snap.Employees {
			if _, ok := snap.Employees[i].Attributes[key]; ok {
				return true
			}
		}
		return false
	}
	var known []string // computed once, only when a key is unknown
	var diags hcl.Diagnostics
	for _, f := range slices.Sorted(maps.Keys(cfg.Personio.EmployeeFields)) {
		ref := cfg.Personio.EmployeeFields[f]
		if ref.Key == "" || slices.Contains(snap.AttributeKeys, ref.Key) || seen(ref.Key) {
			continue
		}
		if known == nil {
			// The union of the attribute list and the keys seen on
			// employees, sorted.
			set := map[string]bool{}
			for _, k := range snap.AttributeKeys {
				set[k] = true
			}
			for i := range snap.Employees {
				for k := range snap.Employees[i].Attributes {
					set[k] = true
				}
			}
			known = slices.Sorted(maps.Keys(set))
			if len(known) == 0 {
				return nil
			}
		}
		best, order := config.Closest(ref.Key, known, maxSuggestions), ", closest first"
		if ref.KeyFromEnv() {
			best, order = known[:min(maxSuggestions, len(known))], ""
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown Personio attribute " + ref.KeyRef(),
			Detail: fmt.Sprintf("employee_fields.%s names an attribute that Personio does not return for these credentials (is it whitelisted?). Attributes Personio knows%s: %s.",
				f, order, strings.Join(best, ", ")),
			Subject: ref.Range.Ptr(),
		})
	}
	return diags
}
