package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gridwork/gridsync/internal/words"
)

// GuardOptions set the deletion guard's limits. Zero values take the
// defaults of DESIGN.md: 10% of a company's linked records of a kind, and
// always at least 5 records allowed.
type GuardOptions struct {
	MaxShare   float64
	MinAllowed int
}

const (
	defaultMaxShare   = 0.10
	defaultMinAllowed = 5
)

// MassDelete is one company and kind whose removals exceed the guard.
type MassDelete struct {
	Company string
	Type    Type // TypeEmployee or TypeJob
	Removed int  // deletes plus unlinks
	Linked  int  // linked records in the target
	Allowed int
}

// MassBlank is one company, kind and synced field that the plan would empty
// (a value before, none after) on more records than the guard allows.
// Personio leaves out the attributes the API credentials may not read, and
// an attribute left out reads as empty: a field emptied on many records at
// once is more likely hidden than cleared.
type MassBlank struct {
	Company string
	Type    Type   // TypeEmployee or TypeJob
	Field   string // such as FieldPosition
	Blanked int    // updates and adoptions that empty the field
	Linked  int    // linked records in the target
	Allowed int
}

// MassDeleteError refuses a plan that removes, unlinks or empties too much,
// or that was computed from a suspicious Personio answer.
type MassDeleteError struct {
	Over       []MassDelete // sorted by company, then type
	Blanked    []MassBlank  // sorted by company, type, then field
	Suspicious []string
}

func (e *MassDeleteError) Error() string {
	hint := ""
	if slices.ContainsFunc(e.Blanked, func(m MassBlank) bool { return m.Type == TypeEmployee }) {
		hint = " (Personio leaves out the employee attributes the API credentials may not read, and a field it leaves out reads as empty: see Settings → Integrations → API credentials in Personio)"
	}
	return "refusing to apply: " + e.reasons(true) + ". Check Personio and the configuration" + hint + "; if this is intended, re-run with -allow-mass-delete"
}

// reasons words what the guard refuses in one line; withCompany names the
// company of each count (a refusal of one company need not).
func (e *MassDeleteError) reasons(withCompany bool) string {
	of := func(company string) string {
		if withCompany {
			return " of company " + company
		}
		return ""
	}
	var parts []string
	for _, m := range e.Over {
		parts = append(parts, fmt.Sprintf("the plan would remove or unlink %d of %d linked %ss%s (at most %d allowed)",
			m.Removed, m.Linked, m.Type, of(m.Company), m.Allowed))
	}
	for _, m := range e.Blanked {
		parts = append(parts, fmt.Sprintf("the plan would empty %s on %d of %d linked %ss%s (at most %d allowed)",
			m.Field, m.Blanked, m.Linked, m.Type, of(m.Company), m.Allowed))
	}
	if len(e.Suspicious) > 0 {
		parts = append(parts, "Personio's answer looks suspicious: "+strings.Join(e.Suspicious, "; "))
	}
	return strings.Join(parts, "; ")
}

// CheckMassDelete applies the deletion guard to the plan as a whole: per
// company and kind, deletes plus unlinks may not exceed max(MinAllowed,
// MaxShare × linked records in cur); per company, kind and synced field,
// neither may the updates and adoptions that empty the field; and a plan
// with suspicious Personio answers fails too. It returns a
// *MassDeleteError, or nil when the plan may be applied.
func (p *Plan) CheckMassDelete(cur State, opts GuardOptions) error {
	over, blanked := judge(p, cur, opts)
	if len(over) == 0 && len(blanked) == 0 && len(p.Suspicious) == 0 {
		return nil
	}
	return &MassDeleteError{Over: over, Blanked: blanked, Suspicious: p.SuspiciousTexts()}
}

// Refusal is why the deletion guard refuses one company's changes.
type Refusal struct {
	Company    string
	Over       []MassDelete // by type
	Blanked    []MassBlank  // by type, then field
	Suspicious []string
}

// Error words the refusal as CheckMassDelete does, for one company.
func (r Refusal) Error() string { return r.asError().Error() }

// Reason says in one line why the guard refuses the company, without
// naming it (the caller does) or saying what to do.
func (r Refusal) Reason() string { return r.asError().reasons(false) }

func (r Refusal) asError() *MassDeleteError {
	return &MassDeleteError{Over: r.Over, Blanked: r.Blanked, Suspicious: r.Suspicious}
}

// Refusals applies the deletion guard company by company, for a sync that
// skips the refused companies and applies the others. A suspicious answer
// refuses every company it concerns (all of the plan's companies when it
// does not say). The result is sorted by company; empty when every company
// may be applied.
func (p *Plan) Refusals(cur State, opts GuardOptions) []Refusal {
	by := map[string]*Refusal{}
	get := func(company string) *Refusal {
		if by[company] == nil {
			by[company] = &Refusal{Company: company}
		}
		return by[company]
	}
	over, blanked := judge(p, cur, opts)
	for _, m := range over {
		r := get(m.Company)
		r.Over = append(r.Over, m)
	}
	for _, m := range blanked {
		r := get(m.Company)
		r.Blanked = append(r.Blanked, m)
	}
	for _, s := range p.Suspicious {
		companies := s.Companies
		if companies == nil {
			for _, cs := range p.CompanySummaries() {
				companies = append(companies, cs.Company)
			}
		}
		for _, c := range companies {
			r := get(c)
			r.Suspicious = append(r.Suspicious, s.Text)
		}
	}
	out := make([]Refusal, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Refusal) int { return strings.Compare(a.Company, b.Company) })
	return out
}

// Without returns a copy of p without anything of the given companies:
// their company, location, employee and job changes, their scope and the
// suspicions that concern only them. The summary is recomputed; digests,
// warnings and the rest are kept. It is how sync skips refused companies.
func (p *Plan) Without(companies []string) *Plan {
	dropped := func(company string) bool { return slices.Contains(companies, company) }
	q := *p
	q.Changes = slices.DeleteFunc(slices.Clone(p.Changes), func(c Change) bool { return dropped(c.Company) })
	q.Summary = summarize(q.Changes)
	q.Scope = nil
	for _, s := range p.Scope {
		if !dropped(s.Company) {
			q.Scope = append(q.Scope, s)
		}
	}
	q.Suspicious = nil
	for _, s := range p.Suspicious {
		keep := slices.DeleteFunc(slices.Clone(s.Companies), dropped)
		if s.Companies == nil || len(keep) > 0 {
			q.Suspicious = append(q.Suspicious, Suspicion{Companies: keep, Text: s.Text})
		}
	}
	return &q
}

// kindKey is one company's records of one kind.
type kindKey struct {
	company string
	typ     Type
}

// judge counts, per company and kind, the deletes plus unlinks, and per
// company, kind and synced field, the updates and adoptions that empty the
// field (creates empty nothing: they had no value before), and returns
// those that exceed the guard, sorted. The guard allows, of a company's
// linked records of a kind in cur, max(MinAllowed, MaxShare × linked).
func judge(p *Plan, cur State, opts GuardOptions) (over []MassDelete, blanked []MassBlank) {
	if opts.MaxShare <= 0 {
		opts.MaxShare = defaultMaxShare
	}
	if opts.MinAllowed <= 0 {
		opts.MinAllowed = defaultMinAllowed
	}
	linked := map[kindKey]int{}
	for _, recs := range [][]Record{cur.Employees, cur.Jobs} {
		for i := range recs {
			if recs[i].Linked {
				linked[kindKey{recs[i].Company, recs[i].Type}]++
			}
		}
	}
	limit := func(k kindKey) int {
		// The small epsilon keeps 0.1 × 70 (= 7.000000000000001) and
		// 0.3 × 10 (= 2.9999999999999996) at the integers people expect.
		return max(int(math.Floor(opts.MaxShare*float64(linked[k])+1e-9)), opts.MinAllowed)
	}
	type fieldKey struct {
		kindKey
		field string
	}
	removed, emptied := map[kindKey]int{}, map[fieldKey]int{}
	for i := range p.Changes {
		c := &p.Changes[i]
		k := kindKey{c.Company, c.Type}
		switch {
		case c.Type != TypeEmployee && c.Type != TypeJob:
		case c.Action == Delete || c.Action == Unlink:
			removed[k]++
		case c.Action == Update || c.Action == Adopt:
			for _, f := range typeFields[c.Type] {
				if c.Before.Has(f) && !c.After.Has(f) {
					emptied[fieldKey{k, f}]++
				}
			}
		}
	}
	for k, n := range removed {
		if allowed := limit(k); n > allowed {
			over = append(over, MassDelete{Company: k.company, Type: k.typ, Removed: n, Linked: linked[k], Allowed: allowed})
		}
	}
	for k, n := range emptied {
		if allowed := limit(k.kindKey); n > allowed {
			blanked = append(blanked, MassBlank{Company: k.company, Type: k.typ, Field: k.field, Blanked: n, Linked: linked[k.kindKey], Allowed: allowed})
		}
	}
	slices.SortFunc(over, func(a, b MassDelete) int {
		return cmp.Or(cmp.Compare(a.Company, b.Company), cmp.Compare(a.Type, b.Type))
	})
	slices.SortFunc(blanked, func(a, b MassBlank) int {
		return cmp.Or(cmp.Compare(a.Company, b.Company), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Field, b.Field))
	})
	return over, blanked
}

// minVanishedJobs is how many linked jobs of one office must vanish from the
// feed together before that looks suspicious: closing the one or two open
// positions of an office is routine, and a scheduled apply must not stop for
// it. A feed with no positions at all is suspicious whatever the count.
const minVanishedJobs = 3

// suspicious lists Personio answers that look wrong rather than real, for
// employees and for jobs alike: an empty answer overall while linked
// records exist, or a mapped office (mapped as before) that suddenly has
// nothing while its linked records have vanished from Personio.
// An unavailable feed is no answer at all: the plan leaves jobs alone, so
// there is nothing about them to judge.
func suspicious(d *DesiredState, groups map[Type]map[string]*companyRecords, cur map[string]*CompanyState) []Suspicion {
	var out []Suspicion
	none := map[Type]bool{TypeEmployee: d.PersonioEmployees == 0, TypeJob: d.PersonioPositions == 0}
	said := map[Type]string{TypeEmployee: "Personio answered with no employees at all", TypeJob: "Personio's job feed lists no positions at all"}
	for _, typ := range d.kinds() {
		if none[typ] {
			out = append(out, noneAtAll(d, typ, groups[typ], said[typ])...)
			continue
		}
		for i := range d.Companies {
			dc := &d.Companies[i]
			g := groups[typ][dc.Slug]
			if !dc.syncs(typ) || g == nil || len(g.order) == 0 {
				continue
			}
			// The linked records per location slug, and those of them
			// whose Personio record is missing from the answer.
			linked, missing := map[string]int{}, map[string]int{}
			for _, r := range g.order {
				loc := r.Attrs.Get(FieldLocation)
				linked[loc]++
				id, err := strconv.ParseInt(r.ExternalID, 10, 64)
				if _, ok := d.personio[typ](id); err != nil || !ok {
					missing[loc]++
				}
			}
			curLocs := locationsOf(cur[dc.Slug])
			for _, dl := range dc.Locations {
				if text := officeGap(typ, dc.Slug, dl, curLocs[dl.Slug], linked[dl.Slug], missing[dl.Slug]); text != "" {
					out = append(out, Suspicion{Companies: []string{dc.Slug}, Text: text})
				}
			}
		}
	}
	return out
}

// officeGap words why the answer about the records of typ of a mapped
// location dl (cl in the target, nil when new) looks suspicious, with
// linked records there of which missing are missing from the answer;
// "" when it does not.
//
// Employees: the office suddenly has no employees while linked employees
// of the location have vanished from Personio. Only those missing count:
// an office emptied because its people moved elsewhere in Personio is a
// coherent answer, not a suspicious one.
//
// Jobs: the office suddenly has no position in the feed while every job
// linked to the location has vanished from it. Positions move between
// offices and get unpublished one by one; a feed that drops all of an
// office's positions at once is more likely a broken feed than a hiring
// freeze, and the guard lets a person decide.
func officeGap(typ Type, company string, dl DesiredLocation, cl *LocationState, linked, missing int) string {
	if typ == TypeEmployee {
		// A location just remapped to an empty office is a deliberate
		// change, not a sudden gap in Personio's answer.
		if !dl.Mapped || dl.OfficeID == 0 || dl.PersonioEmployees > 0 || missing == 0 || cl != nil && cl.OfficeID != 0 && cl.OfficeID != dl.OfficeID {
			return ""
		}
		return fmt.Sprintf("company %s: Personio lists no employees in office %s (id %d), while %s linked to location %s in Gridwork %s missing from Personio",
			company, dl.OfficeName, dl.OfficeID, words.Count(missing, "employee", "employees"), dl.Slug, words.Plural(missing, "is", "are"))
	}
	// Jobs follow the office by name: a location just pointed at another
	// office (not a rename of the same one) is deliberate.
	if !dl.Mapped || dl.OfficeName == "" || dl.PersonioPositions > 0 || linked < minVanishedJobs || missing != linked || cl != nil && officeChanged(cl, dl) {
		return ""
	}
	office := dl.OfficeName
	if dl.OfficeID != 0 {
		office += fmt.Sprintf(" (id %d)", dl.OfficeID)
	}
	return fmt.Sprintf("company %s: Personio's job feed lists no positions in office %s, while the %s linked to location %s in Gridwork %s missing from the feed",
		company, office, words.Count(linked, "job", "jobs"), dl.Slug, words.Plural(linked, "is", "are"))
}

// noneAtAll is the suspicion of an answer without any record of a kind
// (what Personio said) while records of the kind are linked in companies
// in scope that sync it; nil when none is linked.
func noneAtAll(d *DesiredState, typ Type, groups map[string]*companyRecords, said string) []Suspicion {
	total := 0
	var companies []string
	for i := range d.Companies {
		dc := &d.Companies[i]
		if g := groups[dc.Slug]; dc.syncs(typ) && g != nil && len(g.order) > 0 {
			total += len(g.order)
			companies = append(companies, dc.Slug)
		}
	}
	if total == 0 {
		return nil
	}
	return []Suspicion{{Companies: companies, Text: fmt.Sprintf("%s, while %s of %s %s linked to Personio in Gridwork",
		said, words.Count(total, string(typ), string(typ)+"s"), strings.Join(companies, ", "), words.Plural(total, "is", "are"))}}
}

func locationsOf(cs *CompanyState) map[string]*LocationState {
	out := map[string]*LocationState{}
	if cs != nil {
		for i := range cs.Locations {
			out[cs.Locations[i].Slug] = &cs.Locations[i]
		}
	}
	return out
}

// officeChanged reports whether a mapped location now points at another
// office than the target has: another id, or for offices known only by name
// (job feed only), another name. A new name on the same id is a rename in
// Personio, not a change of mapping.
func officeChanged(cl *LocationState, dl DesiredLocation) bool {
	switch {
	case cl.OfficeID == 0 && cl.OfficeName == "":
		return false // not mapped before: nothing to compare
	case cl.OfficeID != 0 || dl.OfficeID != 0:
		return cl.OfficeID != dl.OfficeID
	default:
		return cl.OfficeName != dl.OfficeName
	}
}
